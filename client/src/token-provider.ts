import { ClientErrorCode, NotificationClientError } from './client-error';

/** A JWT, or a function returning one (sync or async), called before each connect and refresh. */
export type TokenProvider = string | (() => string | Promise<string>);

/** Obtains a token from the provider, failing with a coded error rather than dialing without one. */
export async function resolveToken(provider: TokenProvider): Promise<string> {
  let token: unknown;
  try {
    token = typeof provider === 'function' ? await provider() : provider;
  } catch (error) {
    throw new NotificationClientError(ClientErrorCode.Token, 'the token function failed', { cause: error });
  }
  if (typeof token !== 'string' || token === '') {
    throw new NotificationClientError(ClientErrorCode.Token, 'the token must be a non-empty string');
  }
  return token;
}
