import { channelAllowed, ChannelRules } from './channel-rule';
import { ChannelDefaults } from './preferences';

const ALL_ON: ChannelDefaults = { inApp: true, push: true, email: true };

describe(channelAllowed.name, () => {
  // The contract's example.
  const example: ChannelRules = {
    channels: { inApp: true, push: true, email: true },
    types: { 'expense.*': { email: false }, 'system.maintenance': { inApp: false } },
    topics: { finance: { push: false } },
  };

  it('decides by the exact type, then the longest prefix, then the topic, then channels', () => {
    expect(channelAllowed(example, ALL_ON, 'inApp', 'system.maintenance', null)).toBe(false);
    expect(channelAllowed(example, ALL_ON, 'email', 'expense.approved', null)).toBe(false);
    expect(channelAllowed(example, ALL_ON, 'push', 'expense.approved', 'finance')).toBe(false);
    expect(channelAllowed(example, ALL_ON, 'push', 'expense.approved', 'other')).toBe(true);
    expect(channelAllowed(example, ALL_ON, 'inApp', 'expense.approved', 'finance')).toBe(true);
  });

  it('lets an unset key fall through to the next entry, down to the module default', () => {
    const rules: ChannelRules = {
      channels: { push: false },
      types: { 'a.b.c': { email: true }, 'a.b.*': { push: true }, 'a.*': { inApp: false, email: false } },
      topics: { t: { inApp: true } },
    };
    // The exact entry sets only email; the longer prefix only push; the shorter one inApp.
    expect(channelAllowed(rules, ALL_ON, 'email', 'a.b.c', 't')).toBe(true);
    expect(channelAllowed(rules, ALL_ON, 'push', 'a.b.c', 't')).toBe(true);
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'a.b.c', 't')).toBe(false);
    // No type entry matches: the topic, then channels, then the default.
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'z', 't')).toBe(true);
    expect(channelAllowed(rules, ALL_ON, 'push', 'z', 't')).toBe(false);
    expect(channelAllowed(rules, { ...ALL_ON, email: false }, 'email', 'z', 't')).toBe(false);
  });

  it('matches a prefix only at its dot, and never with LIKE wildcards', () => {
    const rules: ChannelRules = { channels: {}, types: { 'expense.*': { inApp: false }, 'a_b.*': { inApp: false } }, topics: {} };
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'expense', null)).toBe(true);
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'expenses.new', null)).toBe(true);
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'expense.', null)).toBe(false);
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'expense.a.b', null)).toBe(false);
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'axb.c', null)).toBe(true);
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'a_b.c', null)).toBe(false);
  });

  it('looks at own keys only: a type named like an Object member is just a type', () => {
    const rules: ChannelRules = { channels: {}, types: {}, topics: {} };
    expect(channelAllowed(rules, ALL_ON, 'inApp', 'constructor', 'toString')).toBe(true);
    const own: ChannelRules = { channels: {}, types: Object.fromEntries([['__proto__', { inApp: false }]]), topics: {} };
    expect(channelAllowed(own, ALL_ON, 'inApp', '__proto__', null)).toBe(false);
  });

  it('answers the module default for a user without preferences', () => {
    expect(channelAllowed(null, { inApp: false, push: true, email: true }, 'inApp', 't', null)).toBe(false);
    expect(channelAllowed(undefined, ALL_ON, 'email', 't', null)).toBe(true);
  });
});
