/**
 * The largest cursor a client may send back. Cursors are stored as 64-bit integers (bigint on
 * PostgreSQL), but the server compares and carries them as JavaScript numbers, which are exact
 * up to 2^53 - 1: no cursor it gave out is larger (an inbox written a million times a second
 * would take 285 years to get there). A larger value is not one of its cursors, and past
 * 9223372036854775807 it is not even a number PostgreSQL can compare with one.
 */
export const MAX_CURSOR = Number.MAX_SAFE_INTEGER;

/** Digits only: no sign, no exponent, no spaces; the length bound keeps Number() exact. */
export const CURSOR_PATTERN = /^\d{1,16}$/;

/** What a cursor is, in the words of every refusal. */
export const CURSOR_RULE = `a cursor (digits, at most ${MAX_CURSOR}) from a notification`;

/**
 * Whether a client's `before`, `after` or `Last-Event-ID` can be a cursor. The one check
 * every route and the upgrade use, so that no value reaches a query that cannot name a row.
 */
export function isCursor(value: unknown): value is string {
  return typeof value === 'string' && CURSOR_PATTERN.test(value) && Number(value) <= MAX_CURSOR;
}
