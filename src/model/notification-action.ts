/** A button on a notification (Novu's primary/secondary actions): taking one is recorded per recipient. */
export interface NotificationAction {
  id: string;
  label: string;
  /** Where a client may take the user after the action is recorded; null when the action is handled in place. */
  url: string | null;
  style: NotificationActionStyle;
}

export type NotificationActionStyle = 'primary' | 'secondary' | 'danger';
export const NOTIFICATION_ACTION_STYLES: readonly NotificationActionStyle[] = ['primary', 'secondary', 'danger'];

/** The limits of actions and groupKey on a send. */
export const ACTION_LIMITS = {
  maxActions: 3,
  idPattern: /^[a-z0-9_-]{1,40}$/,
  maxLabelLength: 60,
  maxUrlLength: 2000,
  maxGroupKeyLength: 100,
} as const;

/** An action as a sender gives it: `url` and `style` are optional. */
export interface NotificationActionInput {
  id: string;
  label: string;
  url?: string | null;
  style?: NotificationActionStyle;
}

const ACTION_FIELDS = new Set(['id', 'label', 'url', 'style']);

/**
 * What is wrong with a send's `actions`, naming the field (`actions[1].id …`), or undefined
 * when they are fine. One check for the REST body and host code alike; it never recurses.
 */
export function actionsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'actions must be an array';
  if (value.length > ACTION_LIMITS.maxActions) return `actions must hold at most ${ACTION_LIMITS.maxActions} actions`;
  const ids = new Set<string>();
  for (const [index, action] of value.entries()) {
    const problem = actionProblem(action, `actions[${index}]`);
    if (problem) return problem;
    if (ids.has(action.id)) return `actions[${index}].id must differ from the other actions' ids`;
    ids.add(action.id);
  }
  return undefined;
}

function actionProblem(action: any, name: string): string | undefined {
  if (typeof action !== 'object' || action === null || Array.isArray(action)) return `${name} must be an object`;
  const unknown = Object.keys(action).find((field) => !ACTION_FIELDS.has(field));
  if (unknown !== undefined) return `${name}.${unknown.slice(0, 40)} should not exist`;
  if (typeof action.id !== 'string' || !ACTION_LIMITS.idPattern.test(action.id)) return `${name}.id must match [a-z0-9_-]{1,40}`;
  if (typeof action.label !== 'string' || action.label.length < 1 || action.label.length > ACTION_LIMITS.maxLabelLength) {
    return `${name}.label must be a string of 1 to ${ACTION_LIMITS.maxLabelLength} characters`;
  }
  if (action.url != null && !isHttpUrl(action.url))
    return `${name}.url must be an http(s) URL of at most ${ACTION_LIMITS.maxUrlLength} characters`;
  if (action.style !== undefined && !NOTIFICATION_ACTION_STYLES.includes(action.style)) {
    return `${name}.style must be one of ${NOTIFICATION_ACTION_STYLES.join(', ')}`;
  }
  return undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > ACTION_LIMITS.maxUrlLength || !/^https?:\/\//i.test(value)) return false;
  return URL.canParse(value);
}

/** What is wrong with a send's `groupKey`, or undefined. */
export function groupKeyProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 1 || value.length > ACTION_LIMITS.maxGroupKeyLength) {
    return `groupKey must be a string of 1 to ${ACTION_LIMITS.maxGroupKeyLength} characters`;
  }
  return undefined;
}

/** The actions as stored and shown: `url` null when absent, `style` secondary unless given. */
export function normalizeActions(actions: readonly NotificationActionInput[] | null | undefined): NotificationAction[] {
  if (actions == null) return [];
  return actions.map(({ id, label, url, style }) => ({ id, label, url: url ?? null, style: style ?? 'secondary' }));
}
