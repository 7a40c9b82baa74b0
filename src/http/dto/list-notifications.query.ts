import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { CURSOR_PATTERN, CURSOR_RULE, isCursor, MAX_CURSOR } from '../../model/cursor';

/** `GET /notifications?limit&before&unread`. */
export class ListNotificationsQuery {
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
}
