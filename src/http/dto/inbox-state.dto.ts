import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { TOPIC_PATTERN } from '../../model/notification-audience';
import { isNotificationId } from '../../model/notification-id';
import { TOPIC_FILTER_RULE, TYPE_FILTER, TYPE_FILTER_RULE } from './inbox-filter.query';

/**
 * Optional, but not null: IsOptional would skip a null too, and `{"topic": null}` would then be
 * the unfiltered change, `{"all": null}` a seen-all. Absent means absent.
 */
const Absent = () => ValidateIf((_object, value) => value !== undefined);

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
  @Absent()
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
  @Absent()
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
  @Absent()
  @IsString({ message: TYPE_FILTER_RULE })
  @Matches(TYPE_FILTER, { message: TYPE_FILTER_RULE })
  type?: string;

  @ApiPropertyOptional({ pattern: TOPIC_PATTERN.source, description: 'Only notifications sent to this topic' })
  @Absent()
  @IsString({ message: TOPIC_FILTER_RULE })
  @Matches(TOPIC_PATTERN, { message: TOPIC_FILTER_RULE })
  topic?: string;
}

/** `POST /notifications/archive-all`: an optional filter; without one, the whole inbox. */
export class ArchiveAllDto extends ReadAllDto {
  @ApiPropertyOptional({ type: Boolean, description: 'true: only read ones; false: only unread ones' })
  @Absent()
  @IsBoolean({ message: 'read must be true or false' })
  read?: boolean;
}
