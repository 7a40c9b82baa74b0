/** One choice of the snooze menu: its label, and when the notification comes back. */
export interface SnoozeChoice {
  key: 'hour' | 'tomorrow' | 'week';
  label: string;
  until: Date;
}

const HOUR_MS = 3_600_000;

/**
 * The snooze menu's choices as of `now`, in the browser's time zone: in 1 hour, tomorrow at
 * 09:00, and next week (the coming Monday at 09:00; a week from today when today is Monday).
 */
export function snoozeChoices(now: Date): SnoozeChoice[] {
  const tomorrow = atNine(now, 1);
  const daysToMonday = (8 - now.getDay()) % 7 || 7;
  return [
    { key: 'hour', label: 'In 1 hour', until: new Date(now.getTime() + HOUR_MS) },
    { key: 'tomorrow', label: 'Tomorrow, 09:00', until: tomorrow },
    { key: 'week', label: 'Next week (Monday, 09:00)', until: atNine(now, daysToMonday) },
  ];
}

/** 09:00 local time, `days` days after `now`'s date (the Date carries daylight-saving shifts). */
function atNine(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 9, 0, 0, 0);
}
