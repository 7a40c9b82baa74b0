import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs the module's database work. On SQLite, TypeORM shares one connection between all
 * callers, so two interleaved transactions would commit each other's half-done work: there,
 * every unit of work waits its turn in one queue. The queue also fixes the order in which
 * sends commit, and `afterCommit` runs inside the turn, so live delivery follows commit order.
 * On PostgreSQL, units run concurrently in their own pooled transactions.
 */
@Injectable()
export class UnitOfWork {
  private readonly serialized: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    const type = dataSource.options.type;
    this.serialized = type === 'better-sqlite3' || type === 'sqlite' || type === 'sqljs';
  }

  /** The SQL dialect of the underlying database. */
  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** Runs `work` in one transaction; `afterCommit` runs once it has committed, in commit order. */
  write<T>(work: (manager: EntityManager) => Promise<T>, afterCommit?: (result: T) => void): Promise<T> {
    return this.inTurn(async () => {
      const result = await this.dataSource.transaction(work);
      afterCommit?.(result);
      return result;
    });
  }

  /** Runs read-only `work`; on SQLite it never sees another unit's uncommitted rows. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.inTurn(() => work(this.dataSource.manager));
  }

  private inTurn<T>(task: () => Promise<T>): Promise<T> {
    if (!this.serialized) return task();
    const turn = this.tail.then(task);
    // The caller receives `turn`'s outcome, error included; the queue only needs to know
    // that the turn is over, so the next one starts whether this one failed or not.
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
