import { FallbackPolicy, matchType } from './fallback-policy';

describe(FallbackPolicy.name, () => {
  it('is empty, and plans nothing, without channels', () => {
    const policy = new FallbackPolicy([]);
    expect(policy.enabled).toBe(false);
    expect(policy.plansFor('any.type')).toEqual([]);
  });

  it('gives push 0 s until delivered, email 900 s until read, a host channel 0 s until delivered', () => {
    expect(new FallbackPolicy(['push', 'email', 'slack']).plansFor('x')).toEqual([
      { channel: 'push', afterSeconds: 0, cancelWhen: 'delivered' },
      { channel: 'email', afterSeconds: 900, cancelWhen: 'read' },
      { channel: 'slack', afterSeconds: 0, cancelWhen: 'delivered' },
    ]);
  });

  it('applies channel timings, then the exact type, else the longest matching prefix', () => {
    const policy = new FallbackPolicy(['push', 'email'], {
      channels: { email: { afterSeconds: 60 } },
      types: {
        'billing.*': { email: false },
        'billing.invoice.*': { email: { afterSeconds: 5 } },
        'billing.invoice.overdue': { push: false, email: { cancelWhen: 'delivered' } },
      },
    });
    expect(policy.plansFor('chat.message').map((plan) => [plan.channel, plan.afterSeconds])).toEqual([
      ['push', 0],
      ['email', 60],
    ]);
    expect(policy.plansFor('billing.refund').map((plan) => plan.channel)).toEqual(['push']);
    expect(policy.plansFor('billing.invoice.paid')).toContainEqual({ channel: 'email', afterSeconds: 5, cancelWhen: 'read' });
    expect(policy.plansFor('billing.invoice.overdue')).toEqual([{ channel: 'email', afterSeconds: 60, cancelWhen: 'delivered' }]);
  });

  it.each([
    [['websocket'], /not be "websocket"/],
    [['Slack'], /must match/],
    [['slack', 'slack'], /Two channels are named "slack"/],
  ])('refuses the channel names %j', (names, message) => {
    expect(() => new FallbackPolicy(names)).toThrow(message);
  });

  it('refuses a negative delay and an unknown cancelWhen, naming the option', () => {
    expect(() => new FallbackPolicy(['push'], { channels: { push: { afterSeconds: -1 } } })).toThrow(/fallback.channels.push.afterSeconds/);
    expect(() => new FallbackPolicy(['push'], { types: { x: { push: { cancelWhen: 'seen' as never } } } })).toThrow(
      /fallback.types.x.push.cancelWhen/,
    );
  });
});

describe('matchType', () => {
  it('does not take a prefix for a longer word', () => {
    expect(matchType({ 'expense.*': 1 }, 'expenses.approved')).toBeUndefined();
    expect(matchType({ 'expense.*': 1 }, 'expense.approved')).toBe(1);
  });
});
