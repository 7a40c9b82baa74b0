import { NotificationView } from '../model/notification.view';

/** An action of a notification that has actions (inbox state): a link in the email when it has a URL. */
interface NotificationAction {
  id: string;
  label: string;
  url?: string | null;
}

/** What an email of a notification says. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  /** `List-Unsubscribe` (RFC 2369), pointing at the user's preferences; absent without a preferences URL. */
  headers: Record<string, string>;
}

/**
 * The email of a notification: the title as subject; a plain-text body with the title, the
 * body and one line per action link; the same as HTML with every piece of text escaped (a
 * title is data, never markup); the preferences as `List-Unsubscribe` and as a footer link.
 */
export function composeEmail(notification: NotificationView, preferencesUrl: string | undefined): EmailMessage {
  const actions = linkedActions(notification);
  const text = [
    notification.title,
    ...(notification.body ? ['', notification.body] : []),
    ...(actions.length > 0 ? ['', ...actions.map((action) => `${action.label}: ${action.url}`)] : []),
    ...(preferencesUrl ? ['', '--', `Choose what you are notified of: ${preferencesUrl}`] : []),
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<h1>${escapeHtml(notification.title)}</h1>`,
    notification.body ? `<p>${escapeHtml(notification.body).replace(/\r?\n/g, '<br>')}</p>` : '',
    actions.length > 0
      ? `<p>${actions.map((action) => `<a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a>`).join(' &middot; ')}</p>`
      : '',
    preferencesUrl ? `<hr><p><a href="${escapeHtml(preferencesUrl)}">Choose what you are notified of</a></p>` : '',
    '</body></html>',
  ].join('');
  return {
    // A line break in a header would end it: the subject is the title on one line.
    subject: notification.title.replace(/[\r\n]+/g, ' '),
    text,
    html,
    headers: preferencesUrl ? { 'List-Unsubscribe': `<${preferencesUrl}>` } : {},
  };
}

/** Escapes the five characters that mean something in HTML text and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function linkedActions(notification: NotificationView): Array<{ label: string; url: string }> {
  const actions = (notification as NotificationView & { actions?: NotificationAction[] | null }).actions ?? [];
  return actions.filter((action) => typeof action.url === 'string' && /^https?:\/\//i.test(action.url)) as Array<{
    label: string;
    url: string;
  }>;
}
