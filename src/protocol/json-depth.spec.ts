import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

const nestedArrays = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe(nestsDeeperThan.name, () => {
  it('counts the outermost object or array as level 1, and scalars as nothing', () => {
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: 'c' }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: 'c' }] }, 2)).toBe(true);
  });

  it('finds the deep branch among shallow ones, in objects and arrays', () => {
    const deep = { a: 1, b: [2, 3], c: { d: [[[{}]]] } };
    expect(nestsDeeperThan(deep, 6)).toBe(false);
    expect(nestsDeeperThan(deep, 5)).toBe(true);
    expect(nestsDeeperThan([1, 'x', [], [[[]]]], 3)).toBe(true);
  });

  it('answers for a value nested far deeper than the stack would allow a full walk to go (audit 3)', () => {
    const value = nestedArrays(200_000);
    expect(nestsDeeperThan(value, MAX_JSON_DEPTH)).toBe(true);
    expect(() => JSON.stringify(value)).toThrow(RangeError);
  });

  it('looks at own keys only', () => {
    const inherited = Object.create({ deep: nestedArrays(100) });
    expect(nestsDeeperThan(inherited, 1)).toBe(false);
  });
});
