import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isNotificationId } from '../../model/notification-id';
import { isUserId, USER_ID_RULE } from '../../model/user-id';
import { SEND_LIMITS } from './send-notification.dto';

/** `GET /notifications/sent?senderId&type&since&limit&before` (administrators). */
export class ListSentNotificationsQuery {
  @ApiPropertyOptional({
    description: `Only what this sender (a token's \`sub\`; with tenancy, of the caller's tenant) sent: ${USER_ID_RULE}`,
  })
  @IsOptional()
  @ValidateBy({ name: 'isUserId', validator: { validate: isUserId } }, { message: `senderId must be ${USER_ID_RULE}` })
  senderId?: string;

  @ApiPropertyOptional({ pattern: SEND_LIMITS.typePattern.source, description: 'Only notifications of exactly this type' })
  @IsOptional()
  @IsString()
  @Matches(SEND_LIMITS.typePattern, { message: 'type must match [a-z0-9._-]{1,100}' })
  type?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-01T00:00:00Z', description: 'Only those created at or after then' })
  @IsOptional()
  @IsISO8601(SEND_LIMITS.iso8601, { message: 'since must be an ISO 8601 date-time with a time zone' })
  @Matches(SEND_LIMITS.zonedTime, { message: 'since must be an ISO 8601 date-time with a time zone' })
  since?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'A nextCursor: the page after it' })
  @IsOptional()
  @ValidateBy(
    { name: 'isNotificationId', validator: { validate: isNotificationId } },
    { message: 'before must be a nextCursor (a notification id)' },
  )
  before?: string;
}
