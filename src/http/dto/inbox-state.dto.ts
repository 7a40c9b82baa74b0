import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, ValidateBy } from 'class-validator';
import { TOPIC_PATTERN } from '../../model/notification-audience';
import { isNotificationId } from '../../model/notification-id';
import { TOPIC_FILTER_RULE, TYPE_FILTER, TYPE_FILTER_RULE } from './inbox-filter.query';

/** Ids per `POST /notifications/seen`: as many as a send names users. */
export const MAX_SEEN_IDS = 1000;
const IDS_RULE = `ids must be an array of 1 to ${MAX_SEEN_IDS} notification ids (UUIDs)`;

/** `POST /notifications/seen`: `{ids}` or `{all: true}`, exactly one. */
export class SeenDto {
  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: MAX_SEEN_IDS,
    description: 'These notifications (all must be yours: else 404, nothing stored)',
  })
  @IsOptional()
  @ValidateBy(
    {
      name: 'isIdList',
      validator: {
        validate: (value) => Array.isArray(value) && value.length > 0 && value.length <= MAX_SEEN_IDS && value.every(isNotificationId),
      },
    },
    { message: IDS_RULE },
  )
  ids?: string[];

  @ApiPropertyOptional({ enum: [true], description: 'Every notification in the inbox' })
  @IsOptional()
  @IsIn([true], { message: 'all must be true (or send ids instead)' })
  @ValidateBy(
    { name: 'idsOrAll', validator: { validate: (_, context) => (context?.object as SeenDto).ids === undefined } },
    { message: 'all cannot be combined with ids: send one of them' },
  )
  all?: true;
}

/** `POST /notifications/read-all`: an optional filter (v1 sent no body: everything). */
export class ReadAllDto {
  @ApiPropertyOptional({
    pattern: TYPE_FILTER.source,
    example: 'expense.*',
    description: 'Only this type, or types with this prefix (ending in .*)',
  })
  @IsOptional()
  @IsString({ message: TYPE_FILTER_RULE })
  @Matches(TYPE_FILTER, { message: TYPE_FILTER_RULE })
  type?: string;

  @ApiPropertyOptional({ pattern: TOPIC_PATTERN.source, description: 'Only notifications sent to this topic' })
  @IsOptional()
  @IsString({ message: TOPIC_FILTER_RULE })
  @Matches(TOPIC_PATTERN, { message: TOPIC_FILTER_RULE })
  topic?: string;
}

/** `POST /notifications/archive-all`: an optional filter; without one, the whole inbox. */
export class ArchiveAllDto extends ReadAllDto {
  @ApiPropertyOptional({ type: Boolean, description: 'true: only read ones; false: only unread ones' })
  @IsOptional()
  @IsBoolean({ message: 'read must be true or false' })
  read?: boolean;
}
