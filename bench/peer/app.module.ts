import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Notification } from './notification.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationsGateway } from './notifications.gateway';
import { NotificationsService } from './notifications.service';
import { UserNotification } from './user-notification.entity';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: process.env.DATABASE_FILE ?? 'peer.sqlite',
      entities: [Notification, UserNotification],
      synchronize: true,
      // The one deliberate departure from the tutorials: without WAL every save() is an fsync
      // (about 2 ms here), and the comparison would measure the disk, not the code.
      enableWAL: true,
    }),
    TypeOrmModule.forFeature([Notification, UserNotification]),
    JwtModule.register({ secret: process.env.JWT_SECRET }),
  ],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsGateway],
})
export class AppModule {}
