import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_PRIORITIES, NotificationPriority, NotificationView } from '../../model/notification.view';

// Response shapes for the OpenAPI document: classes, because Swagger reads decorators.
// Each mirrors a type the code returns, and `implements` keeps the two in step.

/** The Notification of the contract (section 5). */
export class NotificationResponse implements NotificationView {
  @ApiProperty({ description: 'Names the notification; shared by its recipients', format: 'uuid' })
  id: string;
  @ApiProperty({ description: "The recipient's own position (digits); resume WebSocket replay with ?after=", example: '42' })
  cursor: string;
  @ApiProperty({ example: 'expense.approved', pattern: '^[a-z0-9._-]{1,100}$' })
  type: string;
  @ApiProperty({ maxLength: 200 })
  title: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  body: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  data: Record<string, unknown> | null;
  @ApiProperty({ enum: NOTIFICATION_PRIORITIES })
  priority: NotificationPriority;
  @ApiProperty({ type: String, nullable: true })
  topic: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a client acknowledged it' })
  deliveredAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null wherever it is listed or delivered: a snoozed notification is out of lists, counts and replay until it comes back',
  })
  snoozedUntil: string | null;
  @ApiProperty({ description: 'Sent with critical: true, reaching every recipient whatever their preferences', default: false })
  critical: boolean;
}

export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse], description: 'Newest first; with after, oldest first' })
  items: NotificationResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?before= for the next page; null on the last. With after: pass as ?after= to poll next (never null)',
  })
  nextCursor: string | null;
}

export class SendResultResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ description: 'Inboxes the notification was stored in' })
  recipients: number;
  @ApiProperty({ description: 'Recipients with an open session (any node) at the time of sending' })
  online: number;
  @ApiProperty({
    description:
      "Recipients left out by their preferences (in-app off for this type or topic): no inbox row, no frame. Always 0 for a broadcast (each user's preferences apply as it reaches their inbox), a held send (they apply at release) and a critical one",
  })
  suppressed: number;
}

export class CountResponse {
  @ApiProperty()
  count: number;
}

/** Nest's error body. */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode: number;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] })
  message: string | string[];
  @ApiProperty({ example: 'Bad Request' })
  error: string;
}
