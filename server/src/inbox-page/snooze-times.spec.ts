import { snoozeChoices } from './browser/snooze-times';

describe(snoozeChoices.name, () => {
  const local = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute);

  it('offers an hour from now, tomorrow at 09:00 and the next Monday at 09:00, in local time', () => {
    // Saturday 5 December 2026, 23:30.
    const choices = snoozeChoices(local(5, 23, 30));
    expect(choices.map((choice) => [choice.key, choice.until.getTime()])).toEqual([
      ['hour', local(6, 0, 30).getTime()],
      ['tomorrow', local(6, 9).getTime()],
      ['week', local(7, 9).getTime()],
    ]);
  });

  it('takes next week from a Monday as the Monday after', () => {
    expect(snoozeChoices(local(7, 8))[2].until).toEqual(local(14, 9));
  });
});
