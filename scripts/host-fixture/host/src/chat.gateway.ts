import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { IsString, Length } from 'class-validator';

export class HelloDto {
  @IsString()
  @Length(1, 64)
  name!: string;
}

/**
 * The host's own real-time gateway, on Nest's default adapter (Socket.IO, path /socket.io),
 * in a namespace. The module's /ws endpoint must leave it alone.
 */
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway {
  @SubscribeMessage('hello')
  hello(@MessageBody() body: HelloDto): { greeting: string } {
    return { greeting: `hello ${body.name}` };
  }
}
