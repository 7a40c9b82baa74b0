/** The channels a user switches on or off, in the order every answer lists them. */
export const PREFERENCE_CHANNELS = ['inApp', 'push', 'email'] as const;
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/** Some channels switched on or off; a channel left out falls through to the next rule. */
export type ChannelSwitches = Partial<Record<PreferenceChannel, boolean>>;

/** Every channel on or off: the module's defaults, and `channels` as the routes answer it. */
export type ChannelDefaults = Record<PreferenceChannel, boolean>;

/** Push and email wait while the wall clock in `timeZone` is between `start` and `end` (HH:MM, 24 h). */
export interface QuietHours {
  start: string;
  end: string;
  /** An IANA time zone (`Europe/Berlin`). */
  timeZone: string;
}

/**
 * A user's preferences as stored: only what they set. `types` keys are a notification type
 * (`system.maintenance`) or a prefix of types (`expense.*`); `topics` keys are topic names.
 */
export interface StoredPreferences {
  channels: ChannelSwitches;
  types: Record<string, ChannelSwitches>;
  topics: Record<string, ChannelSwitches>;
  quietHours: QuietHours | null;
  email: string | null;
}

/**
 * A user's preferences as `GET`/`PUT /preferences` answer them and the `preferences` frame
 * carries them: every key present, and `channels` complete, each switch the user's own where
 * they set it, else the module's default.
 */
export interface NotificationPreferences extends StoredPreferences {
  channels: ChannelDefaults;
}

/** What `PUT /preferences` (or host code) gives: every key optional; one left out sets nothing. */
export type PreferencesInput = Partial<StoredPreferences>;

/** Limits of a preferences value. */
export const PREFERENCE_LIMITS = {
  maxTypes: 200,
  maxTopics: 200,
  maxEmailLength: 254,
} as const;

/** A type key: an exact type, or `prefix.*` (the prefix 1–99 characters, so that some type can match it). */
export const PREFERENCE_TYPE_KEY = /^(?:[a-z0-9._-]{1,100}|[a-z0-9._-]{1,99}\.\*)$/;

/** Preferences of a user who never set any. */
export function emptyPreferences(): StoredPreferences {
  return { channels: {}, types: {}, topics: {}, quietHours: null, email: null };
}

/** The stored value as answered: `channels` completed from the module's defaults. */
export function withDefaults(stored: StoredPreferences, defaults: ChannelDefaults): NotificationPreferences {
  return {
    channels: {
      inApp: stored.channels.inApp ?? defaults.inApp,
      push: stored.channels.push ?? defaults.push,
      email: stored.channels.email ?? defaults.email,
    },
    types: stored.types,
    topics: stored.topics,
    quietHours: stored.quietHours,
    email: stored.email,
  };
}

/** `expense.*` → `expense.` (what a type must start with); undefined for an exact type key. */
export function typePrefixOf(key: string): string | undefined {
  return key.endsWith('.*') ? key.slice(0, -1) : undefined;
}
