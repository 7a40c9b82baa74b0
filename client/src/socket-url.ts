/** Parts of the URL a session dials. */
export interface SocketUrlParts {
  /** Server base: http(s)://, ws(s)://, or a path relative to the page in a browser. */
  url: string;
  /** Socket path, appended to the base's own path unless the base already ends with it. */
  path: string;
  token: string;
  /** Cursor of the last notification received, to resume after it. */
  after?: string;
}

/** Builds the socket URL; the token travels in the query because browsers cannot set headers. */
export function buildSocketUrl({ url, path, token, after }: SocketUrlParts): string {
  // Read through globalThis so the SDK also type-checks in Node programs (no DOM lib).
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const target = new URL(url, base);
  if (target.protocol === 'http:') target.protocol = 'ws:';
  if (target.protocol === 'https:') target.protocol = 'wss:';
  if (target.protocol !== 'ws:' && target.protocol !== 'wss:') {
    throw new TypeError(`url must be http(s):// or ws(s)://, got ${target.protocol}`);
  }
  const basePath = target.pathname.replace(/\/+$/, '');
  const socketPath = path.startsWith('/') ? path : `/${path}`;
  if (!basePath.endsWith(socketPath)) target.pathname = basePath + socketPath;
  target.searchParams.set('access_token', token);
  if (after !== undefined) target.searchParams.set('after', after);
  else target.searchParams.delete('after');
  return target.toString();
}
