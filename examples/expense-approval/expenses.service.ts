import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { domainEventName, Principal } from '../../src/index';
import { ExpenseApproved, ExpenseApprovedByManager, ExpenseRejected, ExpenseSubmitted } from './expense.events';

export type ExpenseStatus = 'awaiting-approval' | 'awaiting-finance' | 'approved' | 'rejected';

export interface Expense {
  id: string;
  employeeId: string;
  approverId: string;
  amount: number;
  description: string;
  status: ExpenseStatus;
}

/** Who decides on an expense: a caller over REST, or the user who took a notification's action. */
export type Decider = Pick<Principal, 'userId' | 'claims'>;

/** Whether the caller's token says they are in finance (`roles` claim contains "finance"). */
export function isFinance(user: Decider): boolean {
  const roles = user.claims.roles;
  return Array.isArray(roles) && roles.includes('finance');
}

/**
 * The approval rules: the named approver, then finance. Kept in memory for the example; a
 * real app stores expenses in its database. It raises events and knows nothing of notifications.
 */
@Injectable()
export class ExpensesService {
  private readonly expenses = new Map<string, Expense>();

  constructor(private readonly events: EventEmitter2) {}

  submit(employeeId: string, input: { amount: number; description: string; approverId: string }): Expense {
    const expense: Expense = { id: randomUUID(), employeeId, status: 'awaiting-approval', ...input };
    this.expenses.set(expense.id, expense);
    this.raise(new ExpenseSubmitted(expense.id, employeeId, expense.approverId, expense.amount, expense.description));
    return expense;
  }

  approve(user: Decider, id: string): Expense {
    const expense = this.find(id);
    if (expense.status === 'awaiting-approval') {
      this.checkCurrentApprover(user, expense);
      expense.status = 'awaiting-finance';
      this.raise(new ExpenseApprovedByManager(expense.id, expense.employeeId, user.userId, expense.amount, expense.description));
    } else if (expense.status === 'awaiting-finance') {
      this.checkCurrentApprover(user, expense);
      expense.status = 'approved';
      this.raise(new ExpenseApproved(expense.id, expense.employeeId, user.userId, expense.amount));
    } else {
      throw new ConflictException(`Expense ${id} is already ${expense.status}`);
    }
    return expense;
  }

  reject(user: Decider, id: string, reason: string): Expense {
    const expense = this.find(id);
    if (expense.status !== 'awaiting-approval' && expense.status !== 'awaiting-finance') {
      throw new ConflictException(`Expense ${id} is already ${expense.status}`);
    }
    this.checkCurrentApprover(user, expense);
    expense.status = 'rejected';
    this.raise(new ExpenseRejected(expense.id, expense.employeeId, user.userId, reason));
    return expense;
  }

  /** The named approver first, then any finance user. */
  private checkCurrentApprover(user: Decider, expense: Expense): void {
    const allowed = expense.status === 'awaiting-approval' ? user.userId === expense.approverId : isFinance(user);
    if (!allowed) {
      throw new ForbiddenException(
        expense.status === 'awaiting-approval'
          ? 'Only the named approver may decide on this expense now'
          : 'Only finance (roles: ["finance"]) may decide on this expense now',
      );
    }
  }

  private find(id: string): Expense {
    const expense = this.expenses.get(id);
    if (!expense) throw new NotFoundException(`No expense ${id.slice(0, 100)}`);
    return expense;
  }

  private raise(event: object): void {
    this.events.emit(domainEventName(event.constructor as new () => object), event);
  }
}
