/**
 * PostgreSQL `text` cannot hold U+0000, yet the contract stores text verbatim, null bytes
 * included. On PostgreSQL, title and body are stored with a reversible escape: U+0001
 * doubles itself and U+0000 becomes U+0001 "0". Texts without either character (nearly
 * all) are stored unchanged. SQLite stores them as they are.
 */
const ESCAPE = '\u0001';
const NEEDS_ESCAPE = /[\u0000\u0001]/;

export function escapePostgresText<T extends string | null>(text: T): T {
  if (text === null || !NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[\u0000\u0001]/g, (character) => (character === ESCAPE ? ESCAPE + ESCAPE : `${ESCAPE}0`)) as T;
}

export function unescapePostgresText<T extends string | null>(text: T): T {
  if (text === null || !text.includes(ESCAPE)) return text;
  return text.replace(/\u0001([\u00010])/g, (_, escaped: string) => (escaped === ESCAPE ? ESCAPE : '\u0000')) as T;
}

const verbatim = <T extends string | null>(text: T): T => text;

/** How title and body are written on this engine: escaped on PostgreSQL, as they are on SQLite. */
export function textForStorage(postgres: boolean): <T extends string | null>(text: T) => T {
  return postgres ? escapePostgresText : verbatim;
}

/** How title and body stored on this engine read back. */
export function textFromStorage(postgres: boolean): <T extends string | null>(text: T) => T {
  return postgres ? unescapePostgresText : verbatim;
}
