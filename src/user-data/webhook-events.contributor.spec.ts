import { DataSource } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { WebhookEventsStore } from '../persistence/webhook-events.store';
import { WebhookEventsContributor, withoutUser } from './webhook-events.contributor';

describe('withoutUser', () => {
  const event = (data: object) => JSON.stringify({ type: 'x', timestamp: '2026-01-01T00:00:00.000Z', data });

  it('drops an event about the user alone', () => {
    expect(withoutUser(event({ userId: 'ana', notificationIds: ['n1'], count: 1 }), 'ana')).toBeNull();
  });

  it("takes the user out of a send's audience and out of its sender, and keeps the rest", () => {
    const redacted = withoutUser(event({ audience: { kind: 'users', userIds: ['ana', 'bob'] }, senderId: 'ana', recipients: 2 }), 'ana');
    expect(JSON.parse(redacted!).data).toEqual({ audience: { kind: 'users', userIds: ['bob'] }, senderId: null, recipients: 2 });
  });

  it("leaves another user's event as it was", () => {
    const payload = event({ userId: 'bob', notificationIds: ['n1'], count: 1 });
    expect(JSON.parse(withoutUser(payload, 'ana')!)).toEqual(JSON.parse(payload));
  });
});

describe(WebhookEventsContributor.name, () => {
  const contributor = new WebhookEventsContributor();
  let database: DataSource;
  const event = (id: string, data: object) => ({
    id,
    type: 'notification.read',
    payload: JSON.stringify({ type: 'notification.read', timestamp: '2026-01-01T00:00:00.000Z', data }),
  });

  beforeEach(async () => {
    database = await migratedSqliteDatabase();
    // With tenancy, events name users by their own id and the tenant: acme's u1 and globex's u1 are two users.
    await new WebhookEventsStore().insert(
      database.manager,
      [
        event('msg_1', { userId: 'u1', tenantId: 'acme', count: 1 }),
        event('msg_2', { userId: 'u1', tenantId: 'globex', count: 1 }),
        event('msg_3', { audience: { kind: 'users', userIds: ['u1', 'u2'] }, tenantId: 'acme', recipients: 2 }),
      ],
      '2026-01-01T00:00:00.000Z',
    );
  });
  afterEach(() => database.destroy());

  it("exports and erases the events of the tenant's user only, found by the id the events name them by", async () => {
    const acmeU1 = { userId: 'u1', tenantId: 'acme' };
    const page = await contributor.exportPage(database.manager, '3:u1', null, 10, acmeU1);
    expect(page.items.map((item) => item.id)).toEqual(['msg_1', 'msg_3']);
    expect(await contributor.eraseBatch(database.manager, '3:u1', null, 10, acmeU1)).toBeNull();
    const left = await database.query('SELECT id, payload FROM notification_webhook_events ORDER BY id');
    expect(left.map((row: { id: string }) => row.id)).toEqual(['msg_2', 'msg_3']);
    expect(JSON.parse(left[1].payload).data.audience.userIds).toEqual(['u2']);
  });
});
