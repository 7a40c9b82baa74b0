import { NotificationContent } from '../model/notification.view';
import { notificationInsert } from './audience.store';
import { LOCK_INBOXES, previousCursorOf } from './inbox-locks';
import { StoredRecipient, toStoredRecipient, UNREAD_ROW } from './notifications.store';
import { PostgresStatement, UnitOfWork } from './unit-of-work';

/** What a direct send stored: each user's new cursor, and the unread counts of those online. */
export interface DirectSendStored {
  recipients: StoredRecipient[];
  unread: Map<string, number>;
}

/** Inbox rows in the order of the users list, so cursors follow it as a multi-row VALUES would. */
const INSERT_INBOX_ROWS = `INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at)
  SELECT audience.user_id, ?, ?, ? FROM unnest(?::text[]) WITH ORDINALITY AS audience (user_id, position)
  ORDER BY audience.position
  RETURNING cursor, user_id AS "userId", ${previousCursorOf('notification_recipients')} AS "previousCursor"`;

const COUNT_UNREAD = `SELECT user_id AS "userId", COUNT(*) AS "count" FROM notification_recipients
  WHERE user_id = ANY(?::text[]) AND ${UNREAD_ROW} GROUP BY user_id`;

/**
 * PostgreSQL: a send to a list of users in one round trip, where the general path takes six
 * (BEGIN, the inbox locks, the notification, the inbox rows, the unread counts, COMMIT).
 * The statements are the same; they go in one message (UnitOfWork.writeInOneRoundTrip) and
 * run as one transaction. Each has its own snapshot, which the gapless cursors need: the
 * inbox rows and their previous cursors are read after the locks are held, so they see every
 * earlier send to these users (inbox-locks.ts). Sends with an Idempotency-Key, held sends
 * and topics keep the general path: they decide between statements.
 */
export async function storeDirectSend(
  unitOfWork: UnitOfWork,
  content: NotificationContent,
  senderId: string | null,
  userIds: readonly string[],
  deliverAt: string | null,
  onlineUserIds: readonly string[],
  now: string,
  /** The channel plans' INSERT … SELECT (outbox.store.ts), when a channel is configured: one more statement in the same message. */
  outbox?: PostgresStatement,
): Promise<DirectSendStored> {
  const statements: PostgresStatement[] = [
    { text: LOCK_INBOXES, values: [userIds] },
    notificationInsert(content, senderId, { kind: 'users', userIds: [...userIds] }, deliverAt, false, true),
    { text: INSERT_INBOX_ROWS, values: [content.id, content.createdAt, content.expiresAt, userIds] },
  ];
  if (onlineUserIds.length > 0) statements.push({ text: COUNT_UNREAD, values: [onlineUserIds, now] });
  if (outbox) statements.push(outbox);
  const [, , inserted, ...rest] = await unitOfWork.writeInOneRoundTrip(statements);
  const counted = onlineUserIds.length > 0 ? rest[0] : [];
  return {
    recipients: inserted.map((row) => toStoredRecipient(row, true)),
    unread: new Map(counted.map((row) => [row.userId as string, Number(row.count)])),
  };
}
