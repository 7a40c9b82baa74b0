import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

/** Records every statement the connection runs. */
class StatementLog extends AbstractLogger {
  readonly statements: string[] = [];

  logQuery(query: string): void {
    this.statements.push(query);
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}

  count(statement: string): number {
    return this.statements.filter((text) => text === statement).length;
  }
}

describe(UnitOfWork.name, () => {
  let directory: string;
  let dataSource: DataSource;
  let log: StatementLog;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'unit-of-work-'));
    log = new StatementLog();
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: join(directory, 'db.sqlite'),
      logger: log,
      logging: ['query'],
    }).initialize();
    await dataSource.query('CREATE TABLE rows (unit INTEGER, step INTEGER)');
    // A row here whose parent is missing breaks no statement, only the COMMIT.
    await dataSource.query('CREATE TABLE parents (id INTEGER PRIMARY KEY)');
    await dataSource.query('CREATE TABLE children (parent_id INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)');
  });
  afterEach(async () => {
    await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps concurrent units apart on the shared SQLite connection: a failing unit leaves nothing', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const units = Array.from({ length: 64 }, (_, unit) =>
      unitOfWork.write(async (manager) => {
        await manager.query('INSERT INTO rows VALUES (?, 1)', [unit]);
        await new Promise((resolve) => setImmediate(resolve));
        await manager.query('INSERT INTO rows VALUES (?, 2)', [unit]);
        if (unit % 2 === 1) throw new Error(`unit ${unit} fails after writing`);
      }),
    );
    const outcomes = await Promise.allSettled(units);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(32);
    const rows: Array<{ unit: number; steps: number }> = await dataSource.query(
      'SELECT unit, COUNT(*) AS steps FROM rows GROUP BY unit ORDER BY unit',
    );
    expect(rows).toEqual(Array.from({ length: 32 }, (_, index) => ({ unit: index * 2, steps: 2 })));
  });

  it('runs afterCommit in commit order, and not at all when the unit fails', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const committed: number[] = [];
    await Promise.allSettled(
      Array.from({ length: 10 }, (_, unit) =>
        unitOfWork.write(
          async () => {
            if (unit === 3) throw new Error('no');
            return unit;
          },
          (result) => committed.push(result),
        ),
      ),
    );
    expect(committed).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
  });

  it('passes a unit error to its caller and goes on with the next unit', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    await expect(unitOfWork.write(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(unitOfWork.read(async (manager) => manager.query('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
  });

  it('gives the units queued in one event-loop turn one transaction and one COMMIT', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    log.statements.length = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, unit) => unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (?, 1)', [unit]))),
    );
    expect(log.count('BEGIN TRANSACTION')).toBe(1);
    expect(log.count('COMMIT')).toBe(1);
    expect(log.count('SAVEPOINT unit_of_work')).toBe(50);
    expect(await dataSource.query('SELECT COUNT(*) AS count FROM rows')).toEqual([{ count: 50 }]);
  });

  it('gives a group of rerunnable units no savepoints, and runs it again with them when one fails', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    log.statements.length = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, unit) => unitOfWork.rerunnable((manager) => manager.query('INSERT INTO rows VALUES (?, 1)', [unit]))),
    );
    expect(log.count('BEGIN TRANSACTION')).toBe(1);
    expect(log.count('SAVEPOINT unit_of_work')).toBe(0);
    expect(log.count('COMMIT')).toBe(1);

    log.statements.length = 0;
    const runs = new Map<number, number>();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 64 }, (_, unit) =>
        unitOfWork.rerunnable(async (manager) => {
          runs.set(unit, (runs.get(unit) ?? 0) + 1);
          await manager.query('INSERT INTO rows VALUES (?, 2)', [unit]);
          await manager.query('INSERT INTO rows VALUES (?, 3)', [unit]);
          if (unit % 2 === 1) throw new Error(`unit ${unit} fails after writing`);
          return unit;
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(32);
    expect(outcomes[1]).toEqual({ status: 'rejected', reason: new Error('unit 1 fails after writing') });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 2 });
    // Once without savepoints, rolled back, then each in its savepoint.
    expect([...runs.values()].every((count) => count === 2)).toBe(true);
    expect(log.count('ROLLBACK')).toBe(1);
    expect(log.count('SAVEPOINT unit_of_work')).toBe(64);
    const rows: Array<{ unit: number; steps: number }> = await dataSource.query(
      'SELECT unit, COUNT(*) AS steps FROM rows WHERE step > 1 GROUP BY unit ORDER BY unit',
    );
    expect(rows).toEqual(Array.from({ length: 32 }, (_, index) => ({ unit: index * 2, steps: 2 })));
  });

  it('gives every write a savepoint when a group holds one that is not rerunnable', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    log.statements.length = 0;
    await Promise.all([
      unitOfWork.rerunnable((manager) => manager.query('INSERT INTO rows VALUES (1, 1)')),
      unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (2, 1)')),
      unitOfWork.writeStatement((manager) => manager.query('INSERT INTO rows VALUES (3, 1)')),
    ]);
    expect(log.count('SAVEPOINT unit_of_work')).toBe(3);
    expect(log.count('COMMIT')).toBe(1);
  });

  it('lets a unit queued in the next event-loop turn join the group of the first', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    log.statements.length = 0;
    const first = unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (1, 1)'));
    // As a request read in the next poll phase would: after the check phase of this turn.
    const second = new Promise((resolve) => setImmediate(resolve)).then(() =>
      unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (2, 1)')),
    );
    await Promise.all([first, second]);
    expect(log.count('BEGIN TRANSACTION')).toBe(1);
    expect(log.count('COMMIT')).toBe(1);
  });

  it('lets a read queued after writes see them, and a later turn start a new group', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const write = unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (1, 1)'));
    const read = unitOfWork.read((manager) => manager.query('SELECT COUNT(*) AS count FROM rows'));
    await write;
    await expect(read).resolves.toEqual([{ count: 1 }]);
    log.statements.length = 0;
    await unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (2, 1)'));
    expect(log.count('COMMIT')).toBe(1);
  });

  it('fails every unit of a group whose COMMIT fails, stores none of them, and goes on', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const committed: number[] = [];
    const innocent = unitOfWork.write(
      (manager) => manager.query('INSERT INTO rows VALUES (1, 1)'),
      () => committed.push(1),
    );
    const orphan = unitOfWork.write(
      (manager) => manager.query('INSERT INTO children VALUES (42)'),
      () => committed.push(2),
    );
    await expect(innocent).rejects.toThrow(/FOREIGN KEY/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
    expect(committed).toEqual([]);
    expect(await dataSource.query('SELECT COUNT(*) AS count FROM rows')).toEqual([{ count: 0 }]);

    await unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (3, 1)'));
    expect(await dataSource.query('SELECT unit FROM rows')).toEqual([{ unit: 3 }]);
  });

  it('runs the units still queued before the application shuts down', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const units = Array.from({ length: 5 }, (_, unit) =>
      unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (?, 1)', [unit])),
    );
    await unitOfWork.beforeApplicationShutdown();
    expect(await dataSource.query('SELECT COUNT(*) AS count FROM rows')).toEqual([{ count: 5 }]);
    await Promise.all(units);
  });

  it('runs exclusive work after the running group commits, with no transaction open, before the units queued after it', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const connection = (dataSource.driver as unknown as { databaseConnection: { inTransaction: boolean } }).databaseConnection;
    let releaseFirst!: () => void;
    const firstStarted = new Promise<void>((started) =>
      unitOfWork.write(async (manager) => {
        await manager.query('INSERT INTO rows VALUES (1, 1)');
        started();
        await new Promise<void>((release) => (releaseFirst = release));
      }),
    );
    await firstStarted;
    const seen: Array<{ rows: number; inTransaction: boolean }> = [];
    const exclusive = unitOfWork.exclusive(async () => {
      // Read straight from the connection: the unit of work itself is paused for this.
      seen.push({ rows: (await dataSource.query('SELECT COUNT(*) AS count FROM rows'))[0].count, inTransaction: connection.inTransaction });
      await new Promise((resolve) => setImmediate(resolve));
      return 'checkpointed';
    });
    const later = unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (2, 1)'));
    releaseFirst();

    await expect(exclusive).resolves.toBe('checkpointed');
    await later;
    expect(seen).toEqual([{ rows: 1, inTransaction: false }]);
    expect(log.count('COMMIT')).toBe(2);
    expect(await dataSource.query('SELECT unit FROM rows ORDER BY unit')).toEqual([{ unit: 1 }, { unit: 2 }]);
  });

  it('fails exclusive work alone, whether it throws or rejects, and goes on with the queue', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const throwing = unitOfWork.exclusive(() => {
      throw new Error('thrown');
    });
    const rejecting = unitOfWork.exclusive(() => Promise.reject(new Error('rejected')));
    const unit = unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (1, 1)'));
    await expect(throwing).rejects.toThrow('thrown');
    await expect(rejecting).rejects.toThrow('rejected');
    await unit;
    expect(await dataSource.query('SELECT unit FROM rows')).toEqual([{ unit: 1 }]);
  });

  it('lets the event loop turn between groups, however fast a caller queues the next unit', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const insert = (unit: number) => unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (?, 1)', [unit]));
    await insert(0);
    // A caller that queues each write as soon as the last one resolves (a host's loop of sends)
    // would otherwise run group after group in one chain of promises: no timer, no socket.
    let turned = false;
    setImmediate(() => (turned = true));
    await insert(1);
    await insert(2);
    expect(turned).toBe(true);
  });

  it('goes on taking units when exclusive work drained the queue before its scheduled group', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    // The insert schedules a group two event-loop turns away; the exclusive work runs it first,
    // so the scheduled turn finds the queue empty.
    const first = unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (1, 1)'));
    await unitOfWork.exclusive(async () => undefined);
    await first;
    await new Promise((resolve) => setImmediate(() => setImmediate(() => setImmediate(resolve))));
    const later = unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (2, 1)'));
    const stalled = new Promise((resolve) => setTimeout(() => resolve('stalled'), 1000).unref());
    await expect(Promise.race([later.then(() => 'stored'), stalled])).resolves.toBe('stored');
  });

  it('gives every group the same manager on SQLite, and a new one once the connection is opened again', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const managerOfAGroup = () => unitOfWork.read(async (manager) => manager);
    const first = await managerOfAGroup();
    await unitOfWork.write((manager) => manager.query('INSERT INTO rows VALUES (1, 1)'));
    expect(await managerOfAGroup()).toBe(first);
    expect(first.queryRunner).toBe(dataSource.driver.createQueryRunner('master'));
    // Closed and opened again, TypeORM has a new runner: the groups run on it, not the old one.
    await dataSource.destroy();
    await dataSource.initialize();
    const reopened = await managerOfAGroup();
    expect(reopened.queryRunner).not.toBe(first.queryRunner);
    await expect(unitOfWork.read((manager) => manager.query('SELECT COUNT(*) AS count FROM rows'))).resolves.toEqual([{ count: 1 }]);
  });
});
