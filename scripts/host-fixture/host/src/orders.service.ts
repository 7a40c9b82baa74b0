import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { NotificationsService } from 'nest-live-notifications';
import type { SendResult } from 'nest-live-notifications';
import { CreateOrderDto } from './create-order.dto';

export interface PlacedOrder {
  orderId: string;
  notification: SendResult;
}

/** Host code that notifies by calling the module's service, not over HTTP. */
@Injectable()
export class OrdersService {
  constructor(private readonly notifications: NotificationsService) {}

  async place(order: CreateOrderDto): Promise<PlacedOrder> {
    const orderId = randomUUID();
    const notification = await this.notifications.send({
      userIds: [order.buyerId],
      type: 'order.placed',
      title: `Order received: ${order.quantity} × ${order.item}`,
      data: { orderId, item: order.item, quantity: order.quantity },
    });
    return { orderId, notification };
  }
}
