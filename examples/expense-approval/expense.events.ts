/** The expense domain's events. The module maps them to notifications (expense-notifications.ts). */

export class ExpenseSubmitted {
  static readonly eventName = 'expense.submitted';
  constructor(
    readonly expenseId: string,
    readonly employeeId: string,
    readonly approverId: string,
    readonly amount: number,
    readonly description: string,
  ) {}
}

/** The named approver approved; finance now has to. */
export class ExpenseApprovedByManager {
  static readonly eventName = 'expense.approved-by-manager';
  constructor(
    readonly expenseId: string,
    readonly employeeId: string,
    readonly approverId: string,
    readonly amount: number,
    readonly description: string,
  ) {}
}

/** Finance approved: the expense will be paid. */
export class ExpenseApproved {
  static readonly eventName = 'expense.approved';
  constructor(
    readonly expenseId: string,
    readonly employeeId: string,
    readonly financeUserId: string,
    readonly amount: number,
  ) {}
}

export class ExpenseRejected {
  static readonly eventName = 'expense.rejected';
  constructor(
    readonly expenseId: string,
    readonly employeeId: string,
    readonly rejectedBy: string,
    readonly reason: string,
  ) {}
}
