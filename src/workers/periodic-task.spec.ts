import { Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

describe(PeriodicTask.name, () => {
  const logger = { error: jest.fn() } as unknown as Logger;

  it('never runs twice at once: a run requested during a run joins it', async () => {
    let runs = 0;
    let finish!: () => void;
    const task = new PeriodicTask('Test', logger, () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = task.runOnce();
    const second = task.runOnce();
    expect(runs).toBe(1);
    finish();
    await Promise.all([first, second]);
    const third = task.runOnce();
    expect(runs).toBe(2);
    finish();
    await third;
  });

  it('logs a failed run with its name and runs again next time', async () => {
    let calls = 0;
    const task = new PeriodicTask('Cleaning', logger, async () => {
      if (++calls === 1) throw new Error('database is locked');
    });
    await task.runOnce();
    expect(logger.error).toHaveBeenCalledWith('Cleaning failed: database is locked');
    await task.runOnce();
    expect(calls).toBe(2);
  });

  it('runs on its interval until stopped', async () => {
    let calls = 0;
    let resolveSecond!: () => void;
    const second = new Promise<void>((resolve) => (resolveSecond = resolve));
    const task = new PeriodicTask('Tick', logger, async () => {
      if (++calls === 2) resolveSecond();
    });
    task.start(5);
    await second;
    await task.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(stoppedAt);
  });
});
