/**
 * The floor: the least code that serves the core of the notification contract well.
 * node:http + ws + better-sqlite3 + jsonwebtoken, no framework. The benchmark compares the
 * project with it, so every cost the project adds on top shows up as a ratio.
 *
 * Settings: PORT, DATABASE_FILE, JWT_SECRET. Prints `listening <port>` when ready.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
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

const databaseFile = process.env.DATABASE_FILE ?? ':memory:';
const db = new Database(databaseFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
if (databaseFile !== ':memory:') checkpointInBackground(databaseFile);
db.exec(`
  CREATE TABLE IF NOT EXISTS notifications (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, title TEXT NOT NULL, body TEXT, data TEXT,
    created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS recipients (
    cursor INTEGER PRIMARY KEY, user_id TEXT NOT NULL,
    notification_id TEXT NOT NULL REFERENCES notifications (id),
    delivered_at TEXT, read_at TEXT);
  CREATE UNIQUE INDEX IF NOT EXISTS recipients_by_notification ON recipients (notification_id, user_id);
  CREATE INDEX IF NOT EXISTS undelivered_by_user ON recipients (user_id, cursor) WHERE delivered_at IS NULL;
  CREATE INDEX IF NOT EXISTS unread_by_user ON recipients (user_id) WHERE read_at IS NULL;
`);

const insertNotification = db.prepare('INSERT INTO notifications (id, type, title, body, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
const insertRecipient = db.prepare('INSERT INTO recipients (user_id, notification_id) VALUES (?, ?)');
const markDelivered = db.prepare(
  'UPDATE recipients SET delivered_at = ? WHERE user_id = ? AND notification_id = ? AND delivered_at IS NULL',
);
const countUnread = db.prepare('SELECT count(*) AS count FROM recipients WHERE user_id = ? AND read_at IS NULL');
const selectBacklog = db.prepare(`
  SELECT r.cursor, n.id, n.type, n.title, n.body, n.data, n.created_at
  FROM recipients r JOIN notifications n ON n.id = r.notification_id
  WHERE r.user_id = ? AND r.delivered_at IS NULL ORDER BY r.cursor`);

/**
 * With synchronous=NORMAL a WAL commit never waits for the disk, but a checkpoint fsyncs the
 * database file, and SQLite runs one inside whichever commit crosses 1,000 pages: a stall of
 * milliseconds on the event loop. A second connection in a worker thread checkpoints instead.
 */
function checkpointInBackground(file: string): void {
  db.pragma('wal_autocheckpoint = 0');
  const source = `
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 1000);`;
  const worker = new Worker(`const { workerData } = require('node:worker_threads');${source}`, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), file },
  });
  worker.on('error', (error) => console.error(`checkpoint worker: ${error.message}`));
  worker.unref();
}

const storeNotification = db.transaction((notification: StoredNotification, userIds: string[]) => {
  const { id, type, title, body, data, created_at } = notification;
  insertNotification.run(id, type, title, body, data, created_at);
  return userIds.map((userId) => String(insertRecipient.run(userId, id).lastInsertRowid));
});

const acknowledge = db.transaction((userId: string, ids: string[]) => {
  const now = new Date().toISOString();
  for (const id of ids) markDelivered.run(now, userId, id);
});

/**
 * Group commit: writes queued in one turn of the event loop share one transaction, each in its
 * own savepoint (better-sqlite3 nests transactions that way), so a POST is still atomic alone.
 * A commit costs WAL page writes whatever it holds; under load this divides that cost by the
 * batch size, and when idle a batch is one write. Callers continue only after the commit; if
 * the commit itself throws, the process stops rather than deliver what was not stored.
 */
const queuedWrites: (() => void)[] = [];
const commitQueuedWrites = db.transaction(() => {
  for (const write of queuedWrites.splice(0)) write();
});

function inGroupCommit<T>(write: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const run = () => {
      try {
        resolve(write());
      } catch (error) {
        reject(error);
      }
    };
    if (queuedWrites.push(run) === 1) setImmediate(commitQueuedWrites);
  });
}

function notificationFrame(id: string, cursor: string | number, sharedFields: string): string {
  return `{"event":"notification","data":{"id":"${id}","cursor":"${cursor}",${sharedFields}`;
}

const sessionsByUser = new Map<string, Set<WebSocket>>();

function sendToUser(userId: string, frame: string): boolean {
  const sessions = sessionsByUser.get(userId);
  if (!sessions) return false;
  for (const socket of sessions) socket.send(frame);
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

function openSession(ws: WebSocket, userId: string): void {
  let sessions = sessionsByUser.get(userId);
  if (!sessions) sessionsByUser.set(userId, (sessions = new Set()));
  sessions.add(ws);
  // better-sqlite3 is synchronous, so no live notification can slip in between the backlog
  // query and registering the session: backlog first, then live, never a gap or a duplicate.
  const { count } = countUnread.get(userId) as { count: number };
  ws.send(JSON.stringify({ event: 'ready', data: { sessionId: randomUUID(), userId, unreadCount: count } }));
  for (const row of selectBacklog.all(userId) as (StoredNotification & { cursor: number })[]) {
    ws.send(notificationFrame(row.id, row.cursor, renderSharedFields(row)));
  }
  ws.on('message', (raw, isBinary) => onClientFrame(ws, userId, raw, isBinary));
  ws.on('pong', () => awaitingPong.delete(ws));
  ws.on('error', (error) => console.error(`session of ${userId}: ${error.message}`));
  ws.on('close', () => {
    awaitingPong.delete(ws);
    sessions.delete(ws);
    if (sessions.size === 0 && sessionsByUser.get(userId) === sessions) sessionsByUser.delete(userId);
  });
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
    const ids = frame.data.ids.filter((id): id is string => typeof id === 'string');
    inGroupCommit(() => acknowledge(userId, ids)).catch((error: Error) => sendError(ws, 'ACK_FAILED', error.message));
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
  const { userIds, notification } = parseSendRequest(await readJsonBody(req));
  const cursors = await inGroupCommit(() => storeNotification(notification, userIds));
  const sharedFields = renderSharedFields(notification);
  let online = 0;
  for (let i = 0; i < userIds.length; i++) {
    if (sendToUser(userIds[i], notificationFrame(notification.id, cursors[i], sharedFields))) online++;
  }
  reply(res, 201, { id: notification.id, recipients: userIds.length, online });
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

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : process.env.PORT}`);
});

function shutDown(): void {
  for (const ws of wss.clients) ws.close(1001, 'server shutting down');
  server.close();
  db.close();
  process.exit(0);
}
process.on('SIGTERM', shutDown);
process.on('SIGINT', shutDown);
