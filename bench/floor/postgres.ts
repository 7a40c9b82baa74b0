/**
 * The PostgreSQL floor: the least code that serves the core of the notification contract well
 * on PostgreSQL. node:http + ws + pg + jsonwebtoken, no framework; the same structure, wire
 * frames and checks as the SQLite floor (server.ts), so the same load client measures both,
 * and the project on PostgreSQL is compared with it.
 *
 * Settings: PORT, DATABASE_URL, JWT_SECRET. Creates its tables in that database at start.
 * Prints `listening <port>` when ready.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Pool } from 'pg';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import {
  bearerToken,
  HttpError,
  parseSendRequest,
  readJsonBody,
  refuseUpgrade,
  renderSharedFields,
  reply,
  sendError,
  StoredNotification,
  verifiedClaims,
} from './contract';

const HEARTBEAT_MS = 30_000;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must be set (postgres://…)');

// As many connections as the project's pool (server/src/database-options.ts), so neither side
// has more statements in flight than the other.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
// An idle connection that breaks (PostgreSQL restarted) is replaced; it must not end the process.
pool.on('error', (error) => console.error(`idle PostgreSQL connection: ${error.message}`));

// `data` is the JSON text as received, like the SQLite floor stores it: jsonb would parse it on
// every insert and serialise it on every read, for nothing this server queries.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS notifications (
    id uuid PRIMARY KEY, type text NOT NULL, title text NOT NULL, body text, data text,
    created_at timestamptz NOT NULL);
  CREATE TABLE IF NOT EXISTS recipients (
    cursor bigserial PRIMARY KEY, user_id text NOT NULL,
    notification_id uuid NOT NULL REFERENCES notifications (id),
    delivered_at timestamptz, read_at timestamptz);
  CREATE UNIQUE INDEX IF NOT EXISTS recipients_by_notification ON recipients (notification_id, user_id);
  CREATE INDEX IF NOT EXISTS undelivered_by_user ON recipients (user_id, cursor) WHERE delivered_at IS NULL;
  CREATE INDEX IF NOT EXISTS unread_by_user ON recipients (user_id) WHERE read_at IS NULL;
`;

/**
 * Each hot-path operation is one statement, so one round trip, and a named statement, so it is
 * parsed and planned once per connection. A send stores the notification and all its
 * recipient rows in one statement (one implicit transaction): the recipients as an array
 * parameter, so the text is the same whatever their number.
 */
const SEND = {
  name: 'send',
  text: `
    WITH notification AS (
      INSERT INTO notifications (id, type, title, body, data, created_at)
      VALUES ($1::uuid, $2, $3, $4, $5, $6::timestamptz))
    INSERT INTO recipients (user_id, notification_id)
    SELECT user_id, $1::uuid FROM unnest($7::text[]) AS user_id
    RETURNING cursor, user_id`,
};
/**
 * The acks of many sessions in one statement: (user, notification) pairs as two arrays.
 * Unnamed, so PostgreSQL plans it for each batch's arrays: as a named statement it went to a
 * generic plan after five runs, which cost its backend 120 µs of CPU per ack against 25 with
 * a plan per batch (bench/micro/pg-send-parts.js); planning a batch costs far less than that.
 */
const ACK = {
  text: `
    UPDATE recipients r SET delivered_at = now()
    FROM unnest($1::text[], $2::uuid[]) AS acked (user_id, notification_id)
    WHERE r.notification_id = acked.notification_id AND r.user_id = acked.user_id AND r.delivered_at IS NULL`,
};
/** A handshake's unread count and backlog in one statement: one row with a null cursor when there is no backlog. */
const OPEN = {
  name: 'open',
  text: `
    SELECT unread.count AS unread, b.cursor, b.id, b.type, b.title, b.body, b.data, b.created_at
    FROM (SELECT count(*) FROM recipients WHERE user_id = $1 AND read_at IS NULL) AS unread
    LEFT JOIN LATERAL (
      SELECT r.cursor, n.id, n.type, n.title, n.body, n.data,
        to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
      FROM recipients r JOIN notifications n ON n.id = r.notification_id
      WHERE r.user_id = $1 AND r.delivered_at IS NULL) AS b ON true
    ORDER BY b.cursor`,
};

/**
 * Group commit for acks: the acks that arrive while one batch is being written wait and go
 * together in the next, one statement and one commit for all of them. Under load this divides
 * the commit by the batch size and keeps acks from taking the pool's connections from sends;
 * when idle a batch is one ack, written in the next turn.
 */
interface QueuedAck {
  ws: WebSocket;
  userId: string;
  ids: string[];
}
let queuedAcks: QueuedAck[] = [];
let ackBatchUnderway = false;

function queueAck(ack: QueuedAck): void {
  queuedAcks.push(ack);
  if (!ackBatchUnderway) {
    ackBatchUnderway = true;
    setImmediate(commitAcks);
  }
}

function commitAcks(): void {
  const batch = queuedAcks;
  queuedAcks = [];
  const userIds: string[] = [];
  const notificationIds: string[] = [];
  for (const { userId, ids } of batch) {
    for (const id of ids) {
      userIds.push(userId);
      notificationIds.push(id);
    }
  }
  pool
    .query({ ...ACK, values: [userIds, notificationIds] })
    .catch((error: Error) => {
      for (const { ws } of batch) sendError(ws, 'ACK_FAILED', error.message);
    })
    .finally(() => {
      if (queuedAcks.length) setImmediate(commitAcks);
      else ackBatchUnderway = false;
    });
}

function notificationFrame(id: string, cursor: string, sharedFields: string): string {
  return `{"event":"notification","data":{"id":"${id}","cursor":"${cursor}",${sharedFields}`;
}

const sessionsByUser = new Map<string, Set<WebSocket>>();
/**
 * A session's backlog is read while sends go on, so a notification can be both in it and
 * sent live. While the backlog is read, live frames to the session are held here; after it is
 * sent, they are released, and until every send that was underway meanwhile has been
 * dispatched, frames whose cursor the backlog held are skipped (`skipping`). Backlog first,
 * then live, no gap and no duplicate.
 */
const holding = new Map<WebSocket, { cursor: string; frame: string }[]>();
const skipping = new Map<WebSocket, Set<string>>();
/** Sends stored or being stored but not yet dispatched to sessions. */
const sendsUnderway = new Set<Promise<unknown>>();

function sendToUser(userId: string, cursor: string, frame: string): boolean {
  const sessions = sessionsByUser.get(userId);
  if (!sessions) return false;
  for (const socket of sessions) {
    const held = holding.get(socket);
    if (held) held.push({ cursor, frame });
    else if (!skipping.get(socket)?.has(cursor)) socket.send(frame);
  }
  return true;
}

// --- WebSocket ---------------------------------------------------------------------------

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 });
const awaitingPong = new Set<WebSocket>();

function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
  const token = url.searchParams.get('access_token') ?? bearerToken(request.headers.authorization);
  const claims = verifiedClaims(token);
  if (!claims) return refuseUpgrade(socket, 401, 'Unauthorized');
  wss.handleUpgrade(request, socket, head, (ws) => openSession(ws, claims.sub as string));
}

interface OpenRow extends Omit<StoredNotification, 'id'> {
  unread: string;
  cursor: string | null;
  id: string;
}

function openSession(ws: WebSocket, userId: string): void {
  let sessions = sessionsByUser.get(userId);
  if (!sessions) sessionsByUser.set(userId, (sessions = new Set()));
  sessions.add(ws);
  holding.set(ws, []);
  ws.on('message', (raw, isBinary) => onClientFrame(ws, userId, raw, isBinary));
  ws.on('pong', () => awaitingPong.delete(ws));
  ws.on('error', (error) => console.error(`session of ${userId}: ${error.message}`));
  ws.on('close', () => {
    holding.delete(ws);
    awaitingPong.delete(ws);
    sessions.delete(ws);
    if (sessions.size === 0 && sessionsByUser.get(userId) === sessions) sessionsByUser.delete(userId);
  });
  pool.query<OpenRow>({ ...OPEN, values: [userId] }).then(
    ({ rows }) => {
      const held = holding.get(ws);
      if (!held) return; // closed meanwhile
      holding.delete(ws);
      const unreadCount = Number(rows[0].unread);
      ws.send(JSON.stringify({ event: 'ready', data: { sessionId: randomUUID(), userId, unreadCount } }));
      const backlog = rows.filter((row) => row.cursor !== null);
      for (const row of backlog) ws.send(notificationFrame(row.id, row.cursor as string, renderSharedFields(row)));
      if (backlog.length === 0) {
        for (const { frame } of held) ws.send(frame);
        return;
      }
      const replayed = new Set(backlog.map((row) => row.cursor as string));
      for (const { cursor, frame } of held) if (!replayed.has(cursor)) ws.send(frame);
      if (sendsUnderway.size) {
        skipping.set(ws, replayed);
        void Promise.allSettled(sendsUnderway).then(() => skipping.delete(ws));
      }
    },
    (error: Error) => {
      console.error(`backlog of ${userId}: ${error.message}`);
      ws.close(1011, 'backlog unavailable');
    },
  );
}

function onClientFrame(ws: WebSocket, userId: string, raw: RawData, isBinary: boolean): void {
  let frame: { event?: unknown; data?: { ids?: unknown } } | undefined;
  try {
    if (!isBinary) frame = JSON.parse(raw.toString());
  } catch {
    // Not JSON: answered below like any other frame the server does not understand.
  }
  if (!frame || typeof frame !== 'object') {
    return sendError(ws, 'BAD_FRAME', 'frames must be JSON text {"event", "data"}');
  }
  if (frame.event === 'ack' && Array.isArray(frame.data?.ids)) {
    // An id that is not a UUID names no notification (as an unknown id on SQLite updates
    // nothing); left in, it would fail the cast for the whole batch.
    const ids = frame.data.ids.filter((id): id is string => typeof id === 'string' && UUID_PATTERN.test(id));
    if (ids.length) queueAck({ ws, userId, ids });
  } else if (frame.event === 'ping') {
    ws.send('{"event":"pong","data":{}}');
  } else {
    sendError(ws, 'UNKNOWN_EVENT', 'expected ack {ids} or ping');
  }
}

// Dead peers are found by ping/pong: one unanswered ping closes the session.
setInterval(() => {
  for (const ws of wss.clients) {
    if (awaitingPong.has(ws)) {
      ws.terminate();
      continue;
    }
    awaitingPong.add(ws);
    ws.ping();
  }
}, HEARTBEAT_MS).unref();

// --- REST --------------------------------------------------------------------------------

async function postNotification(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const claims = verifiedClaims(bearerToken(req.headers.authorization));
  if (!claims) throw new HttpError(401, 'a valid bearer token is required', 'Unauthorized');
  if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes('notifications:send')) {
    throw new HttpError(403, 'the token lacks the notifications:send scope', 'Forbidden');
  }
  const { userIds, notification: n } = parseSendRequest(await readJsonBody(req));
  const values = [n.id, n.type, n.title, n.body, n.data, n.created_at, userIds];
  const sent = pool.query<{ cursor: string; user_id: string }>({ ...SEND, values }).then(({ rows }) => {
    const sharedFields = renderSharedFields(n);
    let online = 0;
    for (const row of rows) {
      if (sendToUser(row.user_id, row.cursor, notificationFrame(n.id, row.cursor, sharedFields))) online++;
    }
    return online;
  });
  sendsUnderway.add(sent);
  try {
    reply(res, 201, { id: n.id, recipients: userIds.length, online: await sent });
  } finally {
    sendsUnderway.delete(sent);
  }
}

async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method === 'POST' && path === '/notifications') return postNotification(req, res);
  if (req.method === 'GET' && path === '/health') return reply(res, 200, { status: 'ok' });
  throw new HttpError(404, `Cannot ${req.method} ${path}`, 'Not Found');
}

const server = createServer((req, res) => {
  handleRequest(req, res).catch((error: unknown) => {
    if (error instanceof HttpError) {
      return reply(res, error.status, { statusCode: error.status, message: error.message, error: error.error });
    }
    console.error(error);
    reply(res, 500, { statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' });
  });
});
server.keepAliveTimeout = 65_000;
server.on('upgrade', onUpgrade);

pool.query(SCHEMA).then(
  () =>
    server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
      const address = server.address();
      console.log(`listening ${typeof address === 'object' && address ? address.port : process.env.PORT}`);
    }),
  (error: Error) => {
    console.error(`could not create the tables: ${error.message}`);
    process.exit(1);
  },
);

function shutDown(): void {
  for (const ws of wss.clients) ws.close(1001, 'server shutting down');
  server.close();
  pool.end().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on('SIGTERM', shutDown);
process.on('SIGINT', shutDown);
