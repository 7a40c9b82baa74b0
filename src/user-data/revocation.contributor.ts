import { EntityManager } from 'typeorm';
import { runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { RevocationData } from './user-data.types';

/**
 * The user's revocation, if any. Erasure does not delete it: it replaces it with a revocation of
 * its own (every token issued up to the erasure is refused, which is what closes the sessions
 * with 4403), and deleting it would let tokens revoked before work again. The retention sweep
 * deletes it once no token from before it can still be valid (`jwt.maxTokenAgeSeconds`).
 */
export class RevocationContributor implements UserDataContributor<RevocationData> {
  async exportPage(manager: EntityManager, userId: string): Promise<UserDataPage<RevocationData>> {
    const { rows } = await runSql(manager, `SELECT revoked_before AS "revokedBefore" FROM notification_revocations WHERE user_id = ?`, [
      userId,
    ]);
    return { items: rows.map((row) => ({ revokedBefore: row.revokedBefore as string })), next: null };
  }

  async eraseBatch(): Promise<string | null> {
    return null;
  }
}
