import { ChannelDecision, ChannelDecisionRequest, ChannelPreferences } from '../model/channel-preferences';
import { channelAllowed } from '../model/channel-rule';
import { ChannelDefaults, PREFERENCE_CHANNELS, PreferenceChannel } from '../model/preferences';
import { PreferencesStore } from '../persistence/preferences.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { quietHoursEnd } from './quiet-hours';

/**
 * The users' stored preferences deciding the channels beyond the socket: `push` and `email`
 * by the same rule as in-app (exact type, longest `prefix.*`, topic, channels, module
 * default), quiet hours holding them until they end, and the address the user chose. One
 * read per batch of due plans. A host channel has no preference of its own: always allowed,
 * quiet hours apply.
 */
export class StoredChannelPreferences implements ChannelPreferences {
  private readonly store = new PreferencesStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly defaults: ChannelDefaults,
  ) {}

  async decide(requests: readonly ChannelDecisionRequest[], now: Date): Promise<ChannelDecision[]> {
    const userIds = [...new Set(requests.map((request) => request.userId))];
    const stored = await this.unitOfWork.read((manager) => this.store.readMany(manager, userIds));
    return requests.map(({ userId, notification, channel }) => {
      const preferences = stored.get(userId);
      const allowed = isPreferenceChannel(channel)
        ? channelAllowed(preferences, this.defaults, channel, notification.type, notification.topic)
        : true;
      const holdUntil = preferences?.quietHours ? (quietHoursEnd(preferences.quietHours, now) ?? undefined) : undefined;
      return { allowed, holdUntil, email: preferences?.email ?? null };
    });
  }
}

function isPreferenceChannel(channel: string): channel is PreferenceChannel {
  return (PREFERENCE_CHANNELS as readonly string[]).includes(channel);
}
