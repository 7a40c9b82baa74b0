import { CreateNotifications1764000000000 } from './1764000000000-create-notifications';
import { CreateRevocations1764000000600 } from './1764000000600-create-revocations';
import { CreateAudiences1764100000000 } from './1764100000000-create-audiences';
import { PartialIndexes1764200000000 } from './1764200000000-partial-indexes';
import { TitleAsText1764300000000 } from './1764300000000-title-as-text';
import { RecipientsKeyedByNotification1764400000000 } from './1764400000000-recipients-keyed-by-notification';
import { IdempotencyKeysByAge1764500000000 } from './1764500000000-idempotency-keys-by-age';
import { HeldSendsBySender1765200000000 } from './1765200000000-held-sends-by-sender';
import { NotificationsBySender1765300000000 } from './1765300000000-notifications-by-sender';
import { Preferences1765400000000 } from './1765400000000-preferences';
import { CreateChannels1765500000000 } from './1765500000000-create-channels';
import { ChannelRowsByUser1765550000000 } from './1765550000000-channel-rows-by-user';
import { InboxState1765600000000 } from './1765600000000-inbox-state';
import { ActionsAndGrouping1765700000000 } from './1765700000000-actions-and-grouping';
import { CreateSnoozes1765800000000 } from './1765800000000-create-snoozes';
import { Tenants1765900000000 } from './1765900000000-tenants';
import { SuppressedCount1765950000000 } from './1765950000000-suppressed-count';
import { InboxFiltersByRow1766000000000 } from './1766000000000-inbox-filters-by-row';
import { TenantNumbers1766050000000 } from './1766050000000-tenant-numbers';
import { InboxStateInTypeIndexes1766100000000 } from './1766100000000-inbox-state-in-type-indexes';
import { CursorMarks1766200000000 } from './1766200000000-cursor-marks';
import { InboxByTopicAndType1766300000000 } from './1766300000000-inbox-by-topic-and-type';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { NotificationsTableOptions } from '../../config/notifications.options';
import { TableNaming } from '../table-naming';

/** The module's migrations, oldest first: add them to the host's DataSource `migrations`. */
export const NOTIFICATIONS_MIGRATIONS = [
  CreateNotifications1764000000000,
  CreateRevocations1764000000600,
  CreateAudiences1764100000000,
  PartialIndexes1764200000000,
  TitleAsText1764300000000,
  RecipientsKeyedByNotification1764400000000,
  IdempotencyKeysByAge1764500000000,
  HeldSendsBySender1765200000000,
  NotificationsBySender1765300000000,
  Preferences1765400000000,
  CreateChannels1765500000000,
  ChannelRowsByUser1765550000000,
  InboxState1765600000000,
  ActionsAndGrouping1765700000000,
  CreateSnoozes1765800000000,
  Tenants1765900000000,
  SuppressedCount1765950000000,
  InboxFiltersByRow1766000000000,
  TenantNumbers1766050000000,
  InboxStateInTypeIndexes1766100000000,
  CursorMarks1766200000000,
  InboxByTopicAndType1766300000000,
];

type MigrationClass = new () => MigrationInterface;
const renamedMigrations = new Map<string, MigrationClass[]>();

/**
 * The module's migrations for tables named with `tables` (the same option the module gets):
 * the migrations above, their table and index names renamed on the way to the database.
 * Without options, NOTIFICATIONS_MIGRATIONS itself. Choose the naming once: the host's
 * migrations table records these under the same names whatever the naming.
 */
export function notificationsMigrations(tables: NotificationsTableOptions = {}): MigrationClass[] {
  const naming = new TableNaming(tables);
  if (naming.isDefault) return NOTIFICATIONS_MIGRATIONS;
  const key = `${tables.schema ?? ''}.${tables.prefix ?? ''}`;
  let migrations = renamedMigrations.get(key);
  if (!migrations) {
    migrations = NOTIFICATIONS_MIGRATIONS.map((Migration: MigrationClass) => {
      const Renamed = class extends Migration {
        up(runner: QueryRunner) {
          return super.up(naming.renamingRunner(runner));
        }
        down(runner: QueryRunner) {
          return super.down(naming.renamingRunner(runner));
        }
      };
      Object.defineProperty(Renamed, 'name', { value: Migration.name });
      return Renamed;
    });
    renamedMigrations.set(key, migrations);
  }
  return migrations;
}
