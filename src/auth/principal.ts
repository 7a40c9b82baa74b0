/** Who is calling: the verified claims of a token, reduced to what the module needs. */
export interface Principal {
  /** The token's `sub`: the user id. */
  readonly userId: string;
  /** The `scope` claim, split on spaces (OAuth 2.0 style). */
  readonly scopes: ReadonlySet<string>;
  /** `exp` in milliseconds since the epoch. */
  readonly expiresAt: number;
  /** `iat` in milliseconds since the epoch, when the token carries it. */
  readonly issuedAt: number | undefined;
  /** Every claim, for host rules that look further (roles, tenant…). */
  readonly claims: Readonly<Record<string, unknown>>;
}

export const SCOPE_SEND = 'notifications:send';
export const SCOPE_ADMIN = 'notifications:admin';
