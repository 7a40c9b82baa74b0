import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

describe(UnitOfWork.name, () => {
  let directory: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'unit-of-work-'));
    dataSource = await new DataSource({ type: 'better-sqlite3', database: join(directory, 'db.sqlite') }).initialize();
    await dataSource.query('CREATE TABLE rows (unit INTEGER, step INTEGER)');
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
});
