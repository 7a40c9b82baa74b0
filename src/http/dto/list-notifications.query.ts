import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { InboxFilterQuery } from './inbox-filter.query';
import { CURSOR_PATTERN, CURSOR_RULE, isCursor, MAX_CURSOR } from '../../model/cursor';
import { MAX_POLL_WAIT_SECONDS } from '../../polling/inbox-polls';

const WAIT_RULE = `wait must be a whole number of seconds from 1 to ${MAX_POLL_WAIT_SECONDS}`;

/** `GET /notifications?limit&before&unread`, and polling: `after` (oldest first) and `wait` (long poll). */
export class ListNotificationsQuery extends InboxFilterQuery {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ pattern: CURSOR_PATTERN.source, description: `A nextCursor: the page after it (at most ${MAX_CURSOR})` })
  @IsOptional()
  @ValidateBy({ name: 'isCursor', validator: { validate: isCursor } }, { message: `before must be ${CURSOR_RULE}` })
  before?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Only unread notifications' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;

  @ApiPropertyOptional({
    pattern: CURSOR_PATTERN.source,
    description:
      'Polling: the notifications after this cursor, oldest first ("0" for the whole inbox); nextCursor is then where to poll from next. Not with before.',
  })
  @IsOptional()
  @ValidateBy({ name: 'isCursor', validator: { validate: isCursor } }, { message: `after must be ${CURSOR_RULE}` })
  @ValidateBy(
    { name: 'notWithBefore', validator: { validate: (_, context) => (context?.object as ListNotificationsQuery).before === undefined } },
    { message: 'after cannot be combined with before: after lists newer notifications oldest first, before older ones newest first' },
  )
  after?: string;

  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    maximum: MAX_POLL_WAIT_SECONDS,
    description:
      'Long polling, with after: when nothing follows after, hold the answer up to this many seconds until something does (then answer at once); {items: []} when the wait runs out',
  })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: WAIT_RULE })
  @Min(1, { message: WAIT_RULE })
  @Max(MAX_POLL_WAIT_SECONDS, { message: WAIT_RULE })
  @ValidateBy(
    { name: 'needsAfter', validator: { validate: (_, context) => (context?.object as ListNotificationsQuery).after !== undefined } },
    { message: 'wait needs after=<cursor> (after=0 to start from the beginning)' },
  )
  wait?: number;
}
