import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { TOPIC_PATTERN } from '../notification-audience';
import { NOTIFICATION_PRIORITIES, NotificationPriority } from '../notification.view';
import { MaxJsonSize } from './max-json-size.validator';

/**
 * The body of `POST /notifications` (contract section 4, with its limits). Exactly one
 * audience (`userIds`, `topic`, `broadcast: true`) is checked by the service (400 naming them).
 */
export class SendNotificationDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1000, uniqueItems: true, example: ['u1', 'u2'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  userIds?: string[];

  @IsOptional()
  @IsString()
  @Matches(TOPIC_PATTERN, { message: 'topic must match [A-Za-z0-9._:-]{1,100}' })
  topic?: string;

  @IsOptional()
  @IsBoolean()
  broadcast?: boolean;

  /** ISO 8601 date-time with a time zone; a time in the past sends at once. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/T.*(Z|[+-]\d{2}:?\d{2})$/, { message: 'deliverAt must be an ISO 8601 date-time with a time zone' })
  deliverAt?: string;

  @ApiProperty({ pattern: '^[a-z0-9._-]{1,100}$', example: 'expense.approved' })
  @IsString()
  @Matches(/^[a-z0-9._-]{1,100}$/, { message: 'type must match [a-z0-9._-]{1,100}' })
  type: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Your expense was approved' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  body?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'At most 16 KiB as JSON' })
  @IsOptional()
  @IsObject()
  @MaxJsonSize(16 * 1024)
  data?: Record<string, unknown> | null;

  @ApiPropertyOptional({ enum: NOTIFICATION_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(NOTIFICATION_PRIORITIES)
  priority?: NotificationPriority;

  /** At most a year. */
  @ApiPropertyOptional({ minimum: 1, maximum: 365 * 24 * 60 * 60, description: 'Expires (gone from lists and replay) after this many seconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365 * 24 * 60 * 60)
  ttlSeconds?: number;
}
