import { OriginAllowlist } from './origin-allowlist';

describe(OriginAllowlist.name, () => {
  const allowlist = new OriginAllowlist(['https://App.example.com/']);

  it('allows the listed origin exactly, and requests without an Origin', () => {
    expect(allowlist.allows('https://app.example.com')).toBe(true);
    expect(allowlist.allows(undefined)).toBe(true);
  });

  it.each(['null', 'http://app.example.com', 'https://app.example.com.evil.net', 'https://app.example.com:444', ''])(
    'refuses %p',
    (origin) => expect(allowlist.allows(origin)).toBe(false),
  );

  it('refuses a repeated Origin header', () => {
    expect(allowlist.allows(['https://app.example.com', 'https://evil.net'])).toBe(false);
  });

  it('allows everything when no list is configured', () => {
    expect(new OriginAllowlist(undefined).allows('https://anything.example')).toBe(true);
  });
});
