import { BeforeApplicationShutdown, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { ResolvedOptions } from '../config/resolved-options';
import { executeInOneRoundTrip, PostgresStatement } from './postgres-round-trip';
import { TableNaming, useTableNaming } from './table-naming';

/**
 * Units queued while a group is open join it, up to this many: enough to share one commit
 * among everything one event-loop turn brings (a burst of POSTs and acks), few enough that
 * the last unit of a group does not wait long for its commit.
 */
const MAX_UNITS_PER_GROUP = 256;

/** Work that runs alone, between two groups (UnitOfWork.exclusive). */
interface QueuedPause {
  task: () => Promise<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface QueuedUnit {
  work: (manager: EntityManager) => Promise<unknown>;
  /** Writes run in a savepoint of their own; reads need none. */
  isWrite: boolean;
  /** Its work is its SQL alone, so it may run twice: see UnitOfWork.rerunnable. */
  rerunnable: boolean;
  afterCommit?: (result: unknown) => void;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs the module's database work.
 *
 * On SQLite, TypeORM shares one connection between all callers, so two interleaved
 * transactions would commit each other's half-done work. There every unit waits its turn in
 * one queue, and the units that queue up during one event-loop turn run as a group: one
 * transaction, each write unit in a savepoint of its own. A unit that fails rolls back to its
 * savepoint and fails alone; the others commit together, so a burst of sends pays for one
 * commit instead of one each (group commit). `afterCommit` callbacks run after that commit,
 * in queue order, so live delivery follows commit order.
 *
 * A savepoint costs about a sixth of a p2p send's SQL (BENCHMARKS.md): the pages a unit
 * changes are copied first, so that it can be undone alone. A group whose writes are all
 * `rerunnable` (sends, acks: work that is its statements and nothing else) first runs without
 * savepoints. Should one of them fail, the whole transaction is rolled back and the group runs
 * again with savepoints, so the failing unit still fails alone.
 *
 * On PostgreSQL, units run concurrently, each in its own pooled transaction.
 */
@Injectable()
export class UnitOfWork implements BeforeApplicationShutdown {
  private readonly logger = new Logger('UnitOfWork');
  private readonly serialized: boolean;
  private readonly queue: QueuedUnit[] = [];
  private readonly pauses: QueuedPause[] = [];
  /** Settles when the queue is empty again; set while groups run. */
  private draining: Promise<void> | undefined;
  private flushScheduled = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() options?: ResolvedOptions,
  ) {
    // The SQL is written with the default table names; a host's naming renames it (runSql).
    if (options) useTableNaming(dataSource, new TableNaming(options.tables));
    const type = dataSource.options.type;
    this.serialized = type === 'better-sqlite3' || type === 'sqlite' || type === 'sqljs';
  }

  /** The SQL dialect of the underlying database. */
  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** Runs `work` atomically; `afterCommit` runs once it has committed, in commit order. */
  write<T>(work: (manager: EntityManager) => Promise<T>, afterCommit?: (result: T) => void): Promise<T> {
    return this.writeUnit(work, afterCommit, false);
  }

  /**
   * `write` for work that may run twice on SQLite: besides its statements it changes nothing
   * (no counter, no cache, nothing sent; reads are fine), and whatever it keeps of its results
   * is set again by a second run. Such units share a group without savepoints (see above).
   */
  rerunnable<T>(work: (manager: EntityManager) => Promise<T>, afterCommit?: (result: T) => void): Promise<T> {
    return this.writeUnit(work, afterCommit, true);
  }

  /**
   * A write that is a single statement: atomic by itself, so on PostgreSQL it runs without a
   * BEGIN and COMMIT of its own (one round trip instead of three); on SQLite it joins the
   * group like a rerunnable write: its work must be its statements alone.
   */
  writeStatement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serialized ? this.enqueue(work, true, true) : work(this.dataSource.manager);
  }

  private writeUnit<T>(work: (manager: EntityManager) => Promise<T>, afterCommit: ((result: T) => void) | undefined, rerunnable: boolean) {
    if (!this.serialized) {
      return this.dataSource.transaction(work).then((result) => {
        afterCommit?.(result);
        return result;
      });
    }
    return this.enqueue(work, true, rerunnable, afterCommit as ((result: unknown) => void) | undefined);
  }

  /** PostgreSQL only: statements run as one transaction in one round trip (postgres-round-trip.ts); each one's rows. */
  writeInOneRoundTrip(
    statements: readonly PostgresStatement[],
    options?: { genericPlans?: boolean },
  ): Promise<Array<Array<Record<string, any>>>> {
    if (this.serialized) throw new Error('writeInOneRoundTrip is for PostgreSQL');
    return executeInOneRoundTrip(this.dataSource, statements, options);
  }

  /** Runs read-only `work`; on SQLite it sees only the work of units that were queued before it. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialized) return work(this.dataSource.manager);
    return this.enqueue(work, false, true);
  }

  /**
   * On SQLite, runs `task` once the running group has committed and before the next one
   * starts, with no transaction open; units queued meanwhile wait for it. The standalone
   * server's checkpoint worker ends a checkpoint there (DatabaseWriter). On PostgreSQL, at once.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (!this.serialized) return task();
    return new Promise<T>((resolve, reject) => {
      this.pauses.push({ task, resolve: resolve as (result: unknown) => void, reject });
      void this.runGroups();
    });
  }

  /** Units still queued at shutdown run before TypeORM closes the connection (in its onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.draining || this.queue.length > 0 || this.pauses.length > 0) await (this.draining ?? this.runGroups());
  }

  private enqueue<T>(
    work: (manager: EntityManager) => Promise<T>,
    isWrite: boolean,
    rerunnable: boolean,
    afterCommit?: (result: unknown) => void,
  ) {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, isWrite, rerunnable, afterCommit, resolve: resolve as (result: unknown) => void, reject });
      this.scheduleFlush();
    });
  }

  /**
   * The group starts in the check phase one event-loop turn after the first unit was queued,
   * so that everything the I/O callbacks of both turns queue joins it. A burst sent together
   * (the five POSTs of a 5,000-user fan-out) reaches the socket over a few microseconds: the
   * first is often read alone, and with one turn the rest waited behind its whole group and
   * its socket writes, then paid a second COMMIT that rewrote the same index pages. The extra
   * turn does not wait: with an immediate pending, the poll only collects what has arrived.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.draining) return;
    this.flushScheduled = true;
    setImmediate(() =>
      setImmediate(() => {
        this.flushScheduled = false;
        void this.runGroups();
      }),
    );
  }

  private runGroups(): Promise<void> {
    if (!this.draining) {
      // Nothing to run: a scheduled turn whose units exclusive work has run already. drain()
      // would end before it was assigned, and `draining` would stay set with nothing to clear it.
      if (this.queue.length === 0 && this.pauses.length === 0) return Promise.resolve();
      this.draining = this.drain();
    }
    return this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const pause = this.pauses.shift();
        if (pause) await this.runPause(pause);
        else if (this.queue.length > 0) await this.runGroup(this.queue.splice(0, MAX_UNITS_PER_GROUP));
        else return;
        // The units left were queued by promise callbacks, a caller awaiting each write in a
        // loop say: without a turn of the event loop between groups, no timer or socket would
        // be served until the loop ended. What I/O brings in that turn joins the next group.
        if (this.queue.length > 0 || this.pauses.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      // In the same step as the last look at the queue: a unit queued after it schedules a group.
      this.draining = undefined;
    }
  }

  private async runGroup(units: QueuedUnit[]): Promise<void> {
    const runner = this.sqliteRunner();
    if (!units.some((unit) => unit.isWrite)) {
      // Reads alone: no transaction to open, and nobody else writes between their statements.
      for (const unit of units) {
        const outcome = await settle(unit.work(runner.manager));
        if (outcome.ok) unit.resolve(outcome.result);
        else unit.reject(outcome.error);
      }
      return;
    }
    let outcomes: Outcome[] = [];
    try {
      await runner.startTransaction();
      if (units.length === 1) {
        // Alone in its group, a unit needs no savepoint: the transaction is its own.
        outcomes.push(await settle(units[0].work(runner.manager)));
        if (!outcomes[0].ok) await runner.rollbackTransaction();
      } else {
        if (units.every((unit) => unit.rerunnable)) {
          for (const unit of units) outcomes.push(await settle(unit.work(runner.manager)));
          const failed = outcomes.find((outcome) => !outcome.ok);
          if (failed) {
            // Rare: undo them all, and run them again each in its savepoint.
            await this.rollBack(runner, (failed as { error: unknown }).error);
            await runner.startTransaction();
            outcomes = [];
          }
        }
        if (outcomes.length === 0) for (const unit of units) outcomes.push(await this.runUnit(runner, unit));
      }
      if (runner.isTransactionActive) await runner.commitTransaction();
    } catch (error) {
      // A failed BEGIN, savepoint or COMMIT: nothing of the group is stored. Every unit
      // fails with that error, and none gets its afterCommit.
      await this.rollBack(runner, error);
      for (const unit of units) unit.reject(error);
      return;
    }
    units.forEach((unit, index) => {
      const outcome = outcomes[index];
      if (!outcome.ok) return unit.reject(outcome.error);
      try {
        unit.afterCommit?.(outcome.result);
      } catch (error) {
        // The unit committed; a failing callback (a publish) is the caller's error to see.
        return unit.reject(error);
      }
      unit.resolve(outcome.result);
    });
  }

  /** SQLite's one query runner and the manager it has (its own): a new manager per group cost 1–2 % of a handshake. */
  private sqliteRunner(): QueryRunner {
    const shared = this.dataSource.driver.createQueryRunner('master');
    return shared.manager ? shared : this.dataSource.createQueryRunner();
  }

  private async runPause({ task, resolve, reject }: QueuedPause): Promise<void> {
    // A task that throws at once fails alone, like one that rejects: the queue goes on.
    const outcome = await settle(Promise.resolve().then(task));
    if (outcome.ok) resolve(outcome.result);
    else reject(outcome.error);
  }

  private async runUnit(runner: QueryRunner, unit: QueuedUnit): Promise<Outcome> {
    if (!unit.isWrite) return settle(unit.work(runner.manager));
    await runner.query('SAVEPOINT unit_of_work');
    const outcome = await settle(unit.work(runner.manager));
    // A failed unit's writes are undone, and only its own: the group goes on.
    if (!outcome.ok) await runner.query('ROLLBACK TO unit_of_work');
    await runner.query('RELEASE unit_of_work');
    return outcome;
  }

  /** SQLite may have ended the transaction itself (a failed COMMIT does); either way it ends here. */
  private async rollBack(runner: QueryRunner, cause: unknown): Promise<void> {
    if (!runner.isTransactionActive) return;
    try {
      await runner.rollbackTransaction();
    } catch (error) {
      // SQLite ended it already (it does after some I/O errors). TypeORM still counts it as
      // open and would turn the next BEGIN into a savepoint: reset its bookkeeping.
      this.logger.warn(`Rollback after "${(cause as Error)?.message}" failed: ${(error as Error)?.message}`);
      Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
    }
  }
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

function settle(work: Promise<unknown>): Promise<Outcome> {
  return work.then(
    (result) => ({ ok: true, result }),
    (error: unknown) => ({ ok: false, error }),
  );
}
