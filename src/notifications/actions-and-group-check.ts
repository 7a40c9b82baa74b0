import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { actionsProblem, groupKeyProblem } from '../model/notification-action';
import { NotificationAudience } from '../model/notification-audience';
import type { SendNotificationInput } from './send-notification.input';

/**
 * A send's `actions` and `groupKey`, checked for host code as the REST body is (a 400 there):
 * stored actions are shown to users and a key is looked up per recipient, so neither is
 * trusted blindly. A broadcast takes no key: it reaches each user's inbox only when they
 * connect, where replacing an unread one would happen at another time for each user.
 */
export function checkActionsAndGroup(input: SendNotificationInput, audience: NotificationAudience): void {
  if (input.actions != null) {
    const problem = actionsProblem(input.actions);
    if (problem) throw new InvalidNotificationException(problem);
  }
  if (input.groupKey != null) {
    const problem = groupKeyProblem(input.groupKey);
    if (problem) throw new InvalidNotificationException(problem);
    if (audience.kind === 'broadcast') throw new InvalidNotificationException('groupKey cannot be used with broadcast');
  }
}
