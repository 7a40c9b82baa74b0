import { ChannelOutcome, ChannelRecipient, NotificationChannel, NotificationView } from '../../src/index';
import { createTestDatabase, TestDatabase } from './test-server';

/** A host's own channel (Slack, SMS…) for tests: records each send, and answers as told. */
export class RecordingChannel implements NotificationChannel {
  readonly sends: Array<{ notification: NotificationView; recipient: ChannelRecipient }> = [];

  constructor(
    readonly name: string,
    private readonly answer: (call: number) => ChannelOutcome | Promise<ChannelOutcome> = () => ({ status: 'sent' }),
  ) {}

  async send(notification: NotificationView, recipient: ChannelRecipient): Promise<ChannelOutcome> {
    this.sends.push({ notification, recipient });
    return this.answer(this.sends.length);
  }

  sendsTo(userId: string) {
    return this.sends.filter((each) => each.recipient.userId === userId);
  }
}

/** A fresh database for a host app: PostgreSQL when the suite runs on it, else a SQLite file. */
export async function hostDatabase(): Promise<{ options: Record<string, unknown>; database: TestDatabase }> {
  const database = await createTestDatabase();
  const options = database.path ? { type: 'better-sqlite3', database: database.path } : { type: 'postgres', url: database.url };
  return { options, database };
}
