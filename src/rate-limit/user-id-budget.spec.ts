import { UserIdBudget } from './user-id-budget';

describe(UserIdBudget.name, () => {
  it('allows a user the budget in a second, across calls, and refuses what goes over it', () => {
    const budget = new UserIdBudget(100);
    expect(budget.take('alice', 60, 1000)).toBe(true);
    expect(budget.take('alice', 40, 1500)).toBe(true);
    expect(budget.take('alice', 1, 1999)).toBe(false);
  });

  it('counts each user on their own', () => {
    const budget = new UserIdBudget(100);
    expect(budget.take('alice', 100, 1000)).toBe(true);
    expect(budget.take('bob', 100, 1000)).toBe(true);
    expect(budget.take('alice', 1, 1000)).toBe(false);
  });

  it('starts again in the next second, and forgets a user on request', () => {
    const budget = new UserIdBudget(100);
    expect(budget.take('alice', 101, 1000)).toBe(false);
    expect(budget.take('alice', 100, 2000)).toBe(true);
    budget.forget('alice');
    expect(budget.size).toBe(0);
  });
});
