import { DataSource } from 'typeorm';
import { NotificationLifecycle } from '../src/notifications/notification-lifecycle';
import { AudienceStore } from '../src/persistence/audience.store';
import { NotificationReleasedEvent } from '../src/notifications/notification-lifecycle.events';
import { runSql } from '../src/persistence/sql';
import { ScheduledDeliveryWorker } from '../src/workers/scheduled-delivery.worker';
import { HttpResult, request, send } from './support/http';
import { racingNodes } from './support/racing-nodes';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const HELD_SENDS = 60;
const USERS = ['race-a', 'race-b', 'race-c'];

/**
 * Cancels and moves of held sends fired at the moment the release worker takes them: each
 * send ends up released exactly once, or cancelled, or moved, never two of these. On
 * PostgreSQL (the service suite runs this again there) two nodes release at once, each
 * with concurrent units of work; on SQLite the one writer interleaves the units.
 */
describe('Held sends racing the release', () => {
  const { servers, clients } = racingNodes();
  const sender = senderToken('race-sender');

  it('releases each held send at most once, and never one whose cancel or move answered first', async () => {
    /** Each released send's releases, as the node that made each (its index). */
    const releases = new Map<string, number[]>();
    servers.forEach((server, node) => {
      const lifecycle = server.app.get(NotificationLifecycle);
      const released = lifecycle.released.bind(lifecycle);
      jest.spyOn(lifecycle, 'released').mockImplementation((event: NotificationReleasedEvent) => {
        releases.set(event.notification.id, [...(releases.get(event.notification.id) ?? []), node]);
        released(event);
      });
    });
    /** The sessions, by node (each node has its own: without Redis the nodes share no delivery). */
    const sessions: Array<{ node: number; userId: string; client: TestClient }> = [];
    for (const userId of USERS) {
      for (const [node, server] of servers.entries()) {
        const client = await TestClient.open(server.wsUrl, tokenFor(userId));
        clients.push(client);
        sessions.push({ node, userId, client });
      }
    }
    const workers = servers.map((server) => server.app.get(ScheduledDeliveryWorker));
    // The test says when releases run: no timer takes the held sends before the race starts.
    for (const worker of workers) await worker.onModuleDestroy();
    const ids: string[] = [];
    for (let index = 0; index < HELD_SENDS; index++) {
      const deliverAt = new Date(Date.now() + 3_600_000).toISOString();
      const response = await send(servers[0].baseUrl, sender, {
        userIds: [USERS[index % USERS.length]],
        title: `Held ${index}`,
        deliverAt,
      });
      ids.push(response.body.id);
    }
    // Their time comes, all at once.
    const past = new Date(Date.now() - 1000).toISOString();
    await runSql(servers[0].app.get(DataSource).manager, `UPDATE notifications SET deliver_at = ?, created_at = ? WHERE sender_id = ?`, [
      past,
      past,
      'race-sender',
    ]);

    const later = new Date(Date.now() + 7_200_000).toISOString();
    const answers = new Map<string, { action: 'cancel' | 'move'; response: HttpResult }>();
    // Connections opened before the race, so that its requests reach the servers together.
    await Promise.all(
      ids.map((_, index) => request(servers[index % servers.length].baseUrl, 'GET', '/notifications/scheduled', { token: sender })),
    );
    // The cancels and moves go out as soon as a release has found the held sends due, and go
    // from the last one back while the releases go from the first, one unit of work each.
    const racing = new Promise<void>((resolve) => {
      const findDue = AudienceStore.prototype.findDue;
      jest.spyOn(AudienceStore.prototype, 'findDue').mockImplementation(async function (this: AudienceStore, ...args) {
        const due = await findDue.apply(this, args);
        if (due.length > 0) resolve();
        return due;
      });
    });
    // Each release lets a turn of the event loop go by first: the requests, parsed meanwhile,
    // get their turns between the releases instead of after all of them (this process runs the
    // servers and their clients alike, and a release on SQLite never waits on I/O).
    const release = AudienceStore.prototype.release;
    jest.spyOn(AudienceStore.prototype, 'release').mockImplementation(async function (this: AudienceStore, ...args) {
      await new Promise((resolve) => setImmediate(resolve));
      return release.apply(this, args);
    });
    const releasing = Promise.all(workers.map((worker) => worker.releaseDue()));
    await racing;
    await Promise.all(
      [...ids].reverse().map(async (id) => {
        const index = ids.indexOf(id);
        const action = index % 2 === 0 ? 'cancel' : 'move';
        const baseUrl = servers[index % servers.length].baseUrl;
        const response =
          action === 'cancel'
            ? await request(baseUrl, 'DELETE', `/notifications/scheduled/${id}`, { token: sender })
            : await request(baseUrl, 'PATCH', `/notifications/scheduled/${id}`, { token: sender, body: { deliverAt: later } });
        answers.set(id, { action, response });
      }),
    );
    await releasing;
    // Whatever was still due is released now.
    for (const worker of workers) await worker.releaseDue();

    const manager = servers[0].app.get(DataSource).manager;
    const stored = await runSql(
      manager,
      `SELECT id, deliver_at AS "deliverAt", pending_audience AS "pending" FROM notifications WHERE sender_id = ?`,
      ['race-sender'],
    );
    const rowOf = new Map(stored.rows.map((row) => [row.id as string, row]));
    const inboxRows = await runSql(
      manager,
      `SELECT notification_id AS "id", COUNT(*) AS "count" FROM notification_recipients r
       JOIN notifications n ON n.id = r.notification_id WHERE n.sender_id = ? GROUP BY notification_id`,
      ['race-sender'],
    );
    const inboxCountOf = new Map(inboxRows.rows.map((row) => [row.id as string, Number(row.count)]));

    const outcomes = { cancelled: 0, moved: 0, releasedFirst: 0 };
    for (const id of ids) {
      const { action, response } = answers.get(id)!;
      const releasedCount = releases.get(id)?.length ?? 0;
      const observed = { id, action, status: response.status, releasedCount, row: rowOf.get(id) ?? null, inbox: inboxCountOf.get(id) ?? 0 };
      if (response.status === 404) {
        outcomes.releasedFirst++;
        expect(observed).toEqual({ ...observed, releasedCount: 1, row: expect.objectContaining({ pending: null }), inbox: 1 });
      } else if (action === 'cancel') {
        outcomes.cancelled++;
        expect(observed).toEqual({ ...observed, status: 204, releasedCount: 0, row: null, inbox: 0 });
      } else {
        outcomes.moved++;
        expect(observed).toEqual({
          ...observed,
          status: 200,
          releasedCount: 0,
          row: { id, deliverAt: later, pending: expect.any(String) },
          inbox: 0,
        });
      }
    }
    // Every released send reached each session of its recipient on the node that released it, once.
    for (const { node, userId, client } of sessions) {
      const expected = ids.filter((id, index) => USERS[index % USERS.length] === userId && releases.get(id)?.includes(node));
      await client.waitFor('notification', expected.length);
      await client.roundTrip();
      const delivered = client.all('notification').map((frame) => frame.data.id as string);
      expect(delivered.sort()).toEqual(expected.sort());
    }
    expect(outcomes.cancelled + outcomes.moved + outcomes.releasedFirst).toBe(HELD_SENDS);
  });
});
