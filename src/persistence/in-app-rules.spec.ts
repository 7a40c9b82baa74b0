import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { notificationContent } from '../../test/support/notification-content';
import { channelAllowed } from '../model/channel-rule';
import { ChannelSwitches, StoredPreferences } from '../model/preferences';
import { AudienceStore } from './audience.store';
import { inAppAllowed, inAppRules, InAppPrecedence } from './in-app-rules';
import { NotificationsStore } from './notifications.store';
import { PreferencesStore } from './preferences.store';
import { runSql } from './sql';

// Types made of few segments, `_` among them, so that exact entries, prefixes of several
// lengths and LIKE's wildcard all come up; topics from a small set, so that they match.
const segment = fc.constantFrom('a', 'a_b', 'axb');
const type = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('.'));
const typeKey = fc.oneof(
  type,
  fc.array(segment, { minLength: 1, maxLength: 2 }).map((segments) => `${segments.join('.')}.*`),
);
const topic = fc.constantFrom('t1', 't2', 't_3', 'tx3');
const switches: fc.Arbitrary<ChannelSwitches> = fc.record(
  { inApp: fc.boolean(), push: fc.boolean(), email: fc.boolean() },
  { requiredKeys: [] },
);
const preferences: fc.Arbitrary<StoredPreferences> = fc.record({
  channels: switches,
  types: fc.dictionary(typeKey, switches, { maxKeys: 6 }),
  topics: fc.dictionary(topic, switches, { maxKeys: 3 }),
  quietHours: fc.constant(null),
  email: fc.constant(null),
});
const USERS = ['u0', 'u1', 'u2', 'u3'];

describe('in-app rules: the SQL decides as channelAllowed does', () => {
  const preferencesStore = new PreferencesStore();
  const inbox = new NotificationsStore();
  const audience = new AudienceStore();
  let database: DataSource;
  let sent = 0;

  beforeAll(async () => {
    database = await migratedSqliteDatabase();
  });
  afterAll(() => database.destroy());

  it('turns the entries that set inApp into rows, leaving the others out', () => {
    const rows = inAppRules({
      channels: { inApp: false, push: true },
      types: { 'a.b': { inApp: true }, 'a.*': { inApp: false }, 'c.*': { email: false } },
      topics: { t1: { inApp: true }, t2: {} },
      quietHours: null,
      email: null,
    });
    expect(rows).toEqual([
      { precedence: InAppPrecedence.Type, key: 'a.b', inApp: true },
      { precedence: InAppPrecedence.TypePrefix, key: 'a.', inApp: false },
      { precedence: InAppPrecedence.Topic, key: 't1', inApp: true },
      { precedence: InAppPrecedence.Channels, key: '', inApp: false },
    ]);
  });

  it('property: every insert path keeps exactly the users channelAllowed lets in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(preferences, { minLength: USERS.length, maxLength: USERS.length }),
        type,
        fc.option(topic, { nil: null }),
        fc.boolean(),
        async (users, notificationType, notificationTopic, defaultAllowed) => {
          const defaults = { inApp: defaultAllowed, push: true, email: true };
          const expected = USERS.filter((_, index) => channelAllowed(users[index], defaults, 'inApp', notificationType, notificationTopic));
          const now = new Date().toISOString();
          for (const [index, userId] of USERS.entries()) await preferencesStore.replace(database.manager, userId, users[index], now);

          // The fragment alone, with the type and topic bound as values.
          const decided: string[] = [];
          for (const userId of USERS) {
            const allowed = inAppAllowed({ value: userId }, { value: notificationType }, { value: notificationTopic }, defaultAllowed);
            const { rows } = await runSql(database.manager, `SELECT 1 AS "allowed" WHERE ${allowed.sql}`, allowed.parameters);
            if (rows.length > 0) decided.push(userId);
          }
          expect(decided).toEqual(expected);

          // A send to users, and a critical one, which skips the rule.
          const direct = notificationContent(`n-${++sent}`, { type: notificationType, topic: notificationTopic });
          const critical = notificationContent(`n-${++sent}`, { type: notificationType, critical: true });
          for (const content of [direct, critical]) {
            await audience.insertNotification(database.manager, content, null, { kind: 'users', userIds: USERS }, null, false);
          }
          const inserted = await inbox.insertRecipients(database.manager, direct, USERS, defaultAllowed);
          expect(inserted.map((row) => row.userId)).toEqual(expected);
          expect(await inbox.insertRecipients(database.manager, critical, USERS, defaultAllowed)).toHaveLength(USERS.length);

          // A broadcast, where the type comes from the notification's row.
          const broadcast = notificationContent(`n-${++sent}`, { type: notificationType, createdAt: now });
          await audience.insertNotification(database.manager, broadcast, null, { kind: 'broadcast' }, null, false);
          const claimed = (await audience.claimBroadcast(database.manager, broadcast, USERS.slice(0, 2), defaultAllowed)).recipients;
          const caughtUp: string[] = claimed.map((row) => row.userId);
          for (const userId of USERS.slice(2)) {
            if ((await audience.materializeBroadcasts(database.manager, userId, now, defaultAllowed)) > 0) caughtUp.push(userId);
          }
          const expectedBroadcast = USERS.filter((_, index) => channelAllowed(users[index], defaults, 'inApp', notificationType, null));
          expect(caughtUp.sort()).toEqual(expectedBroadcast);
          // Done with it: the next run's catch-up must not find this one.
          await runSql(database.manager, `DELETE FROM notifications WHERE id = ?`, [broadcast.id]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("looks a recipient's rules up by the primary key", async () => {
    const allowed = inAppAllowed({ value: 'u0' }, { value: 'a.b' }, { value: 't1' }, true);
    const plan = await runSql(database.manager, `EXPLAIN QUERY PLAN SELECT 1 WHERE ${allowed.sql}`, allowed.parameters);
    const details = plan.rows.map((row) => row.detail as string).join('\n');
    expect(details).toMatch(/SEARCH rule USING (PRIMARY KEY|INDEX sqlite_autoindex_notification_in_app_rules_1) \(user_id=\?/);
  });
});
