import { Injectable } from '@nestjs/common';
import { UnitOfWork } from './unit-of-work';

/**
 * The module's database work as a host may need to step around it. On SQLite the module
 * writes through one connection, a group of units per transaction; a host that must act
 * between two of those transactions (finish a checkpoint, take a backup) does it here.
 */
@Injectable()
export class DatabaseWriter {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * Runs `task` while none of the module's transactions is open: on SQLite after the running
   * group commits, with the module's next units waiting until it settles. On PostgreSQL, at once.
   */
  betweenTransactions<T>(task: () => Promise<T>): Promise<T> {
    return this.unitOfWork.exclusive(task);
  }
}
