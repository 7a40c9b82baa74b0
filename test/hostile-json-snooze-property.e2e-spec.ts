import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { runSql } from '../src/persistence/sql';
import { anyJsonText, deepText, hostileKeyText, hostileText, notJsonText, UNKNOWN_KEYS } from './support/hostile-json';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

const DAY_MS = 86_400_000;

/** `POST /notifications/:id/snooze` under random and hostile bodies: a 204, 400, 404 or 413, never a 5xx, and nothing stored on a refusal. */
describe('Hostile JSON, random: snooze', () => {
  let server: TestServer;
  const user = tokenFor('fuzz-snoozer');
  let ownId: string;
  let othersId: string;
  /** The user's snoozes and inbox entries as stored now. */
  const stored = async () => {
    const manager = server.app.get(DataSource).manager;
    const snoozes = await runSql(manager, `SELECT notification_id AS "id" FROM notification_snoozes WHERE user_id = ?`, ['fuzz-snoozer']);
    const entries = await runSql(manager, `SELECT notification_id AS "id" FROM notification_recipients WHERE user_id = ?`, [
      'fuzz-snoozer',
    ]);
    return { snoozes: snoozes.rows.map((row) => row.id), entries: entries.rows.map((row) => row.id) };
  };

  beforeAll(async () => {
    server = await startServer();
    const sender = senderToken('fuzz-snooze-sender');
    ownId = (await send(server.baseUrl, sender, { userIds: ['fuzz-snoozer'] })).body.id;
    othersId = (await send(server.baseUrl, sender, { userIds: ['fuzz-other'] })).body.id;
  });
  afterAll(() => server.close());

  it('refuses every body but one with a future until at most 90 days ahead, naming until', async () => {
    // Times past, near, far and beyond 90 days, in many spellings: only a zoned one within (now, now + 90 days] snoozes.
    const timeText = fc.oneof(
      fc.constantFrom('"2020-01-01T00:00:00Z"', '"2999-01-01T00:00:00Z"', '"2999-01-01T00:00:00"', '"2999-02-30T00:00:00Z"', 'null', '""'),
      fc.integer({ min: -2 * DAY_MS, max: 120 * DAY_MS }).map((offset) => JSON.stringify(new Date(Date.now() + offset).toISOString())),
      fc.date({ noInvalidDate: true }).map((date) => JSON.stringify(date.toISOString())),
      fc.integer().map(String),
    );
    const extraField = fc.oneof(
      fc.constantFrom(...UNKNOWN_KEYS).map((key) => ({ key: JSON.stringify(key), unknown: true })),
      hostileKeyText.map((key) => ({ key, unknown: key !== '"until"' })),
    );
    const bodies = fc
      .tuple(
        fc.oneof({ arbitrary: timeText, weight: 4 }, { arbitrary: hostileText, weight: 1 }, { arbitrary: deepText, weight: 1 }),
        fc.option(fc.tuple(extraField, anyJsonText), { nil: undefined }),
      )
      .map(([time, extra]) => ({
        rawBody: `{"until":${time}${extra ? `,${extra[0].key}:${extra[1]}` : ''}}`,
        mustRefuse: extra?.[0].unknown ?? false,
      }));
    const anyBody = fc.oneof(anyJsonText, notJsonText).map((rawBody) => ({ rawBody, mustRefuse: false }));
    const ids = fc.oneof(
      { arbitrary: fc.constant('own'), weight: 6 },
      { arbitrary: fc.constant('others'), weight: 1 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((text) => encodeURIComponent(text)), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodies, anyBody), ids, async ({ rawBody, mustRefuse }, id) => {
        const before = await stored();
        const target = id === 'own' ? ownId : id === 'others' ? othersId : id;
        const response = await request(server.baseUrl, 'POST', `/notifications/${target}/snooze`, {
          token: user,
          rawBody,
          headers: { 'content-type': 'application/json' },
        });
        expect(mustRefuse && id === 'own' ? [400, 413] : [204, 400, 404, 413]).toContain(response.status);
        if (response.status === 204) {
          expect(id).toBe('own');
          const until = Date.parse(JSON.parse(rawBody).until);
          expect(until).toBeGreaterThan(Date.now() - 5000);
          expect(until).toBeLessThanOrEqual(Date.now() + 90 * DAY_MS);
          expect(await stored()).toEqual({ snoozes: [ownId], entries: [] });
          // Back in the inbox for the next run, as if it had come back.
          const manager = server.app.get(DataSource).manager;
          await runSql(manager, `DELETE FROM notification_snoozes WHERE user_id = ?`, ['fuzz-snoozer']);
          await runSql(manager, `INSERT INTO notification_recipients (user_id, notification_id, created_at) VALUES (?, ?, ?)`, [
            'fuzz-snoozer',
            ownId,
            new Date().toISOString(),
          ]);
          return;
        }
        expect(response.body).toMatchObject({ statusCode: response.status, message: expect.anything() });
        // A body of `until` alone, a scalar, refused: the message names it.
        if (response.status === 400 && id === 'own' && untilAlone(rawBody))
          expect(JSON.stringify(response.body.message)).toContain('until');
        // Refused: nothing changed.
        expect(await stored()).toEqual(before);
      }),
      { numRuns: 250 },
    );
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

/** Whether the body is a JSON object of one field, `until`, with a scalar value. */
function untilAlone(rawBody: string): boolean {
  try {
    const body = JSON.parse(rawBody);
    return Object.keys(body ?? {}).join() === 'until' && !Array.isArray(body) && (body.until === null || typeof body.until !== 'object');
  } catch {
    return false;
  }
}
