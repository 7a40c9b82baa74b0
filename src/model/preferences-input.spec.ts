import { parsePreferences } from './preferences-input';

const problemsOf = (value: unknown): string[] => {
  const parsed = parsePreferences(value);
  return parsed.ok ? [] : parsed.problems;
};

describe(parsePreferences.name, () => {
  it('normalizes a value: every key present, switches in the order inApp, push, email', () => {
    const parsed = parsePreferences({
      types: { 'expense.*': { email: false, inApp: true }, 'system.maintenance': { inApp: false } },
      quietHours: { timeZone: 'Europe/Berlin', end: '07:00', start: '22:00' },
    });
    expect(parsed).toEqual({
      ok: true,
      preferences: {
        channels: {},
        types: { 'expense.*': { inApp: true, email: false }, 'system.maintenance': { inApp: false } },
        topics: {},
        quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' },
        email: null,
      },
    });
    if (parsed.ok) expect(Object.keys(parsed.preferences.types['expense.*'])).toEqual(['inApp', 'email']);
    expect(parsePreferences({})).toEqual({
      ok: true,
      preferences: { channels: {}, types: {}, topics: {}, quietHours: null, email: null },
    });
  });

  it.each([
    [{ channels: { sms: true } }, 'channels.sms should not exist'],
    [{ channels: { inApp: 'yes' } }, 'channels.inApp must be a boolean'],
    [{ channels: null }, 'channels must be an object'],
    [{ types: { 'Expense.New': { inApp: false } } }, 'types key "Expense.New" must be a type'],
    [{ types: { '*': { inApp: false } } }, 'types key "*" must be a type'],
    [{ types: { '.*': { inApp: false } } }, 'types key ".*" must be a type'],
    [{ types: { [`${'a'.repeat(100)}.*`]: {} } }, 'must be a type'],
    [{ types: { 'a.b': { push: 1 } } }, 'types["a.b"].push must be a boolean'],
    [{ types: { 'a.b': true } }, 'types["a.b"] must be an object'],
    [{ types: [] }, 'types must be an object'],
    [{ topics: { 'not a topic': { push: false } } }, 'topics key "not a topic" must be a topic'],
    [{ topics: { finance: { sms: false } } }, 'topics["finance"].sms should not exist'],
    [{ quietHours: { start: '22:00', end: '07:00' } }, 'quietHours.timeZone must be an IANA time zone'],
    [{ quietHours: { start: '24:00', end: '07:00', timeZone: 'UTC' } }, 'quietHours.start must be a time HH:MM'],
    [{ quietHours: { start: '7:00', end: '08:00', timeZone: 'UTC' } }, 'quietHours.start must be a time HH:MM'],
    [{ quietHours: { start: '22:00', end: '07:60', timeZone: 'UTC' } }, 'quietHours.end must be a time HH:MM'],
    [{ quietHours: { start: '22:00', end: '22:00', timeZone: 'UTC' } }, 'quietHours.end must differ from quietHours.start'],
    [{ quietHours: { start: '22:00', end: '07:00', timeZone: 'Mars/Olympus_Mons' } }, 'quietHours.timeZone must be an IANA time zone'],
    [{ quietHours: { start: '22:00', end: '07:00', timeZone: '+01:00' } }, 'quietHours.timeZone must be an IANA time zone'],
    [{ quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC', days: [] } }, 'quietHours.days should not exist'],
    [{ quietHours: '22:00-07:00' }, 'quietHours must be null or {start'],
    [{ email: 'not an email' }, 'email must be null or an email address'],
    [{ email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com` }, 'email must be null or an email address'],
    [{ email: 42 }, 'email must be null or an email address'],
    [{ email: 'a\ud800@example.com' }, 'email must be null or an email address'],
    [{ email: '\udc00' }, 'email must be null or an email address'],
    [{ sneaky: 1 }, 'property sneaky should not exist'],
    [[], 'preferences must be a JSON object'],
    ['inApp', 'preferences must be a JSON object'],
  ])('refuses %j, naming the field', (value, problem) => {
    expect(problemsOf(value).join('\n')).toContain(problem);
  });

  it('refuses more than 200 types or topics, and takes 200', () => {
    const entries = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`t${index}`, { inApp: false }]));
    expect(problemsOf({ types: entries(201) })).toEqual(['types must have at most 200 entries, got 201']);
    expect(problemsOf({ topics: entries(201) })).toEqual(['topics must have at most 200 entries, got 201']);
    expect(parsePreferences({ types: entries(200), topics: entries(200) }).ok).toBe(true);
  });

  it('accepts keys named like Object members as plain keys, and keeps them own keys', () => {
    const body = JSON.parse('{"types":{"__proto__":{"inApp":false},"constructor":{"push":false}},"topics":{"toString":{}}}');
    const parsed = parsePreferences(body);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.keys(parsed.preferences.types)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(parsed.preferences.types)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(parsed.preferences)).types.__proto__).toEqual({ inApp: false });
    // A prototype-named field at the top is unknown, as any other.
    expect(problemsOf(JSON.parse('{"constructor":{}}'))).toEqual(['property constructor should not exist']);
  });

  it('accepts null quiet hours and email, an email of 254 characters, and zone names Intl knows', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(email).toHaveLength(254);
    expect(parsePreferences({ quietHours: null, email: null }).ok).toBe(true);
    expect(parsePreferences({ email }).ok).toBe(true);
    for (const timeZone of ['UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires']) {
      expect(parsePreferences({ quietHours: { start: '00:00', end: '23:59', timeZone } }).ok).toBe(true);
    }
  });

  it('lists at most 20 problems, however many keys are wrong', () => {
    const problems = problemsOf(Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`k${index}`, 1])));
    expect(problems).toHaveLength(21);
    expect(problems[20]).toBe('… and 480 more problems');
  });
});
