import { forwardRef, Inject, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ConnectedSocket, MessageBody, OnGatewayConnection, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { Server, Socket } from 'socket.io';
import { NotificationsService } from './notifications.service';

/** The gateway as the Nest docs and typical tutorials write it: auth in handleConnection, a room per user. */
@WebSocketGateway()
export class NotificationsGateway implements OnGatewayConnection {
  @WebSocketServer()
  server: Server;

  private readonly logger = new Logger(NotificationsGateway.name);

  constructor(
    private readonly jwtService: JwtService,
    @Inject(forwardRef(() => NotificationsService)) private readonly notificationsService: NotificationsService,
  ) {}

  async handleConnection(client: Socket) {
    try {
      const token = client.handshake.auth?.token ?? client.handshake.query?.token;
      const payload = this.jwtService.verify(token);
      client.data.userId = payload.sub;
      await client.join(payload.sub);
      const unreadCount = await this.notificationsService.countUnread(payload.sub);
      client.emit('ready', { sessionId: client.id, userId: payload.sub, unreadCount });
      for (const notification of await this.notificationsService.findUndelivered(payload.sub)) {
        client.emit('notification', notification);
      }
    } catch (error) {
      this.logger.debug(`connection refused: ${(error as Error).message}`);
      client.disconnect();
    }
  }

  @SubscribeMessage('ack')
  async handleAck(@ConnectedSocket() client: Socket, @MessageBody() body: { ids: string[] }) {
    await this.notificationsService.markDelivered(client.data.userId, body.ids);
  }

  sendToUser(userId: string, notification: unknown): boolean {
    this.server.to(userId).emit('notification', notification);
    return this.server.sockets.adapter.rooms.has(userId);
  }
}
