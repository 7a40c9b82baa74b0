/** Injection token of the standalone server's ServerSettings. */
export const SERVER_SETTINGS = Symbol('ServerSettings');
