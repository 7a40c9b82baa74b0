import { MODULE_TABLES } from '../../src/persistence/table-naming';
import { request, send } from './http';
import { senderToken, tokenFor } from './tokens';

/** The notifications of storeUserData, by what they are to the user. */
export interface UserDataScenario {
  /** Sent to the user alone: erasing the user deletes it. */
  onlyTheirs: string;
  /** Sent to the user and the other user; the user read it. */
  shared: string;
  /** Sent to a topic both subscribe to; the user archived it. */
  topicSend: string;
  broadcast: string;
  /** Held for both users, and for the user alone. */
  heldForBoth: string;
  heldForThem: string;
  /** Sent by the user (whose token may send) to the other user, with an Idempotency-Key. */
  sentByThem: string;
  /** Sent to the user alone, who snoozed it. */
  snoozed: string;
}

/**
 * Puts a little of everything the module stores about `userId` in the server at `baseUrl`,
 * through its routes: inbox entries in several states, a topic subscription, a place in held
 * sends, a send of their own with an Idempotency-Key, a snoozed notification. `otherUserId` shares some of it.
 */
export async function storeUserData(baseUrl: string, userId: string, otherUserId: string): Promise<UserDataScenario> {
  const sender = senderToken();
  const user = tokenFor(userId, { scope: 'notifications:send' });
  const id = async (response: Promise<{ status: number; body: any }>) => {
    const { status, body } = await response;
    if (status !== 201) throw new Error(`send failed with ${status}: ${JSON.stringify(body)}`);
    return body.id as string;
  };
  // Named after the other user: nothing left of the user may be found by their id.
  const topic = `topic-with-${otherUserId}`;
  for (const subscriber of [userId, otherUserId]) {
    await request(baseUrl, 'PUT', `/topics/${topic}/subscribers/${encodeURIComponent(subscriber)}`, { token: sender });
  }
  const later = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
  const scenario: UserDataScenario = {
    onlyTheirs: await id(send(baseUrl, sender, { userIds: [userId], title: 'Only yours' })),
    shared: await id(send(baseUrl, sender, { userIds: [userId, otherUserId], title: 'For both' })),
    topicSend: await id(send(baseUrl, sender, { topic, title: 'To the topic' })),
    broadcast: await id(send(baseUrl, sender, { broadcast: true, title: 'To everyone' })),
    heldForBoth: await id(send(baseUrl, sender, { userIds: [otherUserId, userId], title: 'Later, both', deliverAt: later })),
    heldForThem: await id(send(baseUrl, sender, { userIds: [userId], title: 'Later, yours', deliverAt: later })),
    sentByThem: await id(
      send(baseUrl, user, { userIds: [otherUserId], title: 'From the user' }, { 'idempotency-key': `key-of-${userId}` }),
    ),
    snoozed: await id(send(baseUrl, sender, { userIds: [userId], title: 'Snoozed by you' })),
  };
  await request(baseUrl, 'POST', `/notifications/${scenario.snoozed}/snooze`, { token: user, body: { until: later } });
  await request(baseUrl, 'POST', `/notifications/${scenario.shared}/read`, { token: user });
  await request(baseUrl, 'DELETE', `/notifications/${scenario.topicSend}`, { token: user });
  // Preferences: the value, and an in-app rule row; for a type nothing here sends.
  await request(baseUrl, 'PUT', '/preferences', {
    token: user,
    body: { types: { 'muted.*': { inApp: false } }, email: `${userId}@example.com` },
  });
  // Listing puts the broadcast in the user's inbox (and in the other user's).
  await request(baseUrl, 'GET', '/notifications', { token: user });
  await request(baseUrl, 'GET', '/notifications', { token: tokenFor(otherUserId) });
  return scenario;
}

/** Every row of every module table whose values mention `text`, by table (tables without any left out). */
export async function rowsMentioning(query: (sql: string) => Promise<any[]>, text: string): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const table of MODULE_TABLES) {
    const rows = (await query(`SELECT * FROM ${table}`)).filter((row) => JSON.stringify(row).includes(text));
    if (rows.length > 0) found[table] = rows;
  }
  return found;
}
