import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ChannelDelivery, DeliveriesPage } from '../../channels/channel-deliveries';
import { USER_ID_RULE } from '../../model/user-id';
import { IsUserId } from './is-user-id.validator';

/** `GET /notifications/:id/deliveries?limit&after`. */
export class ListDeliveriesQuery {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 1000, default: 100, description: 'Recipients per page' })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: `A nextCursor (a user id: ${USER_ID_RULE}): the recipients after it` })
  @IsOptional()
  @IsUserId({ message: 'after must be a nextCursor (a user id)' })
  after?: string;
}

export class ChannelDeliveryResponse implements ChannelDelivery {
  @ApiProperty()
  userId: string;
  @ApiProperty({
    description: '`websocket` (live: WebSocket and event stream), `push`, `email`, or a channel of the host',
    example: 'push',
  })
  channel: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'skipped'], description: 'websocket: sent once a client acknowledged it' })
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  @ApiProperty({ description: 'Tries made' })
  attempts: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was sent, failed or skipped; while pending, when it is due (null for websocket until acknowledged)',
  })
  at: string | null;
  @ApiPropertyOptional({ description: 'Why the last try failed, or why it was skipped (e.g. "read before it was due")' })
  error?: string;
}

export class DeliveriesPageResponse implements DeliveriesPage {
  @ApiProperty({ type: [ChannelDeliveryResponse], description: 'By recipient (user id order), the live channel first' })
  items: ChannelDeliveryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?after= for the next page; null on the last' })
  nextCursor: string | null;
}
