import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NOTIFICATIONS_ENTITIES, NOTIFICATIONS_MIGRATIONS, NotificationsModule } from 'nest-live-notifications';
import { ChatGateway } from './chat.gateway';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

export const JWT_SECRET = process.env.JWT_SECRET ?? 'host-fixture-secret-0123456789abcdef';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/host_fixture',
      entities: [...NOTIFICATIONS_ENTITIES],
      migrations: [...NOTIFICATIONS_MIGRATIONS],
      migrationsRun: true,
      synchronize: false,
    }),
    EventEmitterModule.forRoot(),
    NotificationsModule.forRoot({ jwt: { secret: JWT_SECRET } }),
  ],
  controllers: [OrdersController],
  providers: [OrdersService, ChatGateway],
})
export class AppModule {}
