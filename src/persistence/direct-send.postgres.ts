import { NotificationContent } from '../model/notification.view';
import { notificationInsert } from './notification-row';
import { INBOX_ROW_COLUMNS, inboxRowValues } from './inbox-row';
import { inboxAdmits } from './in-app-rules';
import { LOCK_INBOXES, previousCursorOf } from './inbox-locks';
import { StoredRecipient, toStoredRecipient, UNREAD_ROW, UNSEEN_TALLY } from './notifications.store';
import type { UnreadCounts } from '../model/inbox-state';
import type { PostgresStatement } from './postgres-round-trip';
import { UnitOfWork } from './unit-of-work';

/** What a direct send stored: each user's new cursor, and the unread and unseen counts of those online. */
export interface DirectSendStored {
  recipients: StoredRecipient[];
  unread: Map<string, UnreadCounts>;
}

/**
 * Sends to this many users or fewer run by the statements' generic plans (postgres-round-trip.ts):
 * planning the statement anew cost more than the send itself. Longer lists keep their custom
 * plans, which look users up in the online list by hash: the generic plan's linear reads of
 * it made a fan-out of 5,000 (five lists of 1,000) take 1.5x as long.
 */
const GENERIC_PLANS_MAX_USERS = 64;

/**
 * After the locks: the notification, its inbox rows in the order of the users list (so cursors
 * follow it, as a multi-row VALUES would) for the users whose preferences let it in (`admits`:
 * in-app-rules.ts), each row's previous cursor, and the unread and unseen counts of each user
 * online, both from one range of the unread index (a lateral subquery, so no second statement
 * and no second round trip; it reads nothing for users offline). The counts read the
 * statement's snapshot, which holds every earlier row of the user but not the one this
 * statement inserts: that one is unread and unseen, hence the 1 +.
 */
const STORE = (insertNotification: string, admits: string) => `WITH notification AS (${insertNotification}),
  inserted AS (
    INSERT INTO notification_recipients (user_id, ${INBOX_ROW_COLUMNS})
    SELECT audience.user_id, ?, ?, ?, ?, ? FROM unnest(?::text[]) WITH ORDINALITY AS audience (user_id, position)
    WHERE ${admits}
    ORDER BY audience.position
    RETURNING cursor, user_id, ${previousCursorOf('notification_recipients')} AS previous_cursor)
  SELECT inserted.cursor, inserted.user_id AS "userId", inserted.previous_cursor AS "previousCursor",
    counts.unread AS "unread", counts.unseen AS "unseen"
  FROM inserted LEFT JOIN LATERAL (
    SELECT 1 + COUNT(*) AS unread, 1 + ${UNSEEN_TALLY} AS unseen FROM notification_recipients unread
    WHERE unread.user_id = inserted.user_id AND ${UNREAD_ROW}
    HAVING inserted.user_id = ANY(?::text[])) counts ON TRUE`;

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
        ...(inboxRowValues(content) as Array<string | null>),
        userIds,
        ...(admits.parameters as Array<string | null>),
        now,
        onlineUserIds,
      ],
    },
  ];
  // The channel plans read the inbox rows the statement before wrote: a statement of their own.
  if (outbox) statements.push(outbox);
  const [, inserted] = await unitOfWork.writeInOneRoundTrip(statements, { genericPlans: userIds.length <= GENERIC_PLANS_MAX_USERS });
  return {
    recipients: inserted.map((row) => toStoredRecipient(row, true)),
    unread: new Map(
      inserted
        .filter((row) => row.unread != null)
        .map((row) => [row.userId as string, { count: Number(row.unread), unseen: Number(row.unseen ?? 1) }]),
    ),
  };
}
