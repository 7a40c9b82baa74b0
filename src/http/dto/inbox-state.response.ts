import { ApiProperty } from '@nestjs/swagger';
import { InboxCounts } from '../../model/inbox-state';

/** `GET /notifications/counts`. */
export class InboxCountsResponse implements InboxCounts {
  @ApiProperty({ description: 'Unread, unarchived, unexpired notifications' })
  unread: number;
  @ApiProperty({ description: 'Of those unread, how many are unseen (seen is not read: the bell was opened)' })
  unseen: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Unread by type',
    example: { 'expense.approved': 2 },
  })
  byType: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Unread by topic (those sent to one)',
    example: { finance: 1 },
  })
  byTopic: Record<string, number>;
}
