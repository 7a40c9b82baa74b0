import { buildSocketUrl } from './socket-url';

describe(buildSocketUrl.name, () => {
  const dial = (url: string, extra: { path?: string; after?: string } = {}) =>
    new URL(buildSocketUrl({ url, path: extra.path ?? '/ws', token: 'a.b+c/d=', after: extra.after }));

  it('turns http(s) into ws(s) and appends the socket path', () => {
    expect(dial('http://localhost:3000').href).toMatch(/^ws:\/\/localhost:3000\/ws\?/);
    expect(dial('https://example.com').href).toMatch(/^wss:\/\/example\.com\/ws\?/);
    expect(dial('wss://example.com').href).toMatch(/^wss:\/\/example\.com\/ws\?/);
  });

  it('appends the path to a base path, and does not repeat it', () => {
    expect(dial('https://example.com/notifications/').pathname).toBe('/notifications/ws');
    expect(dial('wss://example.com/ws').pathname).toBe('/ws');
    expect(dial('https://example.com', { path: 'live' }).pathname).toBe('/live');
  });

  it('carries the token as access_token, encoded', () => {
    expect(dial('http://localhost:3000').searchParams.get('access_token')).toBe('a.b+c/d=');
  });

  it('carries after only when resuming', () => {
    expect(dial('http://localhost:3000').searchParams.has('after')).toBe(false);
    expect(dial('http://localhost:3000', { after: 'c42' }).searchParams.get('after')).toBe('c42');
  });

  it('keeps the base query', () => {
    expect(dial('http://localhost:3000/?tenant=acme').searchParams.get('tenant')).toBe('acme');
  });

  it('refuses other schemes', () => {
    expect(() => dial('ftp://example.com')).toThrow(TypeError);
  });
});
