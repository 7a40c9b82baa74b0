import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, ValidateBy, ValidationOptions } from 'class-validator';
import { TOPIC_PATTERN } from '../../model/notification-audience';
import { PREFERENCE_TYPE_KEY } from '../../model/preferences';

/** `expense.approved`, or a prefix ending in `.*` (`expense.*`): the rule of preference keys. */
export const TYPE_FILTER = PREFERENCE_TYPE_KEY;
export const TYPE_FILTER_RULE = 'type must be a type ([a-z0-9._-]{1,100}) or a prefix ending in .* (expense.*)';
export const TOPIC_FILTER_RULE = 'topic must match [A-Za-z0-9._:-]{1,100}';
/** An ISO-8601 instant with a date and a time and an offset or Z, as the API writes them. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** A query field that polling (`after`) does not take: its filters are those of a page. */
function notWithAfter(field: string, options?: ValidationOptions) {
  return ValidateBy(
    { name: 'notWithAfter', validator: { validate: (_, context) => (context?.object as { after?: string }).after === undefined } },
    { message: `${field} filters pages (before); it cannot be combined with after (polling)`, ...options },
  );
}

/** `since`: an ISO-8601 instant, turned into the stored form (UTC, milliseconds) so it compares as text. */
function toInstant({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** The filters of `GET /notifications` beyond v1's `unread`: they compose with each other and with `before` paging. */
export class InboxFilterQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'true: only archived notifications (false, the default: only unarchived ones)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'archived must be true or false' })
  @notWithAfter('archived')
  archived?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'false: only unseen notifications; true: only seen ones (a read one counts as seen)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'seen must be true or false' })
  @notWithAfter('seen')
  seen?: boolean;

  @ApiPropertyOptional({
    pattern: TYPE_FILTER.source,
    description: 'Only this type, or with a prefix ending in .* only types that start so',
    example: 'expense.*',
  })
  @IsOptional()
  @IsString({ message: TYPE_FILTER_RULE })
  @Matches(TYPE_FILTER, { message: TYPE_FILTER_RULE })
  @notWithAfter('type')
  type?: string;

  @ApiPropertyOptional({ pattern: TOPIC_PATTERN.source, description: 'Only notifications sent to this topic' })
  @IsOptional()
  @IsString({ message: TOPIC_FILTER_RULE })
  @Matches(TOPIC_PATTERN, { message: TOPIC_FILTER_RULE })
  @notWithAfter('topic')
  topic?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only notifications created at or after this instant (their createdAt)' })
  @IsOptional()
  @Transform(toInstant)
  @IsString({ message: 'since must be an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, {
    message: 'since must be an ISO-8601 date and time, e.g. 2026-12-01T09:00:00Z',
  })
  @notWithAfter('since')
  since?: string;
}
