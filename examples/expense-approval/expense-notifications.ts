import { Injectable } from '@nestjs/common';
import { NotifyOn, SendNotificationInput } from '../../src/index';
import { EXPENSE_ACTIONS } from './expense-actions';
import { ExpenseApproved, ExpenseApprovedByManager, ExpenseRejected, ExpenseSubmitted } from './expense.events';

/** The topic every finance user subscribes to. */
export const FINANCE_TOPIC = 'finance';

/**
 * How the expense domain's events become notifications, declared next to the domain. The
 * notifications module calls these when the events are emitted; nothing calls it by hand.
 */
@Injectable()
export class ExpenseNotifications {
  @NotifyOn(ExpenseSubmitted)
  submitted(event: ExpenseSubmitted): SendNotificationInput {
    return {
      userIds: [event.approverId],
      type: 'expense.submitted',
      title: `Expense of ${event.amount} to approve`,
      body: event.description,
      data: { expenseId: event.expenseId, employeeId: event.employeeId },
      priority: 'high',
      // Taken from the notification, they approve or reject like the REST routes (expense-actions.ts).
      actions: [
        { id: EXPENSE_ACTIONS.approve, label: 'Approve', style: 'primary' },
        { id: EXPENSE_ACTIONS.reject, label: 'Reject', style: 'danger' },
      ],
    };
  }

  @NotifyOn(ExpenseApprovedByManager)
  approvedByManager(event: ExpenseApprovedByManager): SendNotificationInput[] {
    return [
      {
        topic: FINANCE_TOPIC,
        type: 'expense.awaiting-finance',
        title: `Expense of ${event.amount} awaits finance`,
        body: event.description,
        data: { expenseId: event.expenseId, employeeId: event.employeeId },
      },
      {
        userIds: [event.employeeId],
        type: 'expense.approved-by-manager',
        title: 'Your manager approved your expense',
        data: { expenseId: event.expenseId },
      },
    ];
  }

  @NotifyOn(ExpenseApproved)
  approved(event: ExpenseApproved): SendNotificationInput {
    return {
      userIds: [event.employeeId],
      type: 'expense.approved',
      title: `Your expense of ${event.amount} is approved`,
      data: { expenseId: event.expenseId },
    };
  }

  @NotifyOn(ExpenseRejected)
  rejected(event: ExpenseRejected): SendNotificationInput {
    return {
      userIds: [event.employeeId],
      type: 'expense.rejected',
      title: 'Your expense was rejected',
      body: event.reason,
      data: { expenseId: event.expenseId },
    };
  }
}
