import { isValidQuietHours, quietHoursEnd } from './quiet-hours';

describe('quietHoursEnd', () => {
  const berlinNights = { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' };

  it('is null outside the window', () => {
    // 12:00 UTC is 13:00 in Berlin in winter.
    expect(quietHoursEnd(berlinNights, new Date('2026-01-15T12:00:00Z'))).toBeNull();
    // 20:59 UTC is 21:59 local: a minute before the window.
    expect(quietHoursEnd(berlinNights, new Date('2026-01-15T20:59:00Z'))).toBeNull();
  });

  it('ends at 07:00 local the next morning for a window over midnight', () => {
    // 23:30 local (UTC+1) → 07:00 local = 06:00 UTC.
    expect(quietHoursEnd(berlinNights, new Date('2026-01-15T22:30:00Z'))).toEqual(new Date('2026-01-16T06:00:00Z'));
    // 03:00 local → the same morning.
    expect(quietHoursEnd(berlinNights, new Date('2026-01-16T02:00:00Z'))).toEqual(new Date('2026-01-16T06:00:00Z'));
  });

  it('takes the start as inside and the end as outside', () => {
    expect(quietHoursEnd(berlinNights, new Date('2026-01-15T21:00:00Z'))).toEqual(new Date('2026-01-16T06:00:00Z'));
    expect(quietHoursEnd(berlinNights, new Date('2026-01-16T06:00:00Z'))).toBeNull();
  });

  it('uses the offset of the zone in summer', () => {
    // 23:00 local (UTC+2) → 07:00 local = 05:00 UTC.
    expect(quietHoursEnd(berlinNights, new Date('2026-07-15T21:00:00Z'))).toEqual(new Date('2026-07-16T05:00:00Z'));
  });

  it('counts a daylight-saving change inside the window', () => {
    // Night of 28–29 March 2026: Berlin moves from UTC+1 to UTC+2 at 02:00 local.
    // 23:00 local (22:00 UTC) → 07:00 local on 29 March is 05:00 UTC: 7 hours later, not 8.
    expect(quietHoursEnd(berlinNights, new Date('2026-03-28T22:00:00Z'))).toEqual(new Date('2026-03-29T05:00:00Z'));
    // And back in October (UTC+2 → UTC+1 on the 25th): 23:00 local (21:00 UTC) → 06:00 UTC, 9 hours.
    expect(quietHoursEnd(berlinNights, new Date('2026-10-24T21:00:00Z'))).toEqual(new Date('2026-10-25T06:00:00Z'));
  });

  it('handles a window within one day and zones west of UTC', () => {
    const lunch = { start: '12:00', end: '13:30', timeZone: 'America/New_York' };
    // 12:15 in New York in winter (UTC-5) = 17:15 UTC → ends 18:30 UTC.
    expect(quietHoursEnd(lunch, new Date('2026-01-15T17:15:00Z'))).toEqual(new Date('2026-01-15T18:30:00Z'));
    expect(quietHoursEnd(lunch, new Date('2026-01-15T18:30:00Z'))).toBeNull();
  });

  it('ends at the first minute after a spring-forward gap when the end falls in it', () => {
    const gap = { start: '01:00', end: '02:30', timeZone: 'Europe/Berlin' };
    // 01:30 local on 29 March 2026 (00:30 UTC); 02:30 local does not exist that day: 03:00 local (01:00 UTC) or later.
    const end = quietHoursEnd(gap, new Date('2026-03-29T00:30:00Z'))!;
    expect(end.getTime()).toBeGreaterThan(new Date('2026-03-29T00:30:00Z').getTime());
    expect(end.getTime()).toBeLessThanOrEqual(new Date('2026-03-29T01:30:00Z').getTime());
  });

  it('has no window when start equals end', () => {
    expect(quietHoursEnd({ start: '08:00', end: '08:00', timeZone: 'UTC' }, new Date('2026-01-15T08:00:00Z'))).toBeNull();
  });
});

describe('isValidQuietHours', () => {
  it('accepts HH:MM times in a known zone and refuses the rest', () => {
    expect(isValidQuietHours({ start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' })).toBe(true);
    expect(isValidQuietHours({ start: '24:00', end: '07:00', timeZone: 'Europe/Berlin' })).toBe(false);
    expect(isValidQuietHours({ start: '22:00', end: '7:00', timeZone: 'Europe/Berlin' })).toBe(false);
    expect(isValidQuietHours({ start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' })).toBe(false);
  });
});
