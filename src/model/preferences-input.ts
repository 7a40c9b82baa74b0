import { isEmail } from 'class-validator';
import { TOPIC_PATTERN } from './notification-audience';
import {
  ChannelSwitches,
  PREFERENCE_CHANNELS,
  PREFERENCE_LIMITS,
  PREFERENCE_TYPE_KEY,
  PreferenceChannel,
  QuietHours,
  StoredPreferences,
} from './preferences';

/** The answer of {@link parsePreferences}: the normalized value, or what is wrong with it. */
export type ParsedPreferences = { ok: true; preferences: StoredPreferences } | { ok: false; problems: string[] };

const TOP_LEVEL_KEYS = new Set(['channels', 'types', 'topics', 'quietHours', 'email']);
const QUIET_HOURS_KEYS = new Set(['start', 'end', 'timeZone']);
const CHANNEL_NAMES = new Set<string>(PREFERENCE_CHANNELS);
/** HH:MM on a 24-hour clock, 00:00 to 23:59. */
const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** The characters of IANA zone names (`America/Argentina/Buenos_Aires`, `Etc/GMT+5`): no offsets like `+01:00`. */
const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,99}$/;
/** Half of a surrogate pair without its other half: no UTF-8 for it, and validator's isEmail throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A refusal lists at most this many problems: the body is at most 64 KiB, but that is many keys. */
const MAX_PROBLEMS = 20;

/**
 * Checks a preferences value as `PUT /preferences` gives it and returns it normalized: every
 * key present (left out: nothing set), each entry's channels in the order inApp, push, email.
 * Anything else is refused, naming each field: an unknown key at any level, a switch that is
 * not a boolean, a bad type or topic key, more than 200 types or topics, quiet hours that are
 * not `{start, end, timeZone}` with two different HH:MM times and a known IANA zone, an email
 * that is not one. It looks at own keys only and never recurses past its three levels, so
 * prototype-named keys and deep or wide values are refused without harm.
 */
export function parsePreferences(value: unknown): ParsedPreferences {
  const problems: string[] = [];
  if (!isPlainObject(value)) return { ok: false, problems: ['preferences must be a JSON object'] };
  for (const key of Object.keys(value)) if (!TOP_LEVEL_KEYS.has(key)) problems.push(`property ${shown(key)} should not exist`);
  const preferences: StoredPreferences = {
    channels: value.channels === undefined ? {} : switches(value.channels, 'channels', problems),
    types: value.types === undefined ? {} : entries(value.types, 'types', PREFERENCE_LIMITS.maxTypes, problems),
    topics: value.topics === undefined ? {} : entries(value.topics, 'topics', PREFERENCE_LIMITS.maxTopics, problems),
    quietHours: value.quietHours == null ? null : quietHours(value.quietHours, problems),
    email: value.email == null ? null : email(value.email, problems),
  };
  if (problems.length === 0) return { ok: true, preferences };
  const listed = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) listed.push(`… and ${problems.length - MAX_PROBLEMS} more problems`);
  return { ok: false, problems: listed };
}

/** `{inApp?, push?, email?}`, each a boolean. */
function switches(value: unknown, field: string, problems: string[]): ChannelSwitches {
  if (!isPlainObject(value)) {
    problems.push(`${field} must be an object of channel switches (inApp, push, email)`);
    return {};
  }
  for (const key of Object.keys(value)) {
    if (!CHANNEL_NAMES.has(key)) problems.push(`${member(field, key)} should not exist: the channels are inApp, push and email`);
  }
  const result: ChannelSwitches = {};
  for (const channel of PREFERENCE_CHANNELS) {
    if (!Object.hasOwn(value, channel) || value[channel] === undefined) continue;
    const allowed = value[channel];
    if (typeof allowed === 'boolean') result[channel as PreferenceChannel] = allowed;
    else problems.push(`${field}.${channel} must be a boolean`);
  }
  return result;
}

/** `types` or `topics`: at most `limit` entries, each key of the right form, each value switches. */
function entries(value: unknown, field: 'types' | 'topics', limit: number, problems: string[]): Record<string, ChannelSwitches> {
  if (!isPlainObject(value)) {
    problems.push(`${field} must be an object`);
    return {};
  }
  const keys = Object.keys(value);
  if (keys.length > limit) {
    problems.push(`${field} must have at most ${limit} entries, got ${keys.length}`);
    return {};
  }
  const pattern = field === 'types' ? PREFERENCE_TYPE_KEY : TOPIC_PATTERN;
  const rule = field === 'types' ? 'a type [a-z0-9._-]{1,100} or a prefix of types ending in .*' : 'a topic [A-Za-z0-9._:-]{1,100}';
  const normalized: Array<[string, ChannelSwitches]> = [];
  for (const key of keys) {
    if (!pattern.test(key)) problems.push(`${field} key ${JSON.stringify(shown(key))} must be ${rule}`);
    else normalized.push([key, switches(value[key], `${field}[${JSON.stringify(key)}]`, problems)]);
  }
  // fromEntries defines own properties: a key named __proto__ stays a key.
  return Object.fromEntries(normalized);
}

function quietHours(value: unknown, problems: string[]): QuietHours | null {
  const shape = 'quietHours must be null or {start: "HH:MM", end: "HH:MM", timeZone: an IANA time zone}';
  if (!isPlainObject(value)) {
    problems.push(shape);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(value)) if (!QUIET_HOURS_KEYS.has(key)) problems.push(`${member('quietHours', key)} should not exist`);
  for (const key of ['start', 'end'] as const) {
    if (!isClockTime(value[key])) problems.push(`quietHours.${key} must be a time HH:MM, from 00:00 to 23:59`);
  }
  if (!isTimeZone(value.timeZone)) problems.push('quietHours.timeZone must be an IANA time zone, such as Europe/Berlin');
  if (problems.length === before && value.start === value.end) problems.push('quietHours.end must differ from quietHours.start');
  return problems.length === before ? { start: value.start as string, end: value.end as string, timeZone: value.timeZone as string } : null;
}

function email(value: unknown, problems: string[]): string | null {
  const storable = typeof value === 'string' && value.length <= PREFERENCE_LIMITS.maxEmailLength && !LONE_SURROGATE.test(value);
  if (storable && isEmail(value)) return value;
  problems.push(`email must be null or an email address of at most ${PREFERENCE_LIMITS.maxEmailLength} characters`);
  return null;
}

function isClockTime(value: unknown): value is string {
  return typeof value === 'string' && CLOCK_TIME.test(value);
}

/** A zone name the runtime's time zone database knows (Intl throws a RangeError for any other). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !TIME_ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: value });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A key as a refusal names it: cut short (a key may be kilobytes long). */
function shown(key: string): string {
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

/** `channels.sms`, or `channels["a b"]` for a key that is no identifier. */
function member(field: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${field}.${shown(key)}` : `${field}[${JSON.stringify(shown(key))}]`;
}
