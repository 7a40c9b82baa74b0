import { EntityManager } from 'typeorm';
import { runSql } from './sql';

/**
 * PostgreSQL only: the locks that keep every user's cursors gapless.
 *
 * Sends run in concurrent transactions there, and a sequence hands out numbers at insert,
 * not at commit: without care, cursor 11 could commit before 10 and a client resuming after
 * 11 would never see 10. So every transaction that writes inbox rows first locks the inboxes
 * it writes to, until it commits: for one user, cursor order is commit order.
 *
 * An inbox lock covers a bucket of users (a hash of the user id), not one user. PostgreSQL
 * keeps advisory locks in a shared table of a few thousand entries for the whole cluster (on
 * a default configuration about 12,000 fit; more fails with "out of shared memory"), so one
 * lock per user could not cover a topic of 50,000 subscribers. With buckets a transaction
 * holds at most INBOX_LOCK_BUCKETS locks, and two sends for different users wait for each
 * other only when their users share a bucket (1 in 1024).
 *
 * Each transaction takes all its inbox locks in one statement, in bucket order, before its
 * first insert and never again after: two transactions never wait on each other in a cycle.
 */
export const INBOX_LOCK_BUCKETS = 1024;

/** First key of the two-key advisory locks (a space of their own, apart from the host's locks). */
const INBOX_LOCK_SPACE = 7_318_001;

/** SQL for the lock bucket of a user id column or parameter. */
export function inboxBucket(userId: string): string {
  return `(hashtextextended(${userId}, 0) & ${INBOX_LOCK_BUCKETS - 1})::int`;
}

/**
 * SQL for a row's previous cursor in its user's inbox, under the lock: every row before it
 * has committed, so a session that has not sent that cursor yet knows it has a gap to fill.
 * `row` names the notification_recipients row (an alias, or the table in a RETURNING).
 */
export function previousCursorOf(row: string): string {
  return `(SELECT MAX(earlier.cursor) FROM notification_recipients earlier
    WHERE earlier.user_id = ${row}.user_id AND earlier.cursor < ${row}.cursor)`;
}

/** Locks the inboxes of the users in its one parameter (a text array) until the transaction ends. */
export const LOCK_INBOXES = `SELECT pg_advisory_xact_lock(${INBOX_LOCK_SPACE}, bucket) FROM (
  SELECT DISTINCT ${inboxBucket('user_id')} AS bucket FROM unnest(?::text[]) AS user_id ORDER BY bucket
) AS buckets`;

/** Locks the inboxes of these users until the transaction ends. */
export async function lockInboxes(manager: EntityManager, userIds: readonly string[]): Promise<void> {
  await runSql(manager, LOCK_INBOXES, [userIds]);
}

/**
 * Locks the inboxes of a topic's subscribers until the transaction ends, and returns the
 * buckets it locked: someone who subscribes meanwhile in another bucket is not covered, so
 * the send's pages take only subscribers of these buckets (the send is a snapshot anyway).
 */
export async function lockTopicInboxes(manager: EntityManager, topic: string): Promise<number[]> {
  const { rows } = await runSql(
    manager,
    `SELECT bucket, pg_advisory_xact_lock(${INBOX_LOCK_SPACE}, bucket) FROM (
       SELECT DISTINCT ${inboxBucket('user_id')} AS bucket FROM notification_topic_subscriptions WHERE topic = ? ORDER BY bucket
     ) AS buckets`,
    [topic],
  );
  return rows.map((row) => Number(row.bucket));
}
