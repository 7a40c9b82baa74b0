import { CreateNotifications1764000000000 } from './1764000000000-create-notifications';
import { CreateRevocations1764000000600 } from './1764000000600-create-revocations';
import { CreateAudiences1764100000000 } from './1764100000000-create-audiences';
import { PartialIndexes1764200000000 } from './1764200000000-partial-indexes';
import { TitleAsText1764300000000 } from './1764300000000-title-as-text';
import { RecipientsKeyedByNotification1764400000000 } from './1764400000000-recipients-keyed-by-notification';
import { IdempotencyKeysByAge1764500000000 } from './1764500000000-idempotency-keys-by-age';

/** The module's migrations, oldest first: add them to the host's DataSource `migrations`. */
export const NOTIFICATIONS_MIGRATIONS = [
  CreateNotifications1764000000000,
  CreateRevocations1764000000600,
  CreateAudiences1764100000000,
  PartialIndexes1764200000000,
  TitleAsText1764300000000,
  RecipientsKeyedByNotification1764400000000,
  IdempotencyKeysByAge1764500000000,
];
