import { EntityManager } from 'typeorm';
import { PreferencesStore } from '../persistence/preferences.store';
import { runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { PreferencesData } from './user-data.types';

/** The user's preferences as stored (what they set, without the module's defaults): one item or none. */
export class PreferencesContributor implements UserDataContributor<PreferencesData> {
  private readonly store = new PreferencesStore();

  async exportPage(manager: EntityManager, userId: string): Promise<UserDataPage<PreferencesData>> {
    const stored = await this.store.read(manager, userId);
    return { items: stored ? [stored] : [], next: null };
  }

  /** The stored value and the in-app rules derived from it: a few hundred rows at most, in one batch. */
  async eraseBatch(manager: EntityManager, userId: string): Promise<string | null> {
    await runSql(manager, `DELETE FROM notification_in_app_rules WHERE user_id = ?`, [userId]);
    await runSql(manager, `DELETE FROM notification_preferences WHERE user_id = ?`, [userId]);
    return null;
  }
}
