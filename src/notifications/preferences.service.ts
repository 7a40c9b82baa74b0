import { Inject, Injectable } from '@nestjs/common';
import { ResolvedOptions } from '../config/resolved-options';
import { DeliveryBus } from '../delivery/delivery-bus';
import { InvalidPreferencesException } from '../model/invalid-preferences.exception';
import { ChannelDefaults, emptyPreferences, NotificationPreferences, PreferencesInput, withDefaults } from '../model/preferences';
import { parsePreferences } from '../model/preferences-input';
import { isUserId, USER_ID_RULE } from '../model/user-id';
import { PreferencesStore } from '../persistence/preferences.store';
import { UnitOfWork } from '../persistence/unit-of-work';

/**
 * Users' notification preferences: which channels each type and topic of notification may
 * use. The REST routes (`/preferences`, `/users/:userId/preferences`) and host code read and
 * replace them here. In-app decisions are taken by the sends themselves, in SQL
 * (persistence/in-app-rules.ts); `channelAllowed` (model/channel-rule.ts) decides the others.
 */
@Injectable()
export class PreferencesService {
  private readonly store = new PreferencesStore();
  private readonly defaults: ChannelDefaults;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    options: ResolvedOptions,
  ) {
    this.defaults = options.preferences.defaults;
  }

  /** The user's preferences, `channels` completed from the module's defaults (only those for a user who set none). */
  async get(userId: string): Promise<NotificationPreferences> {
    checkUserId(userId);
    const stored = await this.unitOfWork.read((manager) => this.store.read(manager, userId));
    return withDefaults(stored ?? emptyPreferences(), this.defaults);
  }

  /**
   * Replaces the user's preferences (what `preferences` leaves out is unset) and returns them
   * as `get` would; every open session of the user, on every node, gets them in a
   * `preferences` frame. Throws InvalidPreferencesException naming each bad field, storing nothing.
   */
  async set(userId: string, preferences: PreferencesInput): Promise<NotificationPreferences> {
    checkUserId(userId);
    const parsed = parsePreferences(preferences);
    if (!parsed.ok) throw new InvalidPreferencesException(parsed.problems);
    const answer = withDefaults(parsed.preferences, this.defaults);
    await this.unitOfWork.write(
      (manager) => this.store.replace(manager, userId, parsed.preferences, new Date().toISOString()),
      () => this.bus.publish({ kind: 'preferences', userId, preferences: answer }),
    );
    return answer;
  }
}

function checkUserId(userId: string): void {
  if (!isUserId(userId)) throw new InvalidPreferencesException([`userId must be ${USER_ID_RULE}`]);
}
