/** How the inbox page is served. */
export interface InboxPageOptions {
  /** Set only on the development key: the page offers a user picker backed by POST /dev/token. */
  developmentTokens?: { secret: string; issuer?: string; audience?: string };
}

export const INBOX_PAGE_OPTIONS = Symbol('InboxPageOptions');
