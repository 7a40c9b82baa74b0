import { EntityManager } from 'typeorm';

/** A page of one section of a user's data, and where the next page starts (null after the last). */
export interface UserDataPage<T> {
  items: T[];
  next: string | null;
}

/**
 * One table's part of what the module stores about a user: how to read it out and how to erase
 * it, a bounded page at a time (each page one short unit of work). A new table that holds user
 * data (preferences, push subscriptions…) adds a section to UserDataSections and a contributor
 * to USER_DATA_CONTRIBUTORS; the export, the erasure and their tests pick it up from there.
 */
export interface UserDataContributor<T> {
  /**
   * At most `limit` of the user's rows after `after` (null: from the start), in a stable order.
   * `userId` is the user's key; `named`, with tenancy, the user as events name them.
   */
  exportPage(manager: EntityManager, userId: string, after: string | null, limit: number, named?: NamedUser): Promise<UserDataPage<T>>;
  /**
   * Erases a batch of at most `limit` of the user's rows, in this transaction; returns where the
   * next batch starts, or null when nothing of the user is left in this table.
   */
  eraseBatch(manager: EntityManager, userId: string, after: string | null, limit: number, named?: NamedUser): Promise<string | null>;
}

/** With tenancy, a user as lifecycle events (and so webhook payloads) name them: their own id, and their tenant. */
export interface NamedUser {
  userId: string;
  tenantId: string;
}
