import { ChannelDefaults, ChannelSwitches, PreferenceChannel, StoredPreferences, typePrefixOf } from './preferences';

/** The part of a user's preferences that decides channels. */
export type ChannelRules = Pick<StoredPreferences, 'channels' | 'types' | 'topics'>;

/**
 * Whether a user's preferences let a notification of `type` (and `topic`) go by `channel`.
 * The entries that speak for it, strongest first: the exact `types` entry, the matching
 * `prefix.*` entries longest first, the `topics` entry, `channels`; the first that sets the
 * channel decides, and with none the module's default does. A critical notification skips
 * this rule altogether (the caller's check).
 *
 * The in-app decision is also taken in SQL, inside each inbox insert (persistence/in-app-rules.ts);
 * the two must agree, and a property test holds them to it.
 */
export function channelAllowed(
  preferences: ChannelRules | null | undefined,
  defaults: ChannelDefaults,
  channel: PreferenceChannel,
  type: string,
  topic: string | null,
): boolean {
  if (preferences) {
    for (const entry of entriesFor(preferences, type, topic)) {
      const allowed = entry[channel];
      if (allowed !== undefined) return allowed;
    }
  }
  return defaults[channel];
}

/** The entries that match a notification, strongest first. Own keys only: `constructor` is a valid type. */
function entriesFor(preferences: ChannelRules, type: string, topic: string | null): ChannelSwitches[] {
  const entries: ChannelSwitches[] = [];
  if (Object.hasOwn(preferences.types, type)) entries.push(preferences.types[type]);
  const prefixes = Object.keys(preferences.types)
    .map((key) => ({ key, prefix: typePrefixOf(key) }))
    .filter((entry): entry is { key: string; prefix: string } => entry.prefix !== undefined && type.startsWith(entry.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  for (const { key } of prefixes) entries.push(preferences.types[key]);
  if (topic !== null && Object.hasOwn(preferences.topics, topic)) entries.push(preferences.topics[topic]);
  entries.push(preferences.channels);
  return entries;
}
