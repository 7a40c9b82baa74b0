import { ApiProperty } from '@nestjs/swagger';
import { ChannelDeliveryData, ContactData, PushSubscriptionData, WebhookEventData } from '../../user-data/user-data.types';

// The channel sections of `GET /users/:userId/data`, for the OpenAPI document.

export class PushSubscriptionRecordResponse implements PushSubscriptionData {
  @ApiProperty({ format: 'uri' })
  endpoint: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class ContactResponse implements ContactData {
  @ApiProperty({ description: "The `email` claim last seen in the user's tokens" })
  email: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ChannelDeliveryRecordResponse implements ChannelDeliveryData {
  @ApiProperty({ format: 'uuid' })
  notificationId: string;
  @ApiProperty({ example: 'push' })
  channel: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'skipped', 'cancelled'] })
  status: string;
  @ApiProperty()
  attempts: number;
  @ApiProperty({ format: 'date-time' })
  plannedAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class WebhookEventRecordResponse implements WebhookEventData {
  @ApiProperty({ description: 'The `webhook-id` it will be sent with' })
  id: string;
  @ApiProperty({ example: 'notification.read' })
  type: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
