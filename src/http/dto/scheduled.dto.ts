import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { parseScheduledCursor, SCHEDULED_CURSOR_RULE } from '../../model/scheduled-notification';
import { SEND_LIMITS } from './send-notification.dto';

/** `GET /notifications/scheduled?limit&after`. */
export class ListScheduledQuery {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'A nextCursor: the page after it (later deliverAt)', example: '1767258000000.0193d2d1-…' })
  @IsOptional()
  @ValidateBy(
    { name: 'isScheduledCursor', validator: { validate: (value) => parseScheduledCursor(value) !== undefined } },
    { message: `after must be ${SCHEDULED_CURSOR_RULE}` },
  )
  after?: string;
}

/** `PATCH /notifications/scheduled/:id`: when the held send goes instead. */
export class RescheduleDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-12-01T09:00:00Z',
    description: 'The new time (ISO 8601 with a time zone, in the future); createdAt and expiresAt move with it',
  })
  @IsString()
  @IsISO8601(SEND_LIMITS.iso8601)
  @Matches(SEND_LIMITS.zonedTime, { message: 'deliverAt must be an ISO 8601 date-time with a time zone' })
  deliverAt: string;
}

/** `POST /notifications/:id/snooze`: when the notification comes back. */
export class SnoozeDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-12-01T09:00:00Z',
    description: 'When it comes back (ISO 8601 with a time zone): in the future, at most 90 days ahead',
  })
  @IsString()
  @IsISO8601(SEND_LIMITS.iso8601)
  @Matches(SEND_LIMITS.zonedTime, { message: 'until must be an ISO 8601 date-time with a time zone' })
  until: string;
}
