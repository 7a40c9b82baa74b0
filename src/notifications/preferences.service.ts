import { Inject, Injectable } from '@nestjs/common';
import { ResolvedOptions } from '../config/resolved-options';
import { DeliveryBus } from '../delivery/delivery-bus';
import { InvalidPreferencesException } from '../model/invalid-preferences.exception';
import { ChannelDefaults, emptyPreferences, NotificationPreferences, PreferencesInput, withDefaults } from '../model/preferences';
import { parsePreferences } from '../model/preferences-input';
import { isUserId, USER_ID_RULE } from '../model/user-id';
import { PreferencesStore } from '../persistence/preferences.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { TenantOptions } from '../model/tenant-scope';
import { KeyUse, TenantKeys } from './tenant-keys';

/**
 * Users' notification preferences: which channels each type and topic of notification may
 * use. The REST routes (`/preferences`, `/users/:userId/preferences`) and host code read and
 * replace them here. In-app decisions are taken by the sends themselves, in SQL
 * (persistence/in-app-rules.ts); `channelAllowed` (model/channel-rule.ts) decides the others.
 * With tenancy, each call names the user's tenant in its last argument (TenantOptions), as
 * NotificationsService's methods do: a tenant problem is an InvalidNotificationException, as there.
 */
@Injectable()
export class PreferencesService {
  private readonly store = new PreferencesStore();
  private readonly defaults: ChannelDefaults;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    options: ResolvedOptions,
    private readonly keys: TenantKeys,
  ) {
    this.defaults = options.preferences.defaults;
  }

  /** The user's preferences, `channels` completed from the module's defaults (only those for a user who set none). */
  async get(userId: string, tenant: TenantOptions = {}): Promise<NotificationPreferences> {
    const userKey = await this.keyOf(userId, tenant, 'read');
    const stored = await this.unitOfWork.read((manager) => this.store.read(manager, userKey));
    return withDefaults(stored ?? emptyPreferences(), this.defaults);
  }

  /**
   * Replaces the user's preferences (what `preferences` leaves out is unset) and returns them
   * as `get` would; every open session of the user, on every node, gets them in a
   * `preferences` frame. Throws InvalidPreferencesException naming each bad field, storing nothing.
   */
  async set(userId: string, preferences: PreferencesInput, tenant: TenantOptions = {}): Promise<NotificationPreferences> {
    checkUserId(userId);
    this.keys.scope.checkUserId(userId, this.keys.scope.tenantOf(tenant));
    const parsed = parsePreferences(preferences);
    if (!parsed.ok) throw new InvalidPreferencesException(parsed.problems);
    // Valid: only now is a tenant never seen numbered, to store them.
    const userKey = await this.keyOf(userId, tenant, 'write');
    const answer = withDefaults(parsed.preferences, this.defaults);
    await this.unitOfWork.write(
      (manager) => this.store.replace(manager, userKey, parsed.preferences, new Date().toISOString()),
      () => this.bus.publish({ kind: 'preferences', userId: userKey, preferences: answer }),
    );
    return answer;
  }

  /** The user as the store keys them: the id checked, then keyed in the call's tenant. */
  private keyOf(userId: string, tenant: TenantOptions, use: KeyUse): string | Promise<string> {
    checkUserId(userId);
    return this.keys.userKey(userId, tenant, use);
  }
}

function checkUserId(userId: string): void {
  if (!isUserId(userId)) throw new InvalidPreferencesException([`userId must be ${USER_ID_RULE}`]);
}
