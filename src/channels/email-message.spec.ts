import { NotificationView } from '../model/notification.view';
import { composeEmail, escapeHtml } from './email-message';
import { UNTOUCHED_RECIPIENT_FIELDS } from '../../test/support/notification-content';

const notification: NotificationView = {
  id: 'n1',
  cursor: '1',
  type: 'expense.submitted',
  title: 'Expense <b>\nreport</b>',
  body: '12 € for "lunch" & <coffee>',
  data: null,
  priority: 'normal',
  topic: null,
  createdAt: '2026-12-05T10:00:00.000Z',
  expiresAt: null,
  ...UNTOUCHED_RECIPIENT_FIELDS,
  critical: false,
  actions: [],
  groupKey: null,
};

describe('composeEmail', () => {
  it('puts the title on one subject line, and the text verbatim in the plain body', () => {
    const email = composeEmail(notification, undefined);
    expect(email.subject).toBe('Expense <b> report</b>');
    expect(email.text).toBe('Expense <b>\nreport</b>\n\n12 € for "lunch" & <coffee>');
    expect(email.headers).toEqual({});
  });

  it('escapes every piece of text in the HTML', () => {
    const { html } = composeEmail(notification, undefined);
    expect(html).toContain('<h1>Expense &#60;b&#62;\nreport&#60;/b&#62;</h1>');
    expect(html).toContain('<p>12 € for &#34;lunch&#34; &#38; &#60;coffee&#62;</p>');
    expect(html).not.toMatch(/<(b|coffee)>/);
  });

  it('links actions that have an http(s) URL, and the preferences, with List-Unsubscribe', () => {
    const withActions = {
      ...notification,
      actions: [
        { id: 'approve', label: 'Approve', url: 'https://app.test/approve?id=1&x="y"' },
        { id: 'evil', label: 'Run', url: 'javascript:alert(1)' },
        { id: 'later', label: 'Later', url: null },
      ],
    } as NotificationView;
    const email = composeEmail(withActions, 'https://app.test/settings');
    expect(email.text).toContain('Approve: https://app.test/approve?id=1&x="y"');
    expect(email.text).not.toContain('javascript:');
    expect(email.html).toContain('<a href="https://app.test/approve?id=1&#38;x=&#34;y&#34;">Approve</a>');
    expect(email.html).not.toContain('javascript:');
    expect(email.headers).toEqual({ 'List-Unsubscribe': '<https://app.test/settings>' });
    expect(email.text).toContain('https://app.test/settings');
  });

  it('escapes the five characters of HTML', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});
