/** The longest user id: a token's `sub` is stored in 255-character columns. */
export const USER_ID_MAX_LENGTH = 255;

/** What a user id is, in the words of every refusal. */
export const USER_ID_RULE = `1 to ${USER_ID_MAX_LENGTH} characters, without U+0000 or an unpaired surrogate`;

/** U+0000, or half of a surrogate pair without its other half. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a string can be a user id (contract section 2: the token's `sub`). The contract sets
 * no alphabet, so any text is one but what a database cannot store as it is: PostgreSQL text
 * refuses U+0000, and UTF-8 has no encoding for an unpaired surrogate (it would be stored as
 * U+FFFD, another user's id). The same rule holds for tokens, routes and send bodies.
 */
export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= USER_ID_MAX_LENGTH && !UNSTORABLE.test(value);
}
