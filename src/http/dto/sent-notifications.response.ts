import { ApiProperty } from '@nestjs/swagger';
import { SentNotificationsPage, SentNotificationSummary } from '../../notifications/sent-notifications.types';

// `GET /notifications/sent` for the OpenAPI document; `implements` keeps each class in step with its type.

export class SentNotificationResponse implements SentNotificationSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'expense.approved' })
  type: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ type: String, nullable: true, description: "The sender token's sub; null for host code that sent without one" })
  senderId: string | null;
  @ApiProperty({ format: 'date-time', description: 'For a held send, when it is (or was) released' })
  createdAt: string;
  @ApiProperty({ enum: ['users', 'topic', 'broadcast'] })
  audience: 'users' | 'topic' | 'broadcast';
  @ApiProperty({ description: 'Inboxes it is in (a broadcast: the users it reached so far; a held send: 0 until due)' })
  recipients: number;
  @ApiProperty({ description: 'Of those, acknowledged by a session or read' })
  delivered: number;
  @ApiProperty()
  read: number;
  @ApiProperty({ description: 'Recipients whose preferences kept it from them' })
  suppressed: number;
}

export class SentNotificationsPageResponse implements SentNotificationsPage {
  @ApiProperty({ type: [SentNotificationResponse], description: 'Newest first' })
  items: SentNotificationResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?before= for the next page; null on the last' })
  nextCursor: string | null;
}
