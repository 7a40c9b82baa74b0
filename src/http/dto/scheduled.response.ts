import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_PRIORITIES, NotificationPriority } from '../../model/notification.view';
import { ScheduledNotificationPage, ScheduledNotificationView } from '../../model/scheduled-notification';

/** A held send as its sender sees it: the send's own fields, and when it goes. */
export class ScheduledNotificationResponse implements ScheduledNotificationView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: [String], nullable: true, description: 'The users named (audience userIds); null for a topic or a broadcast' })
  userIds: string[] | null;
  @ApiProperty({ type: String, nullable: true, description: 'The topic (its subscribers when it is released); null otherwise' })
  topic: string | null;
  @ApiProperty({ description: 'true for a broadcast' })
  broadcast: boolean;
  @ApiProperty({ example: 'expense.approved' })
  type: string;
  @ApiProperty({ maxLength: 200 })
  title: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  body: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  data: Record<string, unknown> | null;
  @ApiProperty({ enum: NOTIFICATION_PRIORITIES })
  priority: NotificationPriority;
  @ApiProperty({ type: Number, nullable: true, description: 'The TTL it was sent with, counted from deliverAt' })
  ttlSeconds: number | null;
  @ApiProperty({ format: 'date-time', description: 'When it is released into the inboxes' })
  deliverAt: string;
}

export class ScheduledPageResponse implements ScheduledNotificationPage {
  @ApiProperty({ type: [ScheduledNotificationResponse], description: 'Soonest deliverAt first' })
  items: ScheduledNotificationResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?after= for the next page; null on the last' })
  nextCursor: string | null;
}
