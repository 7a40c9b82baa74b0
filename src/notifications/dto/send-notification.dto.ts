import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
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
import { NOTIFICATION_PRIORITIES, NotificationPriority } from '../notification.view';
import { MaxJsonSize } from './max-json-size.validator';

/** The body of `POST /notifications` (contract section 4, with its limits). */
export class SendNotificationDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  userIds: string[];

  @IsString()
  @Matches(/^[a-z0-9._-]{1,100}$/, { message: 'type must match [a-z0-9._-]{1,100}' })
  type: string;

  @IsString()
  @Length(1, 200)
  title: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  body?: string | null;

  @IsOptional()
  @IsObject()
  @MaxJsonSize(16 * 1024)
  data?: Record<string, unknown> | null;

  @IsOptional()
  @IsIn(NOTIFICATION_PRIORITIES)
  priority?: NotificationPriority;

  /** At most a year. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365 * 24 * 60 * 60)
  ttlSeconds?: number;
}
