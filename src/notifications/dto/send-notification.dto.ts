import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
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

/** Said on each audience field: OpenAPI cannot require "exactly one of" plain properties. */
const ONE_AUDIENCE = 'One audience of three: give exactly one of `userIds`, `topic` or `broadcast: true` (else 400 naming them).';

/**
 * The body of `POST /notifications` (contract section 4, with its limits). Exactly one
 * audience (`userIds`, `topic`, `broadcast: true`) is checked by the service (400 naming them).
 */
@ApiSchema({ description: `A notification to send. ${ONE_AUDIENCE}` })
export class SendNotificationDto {
  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: 1000,
    uniqueItems: true,
    example: ['u1', 'u2'],
    description: `These users (each 1 to 255 characters). ${ONE_AUDIENCE}`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  userIds?: string[];

  @ApiPropertyOptional({
    pattern: TOPIC_PATTERN.source,
    example: 'finance',
    description: `The topic's subscribers at the time of sending (PUT /topics/{topic}/subscribers/{userId}). ${ONE_AUDIENCE}`,
  })
  @IsOptional()
  @IsString()
  @Matches(TOPIC_PATTERN, { message: 'topic must match [A-Za-z0-9._:-]{1,100}' })
  topic?: string;

  @ApiPropertyOptional({
    type: Boolean,
    example: true,
    description: `true: every user connected now, and every user who connects (or lists their inbox) before it expires; false counts as absent. ${ONE_AUDIENCE}`,
  })
  @IsOptional()
  @IsBoolean()
  broadcast?: boolean;

  /** ISO 8601 date-time with a time zone; a time in the past sends at once. */
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-12-01T09:00:00Z',
    description: 'Held until then: not listed, counted or sent before (ISO 8601 with a time zone; a time in the past sends at once). The 201 comes at once, with online 0.',
  })
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
