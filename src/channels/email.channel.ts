import type * as Nodemailer from 'nodemailer';
import { requireOptional } from '../config/optional-dependency';
import { EmailOptions } from '../config/channels.options';
import { ChannelOutcome, ChannelRecipient, NotificationChannel } from '../model/notification-channel';
import { NotificationView } from '../model/notification.view';
import { composeEmail } from './email-message';

/** How long one SMTP exchange may take before it counts as failed. */
const SMTP_TIMEOUT_MS = 30_000;

/**
 * Email over SMTP with nodemailer, to the address the preferences give, else the `email`
 * claim of the user's token as last seen. A permanent refusal of the address (SMTP 5xx) is not
 * retried; a connection problem or a 4xx is.
 */
export class EmailChannel implements NotificationChannel {
  readonly name = 'email';
  private readonly transport: Nodemailer.Transporter;

  constructor(private readonly options: EmailOptions) {
    const nodemailer = requireOptional<typeof Nodemailer>('nodemailer', 'Email (the email option)');
    this.transport = nodemailer.createTransport(options.smtpUrl, {
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    } as Nodemailer.TransportOptions);
  }

  async send(notification: NotificationView, recipient: ChannelRecipient): Promise<ChannelOutcome> {
    if (!recipient.email) return { status: 'skipped', reason: 'no email address' };
    const message = composeEmail(notification, this.options.preferencesUrl);
    try {
      await this.transport.sendMail({ from: this.options.from, to: recipient.email, ...message });
      return { status: 'sent' };
    } catch (error) {
      const { responseCode, message: text } = error as { responseCode?: number; message?: string };
      return { status: 'failed', error: text ?? String(error), retry: !(responseCode && responseCode >= 500) };
    }
  }

  close(): void {
    this.transport.close();
  }
}
