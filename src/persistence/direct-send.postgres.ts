import { NotificationContent } from '../model/notification.view';
import { notificationInsert } from './notification-row';
import { inboxAdmits } from './in-app-rules';
import { LOCK_INBOXES, previousCursorOf } from './inbox-locks';
import { StoredRecipient, toStoredRecipient, UNREAD_ROW } from './notifications.store';
import type { PostgresStatement } from './postgres-round-trip';
import { UnitOfWork } from './unit-of-work';

/** What a direct send stored: each user's new cursor, and the unread counts of those online. */
export interface DirectSendStored {
  recipients: StoredRecipient[];
  unread: Map<string, number>;
}

/**
 * After the locks: the notification, its inbox rows in the order of the users list (so cursors
 * follow it, as a multi-row VALUES would) for the users whose preferences let it in (`admits`:
 * in-app-rules.ts), each row's previous cursor, and the unread count of each user online. The
 * count reads the statement's snapshot, which holds every earlier row of the user but not the
 * one this statement inserts: that one is unread, hence the 1 +.
 */
const STORE = (insertNotification: string, admits: string) => `WITH notification AS (${insertNotification}),
  inserted AS (
    INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at)
    SELECT audience.user_id, ?, ?, ? FROM unnest(?::text[]) WITH ORDINALITY AS audience (user_id, position)
    WHERE ${admits}
    ORDER BY audience.position
    RETURNING cursor, user_id, ${previousCursorOf('notification_recipients')} AS previous_cursor)
  SELECT inserted.cursor, inserted.user_id AS "userId", inserted.previous_cursor AS "previousCursor",
    CASE WHEN inserted.user_id = ANY(?::text[]) THEN 1 + (SELECT COUNT(*) FROM notification_recipients unread
      WHERE unread.user_id = inserted.user_id AND ${UNREAD_ROW}) END AS "unread"
  FROM inserted`;

/**
 * PostgreSQL: a send to a list of users in one round trip and two statements, where the
 * general path takes six round trips (BEGIN, the inbox locks, the notification, the inbox
 * rows, the unread counts, COMMIT). The two go in one message (UnitOfWork.writeInOneRoundTrip)
 * and run as one transaction. Each has its own snapshot, which the gapless cursors need: the
 * second starts once the first holds the inbox locks, so its previous cursors and counts see
 * every earlier send to these users (inbox-locks.ts). Sends with an Idempotency-Key, held
 * sends and topics keep the general path: they decide between statements.
 */
export async function storeDirectSend(
  unitOfWork: UnitOfWork,
  content: NotificationContent,
  senderId: string | null,
  userIds: readonly string[],
  deliverAt: string | null,
  onlineUserIds: readonly string[],
  now: string,
  inAppDefault = true,
  /** The channel plans' INSERT … SELECT (outbox.store.ts), when a channel is configured: one more statement in the same message. */
  outbox?: PostgresStatement,
  /** The send's tenant ('' without tenancy), stored on the notification. */
  tenantId = '',
): Promise<DirectSendStored> {
  const audience = { kind: 'users' as const, userIds: [...userIds] };
  const notification = notificationInsert(content, senderId, audience, deliverAt, false, true, tenantId);
  const admits = inboxAdmits('audience.user_id', content, inAppDefault);
  const statements: PostgresStatement[] = [
    { text: LOCK_INBOXES, values: [userIds] },
    {
      text: STORE(notification.text, admits.sql),
      values: [
        ...notification.values,
        content.id,
        content.createdAt,
        content.expiresAt,
        userIds,
        ...(admits.parameters as Array<string | null>),
        onlineUserIds,
        now,
      ],
    },
  ];
  // The channel plans read the inbox rows the statement before wrote: a statement of their own.
  if (outbox) statements.push(outbox);
  const [, inserted] = await unitOfWork.writeInOneRoundTrip(statements);
  return {
    recipients: inserted.map((row) => toStoredRecipient(row, true)),
    unread: new Map(inserted.filter((row) => row.unread != null).map((row) => [row.userId as string, Number(row.unread)])),
  };
}
