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
import { TOPIC_PATTERN } from '../../model/notification-audience';
import { MAX_JSON_DEPTH } from '../../protocol/json-depth';
import { NOTIFICATION_PRIORITIES, NotificationPriority } from '../../model/notification.view';
import { USER_ID_RULE } from '../../model/user-id';
import { IsUserId } from './is-user-id.validator';
import { IsGroupKey, IsNotificationActions } from './notification-actions.validator';
import { ACTION_LIMITS, NOTIFICATION_ACTION_STYLES, NotificationActionStyle } from '../../model/notification-action';
import { MaxJsonSize } from './max-json-size.validator';

/** The limits of contract section 4, shared by the decorators below and {@link isWellFormedSend}. */
export const SEND_LIMITS = {
  maxRecipients: 1000,
  typePattern: /^[a-z0-9._-]{1,100}$/,
  titleLength: { min: 1, max: 200 },
  maxBodyLength: 5000,
  maxDataBytes: 16 * 1024,
  /** `data` is one level inside the body, which may nest {@link MAX_JSON_DEPTH} levels. */
  maxDataDepth: MAX_JSON_DEPTH - 1,
  /** At most a year. */
  maxTtlSeconds: 365 * 24 * 60 * 60,
  /** `deliverAt` must name its time zone. */
  zonedTime: /T.*(Z|[+-]\d{2}:?\d{2})$/,
  iso8601: { strict: true, strictSeparator: true },
} as const;

/** One action of a send (OpenAPI only: IsNotificationActions checks the array as a whole). */
export class NotificationActionBody {
  @ApiProperty({ pattern: ACTION_LIMITS.idPattern.source, example: 'approve' })
  id: string;
  @ApiProperty({ minLength: 1, maxLength: ACTION_LIMITS.maxLabelLength, example: 'Approve' })
  label: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uri', description: 'http(s); absent or null: handled in place' })
  url?: string | null;
  @ApiPropertyOptional({ enum: NOTIFICATION_ACTION_STYLES, default: 'secondary' })
  style?: NotificationActionStyle;
}

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
    maxItems: SEND_LIMITS.maxRecipients,
    uniqueItems: true,
    example: ['u1', 'u2'],
    description: `These users (each ${USER_ID_RULE}). ${ONE_AUDIENCE}`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SEND_LIMITS.maxRecipients)
  @ArrayUnique()
  @IsString({ each: true })
  @IsUserId({ each: true })
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
    description:
      'Held until then: not listed, counted or sent before (ISO 8601 with a time zone; a time in the past sends at once). The 201 comes at once, with online 0.',
  })
  @IsOptional()
  @IsISO8601(SEND_LIMITS.iso8601)
  @Matches(SEND_LIMITS.zonedTime, { message: 'deliverAt must be an ISO 8601 date-time with a time zone' })
  deliverAt?: string;

  @ApiProperty({ pattern: SEND_LIMITS.typePattern.source, example: 'expense.approved' })
  @IsString()
  @Matches(SEND_LIMITS.typePattern, { message: 'type must match [a-z0-9._-]{1,100}' })
  type: string;

  @ApiProperty({ minLength: SEND_LIMITS.titleLength.min, maxLength: SEND_LIMITS.titleLength.max, example: 'Your expense was approved' })
  @IsString()
  @Length(SEND_LIMITS.titleLength.min, SEND_LIMITS.titleLength.max)
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: SEND_LIMITS.maxBodyLength })
  @IsOptional()
  @IsString()
  @MaxLength(SEND_LIMITS.maxBodyLength)
  body?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: `At most 16 KiB as JSON, nested at most ${SEND_LIMITS.maxDataDepth} levels`,
  })
  @IsOptional()
  @IsObject()
  @MaxJsonSize(SEND_LIMITS.maxDataBytes)
  data?: Record<string, unknown> | null;

  @ApiPropertyOptional({ enum: NOTIFICATION_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(NOTIFICATION_PRIORITIES)
  priority?: NotificationPriority;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: SEND_LIMITS.maxTtlSeconds,
    description: 'Expires (gone from lists and replay) after this many seconds',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SEND_LIMITS.maxTtlSeconds)
  ttlSeconds?: number;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'true: every recipient gets it whatever their preferences (nothing is suppressed); for alerts they must not miss',
  })
  @IsOptional()
  @IsBoolean()
  critical?: boolean;

  @ApiPropertyOptional({
    type: [NotificationActionBody],
    maxItems: ACTION_LIMITS.maxActions,
    description: 'Up to 3 buttons, ids distinct; a user takes one with POST /notifications/{id}/actions/{actionId}',
  })
  @IsOptional()
  @IsNotificationActions()
  actions?: NotificationActionBody[] | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: ACTION_LIMITS.maxGroupKeyLength,
    example: 'expense-42-comments',
    description:
      "Replaces each recipient's unread notification with the same key (archived); the new one carries replaces and groupCount. Not with broadcast",
  })
  @IsOptional()
  @IsGroupKey()
  groupKey?: string | null;
}
