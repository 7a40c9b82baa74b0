import type { QuietHours } from '../model/preferences';

export type { QuietHours };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;

/**
 * When the quiet hours that hold `at` end, as an instant; null when `at` is outside them.
 * A window whose start is after its end runs over midnight (22:00–07:00); equal start and
 * end is no window. The zone's offset is read with Intl for the instant the window ends, so
 * a daylight-saving change inside the window is counted (an end that falls in a skipped
 * hour is taken as the first minute after the gap).
 */
export function quietHoursEnd(quietHours: QuietHours, at: Date): Date | null {
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return null;
  const local = localTime(at, quietHours.timeZone);
  const now = local.hour * 60 + local.minute;
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  // Minutes from now (local) until the end, possibly past midnight.
  const minutesLeft = (end - now + 24 * 60) % (24 * 60);
  // The naive instant is off by whatever the offset changes meanwhile: correct it once or twice.
  let candidate = new Date(floorToMinute(at).getTime() + minutesLeft * MINUTE_MS);
  for (let pass = 0; pass < 2; pass++) {
    const shift = offsetMinutes(candidate, quietHours.timeZone) - offsetMinutes(at, quietHours.timeZone);
    const corrected = new Date(floorToMinute(at).getTime() + (minutesLeft - shift) * MINUTE_MS);
    const wall = localTime(corrected, quietHours.timeZone);
    if (wall.hour * 60 + wall.minute === end) return corrected;
    candidate = corrected;
  }
  // The end's wall time does not exist that day (a spring-forward gap): the gap's end.
  return candidate.getTime() > at.getTime() ? candidate : new Date(at.getTime() + minutesLeft * MINUTE_MS);
}

/** Whether quiet hours are well formed: two `HH:MM` times and a zone Intl knows. */
export function isValidQuietHours(value: QuietHours): boolean {
  if (!TIME.test(value.start) || !TIME.test(value.end)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value.timeZone });
    return true;
  } catch {
    // Intl throws a RangeError for a zone it does not know: not valid.
    return false;
  }
}

function minutesOf(time: string): number {
  const match = TIME.exec(time);
  if (!match) throw new RangeError(`quiet hours take HH:MM times, got "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute };
}

/** The zone's offset from UTC at that instant, in minutes. */
function offsetMinutes(at: Date, timeZone: string): number {
  const local = localTime(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return Math.round((asUtc - floorToMinute(at).getTime()) / MINUTE_MS);
}

function floorToMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}
