import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { NotificationActionedEvent, NotificationLifecycleEvents } from '../../src/index';
import { ExpensesService } from './expenses.service';

/** The actions on the approver's `expense.submitted` notification (expense-notifications.ts). */
export const EXPENSE_ACTIONS = { approve: 'approve', reject: 'reject' } as const;

/**
 * The approver decides from the notification itself: taking its Approve or Reject action
 * (`POST /notifications/:id/actions/:actionId`) raises `notifications.actioned`, and this
 * listener drives the same approval as the REST routes, as the user who took the action.
 */
@Injectable()
export class ExpenseActions {
  private readonly logger = new Logger('ExpenseActions');

  constructor(private readonly expenses: ExpensesService) {}

  @OnEvent(NotificationLifecycleEvents.Actioned)
  decide(event: NotificationActionedEvent): void {
    if (event.notification.type !== 'expense.submitted') return;
    const expenseId = event.notification.data?.expenseId;
    if (typeof expenseId !== 'string') return;
    // The action's user, with no claims: only the named approver may decide at this stage.
    const decider = { userId: event.userId, claims: {} };
    try {
      if (event.actionId === EXPENSE_ACTIONS.approve) this.expenses.approve(decider, expenseId);
      else if (event.actionId === EXPENSE_ACTIONS.reject) this.expenses.reject(decider, expenseId, 'Rejected from the notification');
    } catch (error) {
      // Decided over REST first, say: the action stays recorded, the expense as it was.
      this.logger.warn(`Action ${event.actionId} on expense ${expenseId} refused: ${error instanceof Error ? error.message : error}`);
    }
  }
}
