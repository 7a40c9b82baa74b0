import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { NotificationEntity } from '../../src/persistence/entities/notification.entity';
import { NotificationRecipientEntity } from '../../src/persistence/entities/notification-recipient.entity';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** One inbox entry of a stored notification, in the state a test wants it. */
export interface StoredEntry {
  userId: string;
  read?: boolean;
  archived?: boolean;
  delivered?: boolean;
}

/**
 * Stores a notification as the send path would have `ageMs` ago (its UUIDv7 id and timestamps
 * from then), with inbox entries in the given states: what retention finds in a database that
 * has run for a while. Returns its id.
 */
export async function storeNotification(
  dataSource: DataSource,
  options: {
    ageMs: number;
    entries?: StoredEntry[];
    audience?: 'users' | 'topic' | 'broadcast';
    topic?: string;
    senderId?: string;
    expiresAt?: string | null;
    /** Held until this time, for this audience (JSON); no entries then. */
    held?: { deliverAt: string; audience: unknown };
  },
): Promise<string> {
  const sentAt = Date.now() - options.ageMs;
  const id = uuidv7({ msecs: sentAt });
  const createdAt = new Date(sentAt).toISOString();
  const expiresAt = options.expiresAt ?? null;
  await dataSource.getRepository(NotificationEntity).insert({
    id,
    type: 'retention.test',
    title: 'Stored',
    body: null,
    data: null,
    priority: 'normal',
    topic: options.topic ?? null,
    senderId: options.senderId ?? null,
    createdAt,
    expiresAt,
    audience: options.audience ?? 'users',
    deliverAt: options.held?.deliverAt ?? null,
    pendingAudience: options.held ? JSON.stringify(options.held.audience) : null,
  });
  const entries = options.entries ?? [];
  const recipients = dataSource.getRepository(NotificationRecipientEntity);
  for (let start = 0; start < entries.length; start += 500) {
    await recipients.insert(
      entries.slice(start, start + 500).map((entry) => ({
        userId: entry.userId,
        notificationId: id,
        createdAt,
        expiresAt,
        deliveredAt: entry.delivered || entry.read ? createdAt : null,
        readAt: entry.read ? createdAt : null,
        archivedAt: entry.archived ? createdAt : null,
      })),
    );
  }
  return id;
}

/** Every inbox entry, as `notificationId/userId`, sorted. */
export async function storedEntries(dataSource: DataSource): Promise<string[]> {
  const rows = await dataSource.getRepository(NotificationRecipientEntity).find();
  return rows.map((row) => `${row.notificationId}/${row.userId}`).sort();
}

/** Every notification id, sorted. */
export async function storedNotificationIds(dataSource: DataSource): Promise<string[]> {
  const rows = await dataSource.getRepository(NotificationEntity).find({ select: { id: true } });
  return rows.map((row) => row.id).sort();
}
