import { DataSource } from 'typeorm';
import { Snoozes } from '../src/notifications/snoozes';
import { runSql } from '../src/persistence/sql';
import { SnoozesStore } from '../src/persistence/snoozes.store';
import { ScheduledDeliveryWorker } from '../src/workers/scheduled-delivery.worker';
import { request, send } from './support/http';
import { racingNodes } from './support/racing-nodes';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const SNOOZES = 45;
const USERS = ['szr-a', 'szr-b', 'szr-c'];
/** Concurrent releases per node. */
const RELEASES_PER_NODE = 2;

/**
 * Snoozes released by several releases at once: each comes back exactly once (one inbox
 * entry, one live frame on one node). On PostgreSQL (the service suite runs this again there)
 * two nodes release at once, each with concurrent units of work; on SQLite the one writer
 * interleaves the units of the concurrent releases of one node.
 */
describe('Snoozes racing their release', () => {
  const { servers, clients } = racingNodes();

  it('brings each snooze back once, whatever the releases racing for it', async () => {
    // The test says when releases run: no timer takes the snoozes before the race starts.
    for (const server of servers) await server.app.get(ScheduledDeliveryWorker).onModuleDestroy();
    const ids: string[] = [];
    for (let index = 0; index < SNOOZES; index++) {
      const userId = USERS[index % USERS.length];
      const sent = await send(servers[0].baseUrl, senderToken('szr-sender'), { userIds: [userId], title: `Snoozed ${index}` });
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const snoozed = await request(servers[0].baseUrl, 'POST', `/notifications/${sent.body.id}/snooze`, {
        token: tokenFor(userId),
        body: { until },
      });
      expect(snoozed.status).toBe(204);
      ids.push(sent.body.id);
    }
    const sessions: Array<{ node: number; userId: string; client: TestClient }> = [];
    for (const userId of USERS) {
      for (const [node, server] of servers.entries()) {
        const client = await TestClient.open(server.wsUrl, tokenFor(userId));
        clients.push(client);
        sessions.push({ node, userId, client });
      }
    }
    const manager = servers[0].app.get(DataSource).manager;
    await runSql(manager, `UPDATE notification_snoozes SET until = ?`, [new Date(Date.now() - 1000).toISOString()]);
    // Each release lets a turn of the event loop go by first, so the racing units interleave.
    const release = SnoozesStore.prototype.release;
    jest.spyOn(SnoozesStore.prototype, 'release').mockImplementation(async function (this: SnoozesStore, ...args) {
      await new Promise((resolve) => setImmediate(resolve));
      return release.apply(this, args);
    });
    // Only a release that took the snooze puts the entry back (the insert's ON CONFLICT is a backstop, not the guard).
    const reinserted = jest.spyOn(SnoozesStore.prototype, 'reinsert');

    await Promise.all(
      servers.flatMap((server) => Array.from({ length: RELEASES_PER_NODE }, () => server.app.get(Snoozes).releaseDue(SNOOZES))),
    );

    const { rows } = await runSql(
      manager,
      `SELECT notification_id AS "id", COUNT(*) AS "count" FROM notification_recipients
       WHERE user_id IN (?, ?, ?) GROUP BY notification_id`,
      USERS,
    );
    expect(Object.fromEntries(rows.map((row) => [row.id, Number(row.count)]))).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    expect(reinserted).toHaveBeenCalledTimes(SNOOZES);
    expect(Number((await runSql(manager, `SELECT COUNT(*) AS "count" FROM notification_snoozes`)).rows[0].count)).toBe(0);
    // Each came back live, and no session got one twice. Without Redis the nodes share no
    // delivery: a session gets what its node released, and on PostgreSQL what it fills in from
    // the database when a live cursor shows it a gap (entries the other node released).
    for (const userId of USERS) {
      const theirs = ids.filter((_, index) => USERS[index % USERS.length] === userId);
      const delivered = new Set<string>();
      for (const { client } of sessions.filter((session) => session.userId === userId)) {
        await client.roundTrip();
        const received = client.all('notification').map((frame) => frame.data.id as string);
        expect(received.length).toBe(new Set(received).size);
        received.forEach((id) => delivered.add(id));
      }
      expect([...delivered].sort()).toEqual(theirs.sort());
    }
  });
});
