/**
 * Values written into PostgreSQL statements, for the few hot paths that send several
 * statements in one round trip (postgres-round-trip.ts): the simple query protocol takes many
 * statements in one message but no parameters. Strings are quoted exactly as node-postgres'
 * `escapeLiteral` does.
 */
export type PostgresValue = string | number | null | readonly string[];

/** A string as a PostgreSQL literal: quotes doubled, and with backslashes an `E''` string. */
export function postgresLiteral(text: string): string {
  // The simple protocol sends the statement as a C string: a null byte would end it early.
  // Stored text never holds one (postgres-text.ts, isUserId); refuse rather than cut it.
  if (text.includes('\u0000')) throw new RangeError('a PostgreSQL literal cannot hold U+0000');
  let quoted = "'";
  let backslash = false;
  for (const character of text) {
    if (character === "'") quoted += "''";
    else if (character === '\\') {
      quoted += '\\\\';
      backslash = true;
    } else quoted += character;
  }
  return backslash ? ` E${quoted}'` : `${quoted}'`;
}

/** A value as a PostgreSQL literal (text arrays as `ARRAY[…]::text[]`). */
export function valueLiteral(value: PostgresValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a number PostgreSQL can hold: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return postgresLiteral(value);
  return value.length === 0 ? `'{}'::text[]` : `ARRAY[${value.map(postgresLiteral).join(', ')}]::text[]`;
}
