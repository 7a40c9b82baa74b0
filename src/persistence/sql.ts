import { EntityManager } from 'typeorm';
import { tableNamingOf } from './table-naming';

const postgresTexts = new Map<string, string>();

/** What a statement gave back. */
export interface SqlResult {
  rows: any[];
  affected: number;
  /** SQLite, a statement without RETURNING: the rowid of the last row it inserted (as text). */
  lastRowId?: string;
}

/**
 * Runs one SQL statement written with `?` placeholders on either engine. PostgreSQL wants
 * `$1, $2…`; the rewritten text is cached because the same statements run on every send.
 * Statements here never contain `?` inside a string literal.
 */
export async function runSql(manager: EntityManager, text: string, parameters: unknown[] = []): Promise<SqlResult> {
  // A host that renamed the module's tables: the statement, written with the default names, renamed (cached).
  let query = tableNamingOf(manager.connection)?.rewrite(text) ?? text;
  if (isPostgres(manager)) {
    const named = query;
    query = postgresTexts.get(named) ?? named;
    if (query === named) {
      query = numberedPlaceholders(named);
      postgresTexts.set(named, query);
    }
  }
  // Inside a transaction the manager has its runner; outside, borrow one (a pooled
  // connection on PostgreSQL, the single shared connection on SQLite) and give it back.
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(query, parameters, true);
    const rows = Array.isArray(result.records) ? result.records : [];
    // better-sqlite3 answers a statement that returns no rows with its last rowid.
    const lastRowId = typeof result.raw === 'number' || typeof result.raw === 'bigint' ? String(result.raw) : undefined;
    return { rows, affected: result.affected ?? 0, lastRowId };
  } finally {
    if (runner !== manager.queryRunner) await runner.release();
  }
}

/** `?` placeholders as PostgreSQL numbers them: `$1, $2…`. */
export function numberedPlaceholders(text: string): string {
  let position = 0;
  return text.replace(/\?/g, () => `$${++position}`);
}

/** Whether the manager runs on PostgreSQL (else SQLite). */
export function isPostgres(manager: EntityManager): boolean {
  return manager.connection.options.type === 'postgres';
}

/** `?, ?, ?` for a list of n values. */
export function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

/** Splits a list into runs of at most `size`, so one statement never exceeds engine limits. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * `LIMIT n` with the number written into the statement. SQLite runs a statement whose limit is
 * a bound parameter many times slower when it matches few rows (an empty backlog page, say:
 * bench/results/2026-12-02 has the figures), and every session's replay starts with such a page.
 */
export function limitClause(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`a row limit must be a whole number, got ${rows}`);
  return `LIMIT ${rows}`;
}
