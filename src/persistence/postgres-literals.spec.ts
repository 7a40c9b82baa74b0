import { postgresLiteral, withValuesWritten } from './postgres-literals';

describe('withValuesWritten', () => {
  it('quotes strings as node-postgres does, with E-strings only for backslashes', () => {
    expect(postgresLiteral("it's")).toBe("'it''s'");
    expect(postgresLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(postgresLiteral("'; DROP TABLE notifications; --")).toBe("'''; DROP TABLE notifications; --'");
  });

  it('writes numbers, nulls and text arrays in place of the placeholders, in order', () => {
    expect(withValuesWritten('SELECT ?, ?, ?::int, ?', ['a', null, 3, ['u1', "o'k"]])).toBe(
      "SELECT 'a', NULL, 3::int, ARRAY['u1', 'o''k']::text[]",
    );
    expect(withValuesWritten('SELECT ?', [[]])).toBe("SELECT '{}'::text[]");
  });

  it('refuses what it cannot write faithfully', () => {
    expect(() => postgresLiteral('a\u0000b')).toThrow(RangeError);
    expect(() => withValuesWritten('SELECT ?, ?', ['a'])).toThrow(RangeError);
    expect(() => withValuesWritten('SELECT ?', ['a', 'b'])).toThrow(RangeError);
    expect(() => withValuesWritten('SELECT ?', [Number.NaN])).toThrow(RangeError);
  });
});
