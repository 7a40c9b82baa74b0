import { NotificationView } from './notification.view';

/** One question to the preferences: may this notification go to this user by this channel now? */
export interface ChannelDecisionRequest {
  userId: string;
  notification: NotificationView;
  channel: string;
}

/**
 * The answer: `allowed` false skips the channel for that user; `holdUntil` (quiet hours)
 * moves the send to then; `email` is the address the user chose, before the token's claim.
 */
export interface ChannelDecision {
  allowed: boolean;
  holdUntil?: Date;
  email?: string | null;
}

/**
 * What the user's preferences say about channels beyond the socket (channels on or off per
 * type and topic, quiet hours, an email address). The outbox worker asks once per batch, for
 * every plan that is due in it; a notification marked `critical` is never asked about.
 * Replaceable: pass `channelPreferences` to `forRoot`.
 */
export interface ChannelPreferences {
  decide(requests: readonly ChannelDecisionRequest[], now: Date): Promise<ChannelDecision[]>;
}

export const ChannelPreferences = Symbol('ChannelPreferences');

/** Every channel allowed, never held: what runs until preferences are stored. */
export class AllowAllChannelPreferences implements ChannelPreferences {
  async decide(requests: readonly ChannelDecisionRequest[]): Promise<ChannelDecision[]> {
    return requests.map(() => ({ allowed: true }));
  }
}
