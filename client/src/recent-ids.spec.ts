import { RecentIds } from './recent-ids';

describe(RecentIds.name, () => {
  it('reports an id seen before', () => {
    const ids = new RecentIds(3);
    expect(ids.add('a')).toBe(true);
    expect(ids.add('a')).toBe(false);
  });

  it('forgets the oldest id past its capacity, holding no more than it', () => {
    const ids = new RecentIds(1000);
    for (let index = 0; index < 5000; index += 1) ids.add(`n${index}`);
    expect(ids.size).toBe(1000);
    expect(ids.add('n4999')).toBe(false);
    expect(ids.add('n4000')).toBe(false);
    expect(ids.add('n3999')).toBe(true);
  });

  it('lets a deleted id through again', () => {
    const ids = new RecentIds(3);
    ids.add('a');
    ids.delete('a');
    expect(ids.add('a')).toBe(true);
  });
});
