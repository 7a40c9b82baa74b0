import { chunk, limitClause, placeholders } from './sql';

describe('sql helpers', () => {
  it('writes a whole-number row limit into the statement, and refuses anything else', () => {
    expect(limitClause(500)).toBe('LIMIT 500');
    expect(limitClause(0)).toBe('LIMIT 0');
    for (const bad of [1.5, -1, Number.NaN, Infinity, '1; DROP TABLE notifications' as unknown as number]) {
      expect(() => limitClause(bad)).toThrow(RangeError);
    }
  });

  it('makes placeholders and chunks', () => {
    expect(placeholders(3)).toBe('?, ?, ?');
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
