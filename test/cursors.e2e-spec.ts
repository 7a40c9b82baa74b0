import { request, send } from './support/http';
import { SseTestClient } from './support/sse-client';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** The largest cursor: the server handles cursors as JavaScript numbers, exact up to 2^53 - 1. */
const LARGEST = '9007199254740991';
/** Just past it; the bigint column's largest value; past that (19 digits, which used to pass). */
const PAST_LARGEST = ['9007199254740992', '9223372036854775807', '9223372036854775808', '9999999999999999999'];

/**
 * A cursor a client sends (`before`, `after`, `Last-Event-ID`) is a whole number the server
 * can handle exactly; anything larger, up to 19 digits past PostgreSQL's bigint range, is bad
 * input, never a 500 or a 1011 (audit finding 6). The service suite runs this spec again on
 * PostgreSQL.
 */
describe('Cursors past the largest one', () => {
  let server: TestServer;
  let notificationId: string;

  beforeAll(async () => {
    server = await startServer();
    notificationId = (await send(server.baseUrl, senderToken(), { userIds: ['cursor-user'] })).body.id;
  });
  afterAll(() => server.close());

  it.each(PAST_LARGEST)('answers GET /notifications?before=%s with 400 naming before', async (cursor) => {
    const response = await request(server.baseUrl, 'GET', `/notifications?before=${cursor}`, { token: tokenFor('cursor-user') });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(/before must be a cursor/);
  });

  it('lists the page before the largest cursor', async () => {
    const response = await request(server.baseUrl, 'GET', `/notifications?before=${LARGEST}`, { token: tokenFor('cursor-user') });
    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([notificationId]);
  });

  it.each(PAST_LARGEST)('refuses the upgrade /ws?after=%s with 400, before any 101', async (cursor) => {
    await expect(TestClient.open(server.wsUrl, tokenFor('cursor-user'), cursor)).rejects.toMatchObject({ status: 400 });
  });

  it('opens a session resuming after the largest cursor, with nothing to replay', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('cursor-user'), LARGEST);
    await client.roundTrip();
    expect(client.all('notification')).toEqual([]);
    expect(client.closeCode).toBeUndefined();
    await client.close();
  });

  it.each(PAST_LARGEST)('answers an event stream with Last-Event-ID %s with 400', async (cursor) => {
    const stream = await SseTestClient.open(server.baseUrl, { token: tokenFor('cursor-user'), headers: { 'last-event-id': cursor } });
    expect(stream.response.status).toBe(400);
    expect(((await stream.response.json()) as { message: string }).message).toMatch(/Last-Event-ID must be a cursor/);
  });
});
