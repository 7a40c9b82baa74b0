import { DataSource, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { NotificationsTableOptions } from '../config/notifications.options';

/** The module's tables, as the entities, the migrations and the SQL name them by default. */
export const MODULE_TABLES = [
  'notifications',
  'notification_recipients',
  'notification_idempotency_keys',
  'notification_revocations',
  'notification_topic_subscriptions',
  'notification_preferences',
  'notification_in_app_rules',
  'notification_outbox',
  'notification_channel_attempts',
  'notification_push_subscriptions',
  'notification_user_contacts',
  'notification_webhook_events',
  'notification_snoozes',
  'notification_tenants',
  'notification_cursor_marks',
] as const;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,29}$/;
const TABLE_PATTERN = new RegExp(`("?)\\b(${MODULE_TABLES.join('|')})\\b("?)`, 'g');
const INDEX_PATTERN = /\b(idx|uq)_(notification\w*)/g;

/**
 * Renames the module's tables and indexes for a host that keeps them apart from its own:
 * with a prefix, in a PostgreSQL schema, or both. The SQL is written with the default names;
 * each statement is rewritten once and the result cached, and with the default naming
 * nothing is rewritten at all.
 */
export class TableNaming {
  private readonly rewritten = new Map<string, string>();

  constructor(readonly options: NotificationsTableOptions = {}) {
    const { prefix, schema } = options;
    if (prefix !== undefined && prefix !== '' && !IDENTIFIER.test(prefix)) {
      throw new Error(`tables.prefix must be lowercase letters, digits and _ (at most 30), got "${prefix}"`);
    }
    if (schema !== undefined && !IDENTIFIER.test(schema)) {
      throw new Error(`tables.schema must be lowercase letters, digits and _ (at most 30), got "${schema}"`);
    }
  }

  get isDefault(): boolean {
    return !this.options.prefix && !this.options.schema;
  }

  /** `notifications` → `acme_notifications` (no schema). */
  tableName(table: string): string {
    return `${this.options.prefix ?? ''}${table}`;
  }

  /** The table as TypeORM's schema API names it: `schema.acme_notifications`. */
  qualified(table: string): string {
    return this.options.schema ? `${this.options.schema}.${this.tableName(table)}` : this.tableName(table);
  }

  indexName(index: string): string {
    return this.options.prefix ? index.replace(/^(idx|uq|fk|pk)_/, `$1_${this.options.prefix}`) : index;
  }

  /** A statement written with the default names, with this naming's. */
  rewrite(sql: string): string {
    if (this.isDefault) return sql;
    let result = this.rewritten.get(sql);
    if (result === undefined) {
      const { schema } = this.options;
      result = sql
        .replace(INDEX_PATTERN, (index: string) => this.indexName(index))
        .replace(TABLE_PATTERN, (_match, open: string, table: string, close: string) =>
          schema ? `"${schema}"."${this.tableName(table)}"` : `${open}${this.tableName(table)}${close}`,
        );
      this.rewritten.set(sql, result);
    }
    return result;
  }

  /** The host's DataSource, checked: a schema is a PostgreSQL feature. */
  checkEngine(dataSource: DataSource): void {
    if (this.options.schema && dataSource.options.type !== 'postgres') {
      throw new Error(`tables.schema needs PostgreSQL; this DataSource is ${dataSource.options.type}`);
    }
  }

  /**
   * A QueryRunner for a migration written with the default names: table and index names in
   * its schema calls and its SQL are renamed on the way through.
   */
  renamingRunner(runner: QueryRunner): QueryRunner {
    if (this.isDefault) return runner;
    return new Proxy(runner, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'query') return (sql: string, ...rest: unknown[]) => value.call(target, this.rewrite(sql), ...rest);
        return (...args: unknown[]) =>
          value.apply(
            target,
            args.map((argument) => this.renameArgument(argument)),
          );
      },
    });
  }

  private renameArgument(argument: unknown): unknown {
    if (Array.isArray(argument)) return argument.map((item) => this.renameArgument(item));
    if (typeof argument === 'string') {
      if ((MODULE_TABLES as readonly string[]).includes(argument)) return this.qualified(argument);
      return /^(idx|uq)_notification/.test(argument) ? this.indexName(argument) : argument;
    }
    if (argument instanceof Table) {
      return new Table({
        ...argument,
        name: this.renameArgument(argument.name) as string,
        indices: argument.indices.map((index) => this.renameArgument(index) as TableIndex),
        foreignKeys: argument.foreignKeys.map((key) => this.renameArgument(key) as TableForeignKey),
      });
    }
    if (argument instanceof TableIndex) return new TableIndex({ ...argument, name: argument.name && this.indexName(argument.name) });
    if (argument instanceof TableForeignKey) {
      return new TableForeignKey({ ...argument, referencedTableName: this.qualified(argument.referencedTableName) });
    }
    return argument;
  }
}

const namingByDataSource = new WeakMap<DataSource, TableNaming>();

/** Records the naming the module uses on this DataSource; the SQL runner reads it. */
export function useTableNaming(dataSource: DataSource, naming: TableNaming): void {
  naming.checkEngine(dataSource);
  if (!naming.isDefault) namingByDataSource.set(dataSource, naming);
}

/** The naming of the module on this DataSource, if not the default. */
export function tableNamingOf(dataSource: DataSource): TableNaming | undefined {
  return namingByDataSource.get(dataSource);
}
