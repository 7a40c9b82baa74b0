import {
  ChannelTiming,
  DEFAULT_CHANNEL_MAX_ATTEMPTS,
  DEFAULT_CHANNEL_POLL_MS,
  DEFAULT_CHANNEL_RETRY_BASE_MS,
  DEFAULT_EMAIL_AFTER_SECONDS,
  DEFAULT_ONLINE_GRACE_SECONDS,
  DEFAULT_PUSH_AFTER_SECONDS,
  FallbackOptions,
} from '../config/channels.options';
import { CHANNEL_NAME, ChannelCancelWhen, LIVE_CHANNEL } from '../model/notification-channel';

/** One channel of a notification's plan: when it goes, and what cancels it meanwhile. */
export interface PlannedChannel {
  channel: string;
  afterSeconds: number;
  cancelWhen: ChannelCancelWhen;
}

/** Types whose plans are kept resolved; past this the cache starts over (types are few in practice). */
const MAX_CACHED_TYPES = 1000;

const BUILT_IN_TIMING: Record<string, Required<ChannelTiming>> = {
  push: { afterSeconds: DEFAULT_PUSH_AFTER_SECONDS, cancelWhen: 'delivered' },
  email: { afterSeconds: DEFAULT_EMAIL_AFTER_SECONDS, cancelWhen: 'read' },
};
const HOST_CHANNEL_TIMING: Required<ChannelTiming> = { afterSeconds: 0, cancelWhen: 'delivered' };

/**
 * Which channels beyond the socket a notification of a given type goes by, and when: the
 * configured channels with their timing, then the type's exception (an exact type, else the
 * longest `prefix.*` entry). Resolved once per type. With no channel configured it is empty,
 * and a send writes no plan at all.
 */
export class FallbackPolicy {
  readonly enabled: boolean;
  readonly onlineGraceSeconds: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly pollMs: number;
  private readonly defaults: PlannedChannel[];
  private readonly byType = new Map<string, readonly PlannedChannel[]>();

  constructor(
    readonly channelNames: readonly string[],
    private readonly options: FallbackOptions = {},
  ) {
    checkChannelNames(channelNames);
    for (const [key, value] of Object.entries(options.channels ?? {})) checkTiming(`fallback.channels.${key}`, value);
    for (const [type, channels] of Object.entries(options.types ?? {})) {
      for (const [key, value] of Object.entries(channels)) if (value !== false) checkTiming(`fallback.types.${type}.${key}`, value);
    }
    this.defaults = channelNames.map((channel) => ({
      channel,
      ...(BUILT_IN_TIMING[channel] ?? HOST_CHANNEL_TIMING),
      ...definedOf(options.channels?.[channel]),
    }));
    this.enabled = this.defaults.length > 0;
    this.onlineGraceSeconds = options.onlineGraceSeconds ?? DEFAULT_ONLINE_GRACE_SECONDS;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_CHANNEL_MAX_ATTEMPTS);
    this.retryBaseMs = options.retryBaseMs ?? DEFAULT_CHANNEL_RETRY_BASE_MS;
    this.pollMs = options.pollMs ?? DEFAULT_CHANNEL_POLL_MS;
  }

  /** The channels a notification of this type goes by, in configuration order. */
  plansFor(type: string): readonly PlannedChannel[] {
    if (!this.enabled) return [];
    let plans = this.byType.get(type);
    if (!plans) {
      plans = this.resolve(type);
      if (this.byType.size >= MAX_CACHED_TYPES) this.byType.clear();
      this.byType.set(type, plans);
    }
    return plans;
  }

  private resolve(type: string): PlannedChannel[] {
    const exception = matchType(this.options.types ?? {}, type);
    if (!exception) return this.defaults;
    return this.defaults.flatMap((plan) => {
      const override = exception[plan.channel];
      if (override === false) return [];
      return [{ ...plan, ...definedOf(override) }];
    });
  }
}

/** The entry for a type: exact, else the longest `prefix.*` that matches. */
export function matchType<T>(entries: Record<string, T>, type: string): T | undefined {
  if (Object.hasOwn(entries, type)) return entries[type];
  let best: string | undefined;
  for (const key of Object.keys(entries)) {
    if (!key.endsWith('.*')) continue;
    const prefix = key.slice(0, -1);
    if (type.startsWith(prefix) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : entries[best];
}

function definedOf(timing: ChannelTiming | undefined): Partial<PlannedChannel> {
  const defined: Partial<PlannedChannel> = {};
  if (timing?.afterSeconds !== undefined) defined.afterSeconds = timing.afterSeconds;
  if (timing?.cancelWhen !== undefined) defined.cancelWhen = timing.cancelWhen;
  return defined;
}

function checkChannelNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (!CHANNEL_NAME.test(name) || name === LIVE_CHANNEL) {
      throw new Error(`A channel name must match ${CHANNEL_NAME.source} and not be "${LIVE_CHANNEL}", got "${name}"`);
    }
    if (seen.has(name)) throw new Error(`Two channels are named "${name}"`);
    seen.add(name);
  }
}

function checkTiming(where: string, timing: ChannelTiming): void {
  const { afterSeconds, cancelWhen } = timing;
  if (afterSeconds !== undefined && (!Number.isFinite(afterSeconds) || afterSeconds < 0)) {
    throw new Error(`${where}.afterSeconds must be a number of seconds >= 0, got ${afterSeconds}`);
  }
  if (cancelWhen !== undefined && cancelWhen !== 'delivered' && cancelWhen !== 'read') {
    throw new Error(`${where}.cancelWhen must be "delivered" or "read", got ${String(cancelWhen)}`);
  }
}
