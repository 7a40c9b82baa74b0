import { postgresLiteral, valueLiteral } from './postgres-literals';

describe('valueLiteral', () => {
  it('quotes strings as node-postgres does, with E-strings only for backslashes', () => {
    expect(postgresLiteral("it's")).toBe("'it''s'");
    expect(postgresLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(postgresLiteral("'; DROP TABLE notifications; --")).toBe("'''; DROP TABLE notifications; --'");
  });

  it('writes numbers, nulls and text arrays', () => {
    expect([valueLiteral('a'), valueLiteral(null), valueLiteral(3), valueLiteral(['u1', "o'k"])]).toEqual([
      "'a'",
      'NULL',
      '3',
      "ARRAY['u1', 'o''k']::text[]",
    ]);
    expect(valueLiteral([])).toBe("'{}'::text[]");
  });

  it('refuses what it cannot write faithfully', () => {
    expect(() => postgresLiteral('a\u0000b')).toThrow(RangeError);
    expect(() => valueLiteral(Number.NaN)).toThrow(RangeError);
  });
});
