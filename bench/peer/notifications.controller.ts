import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { CreateNotificationDto } from './create-notification.dto';
import { JwtAuthGuard } from './jwt-auth.guard';
import { NotificationsService } from './notifications.service';

@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notificationsService: NotificationsService) {}

  @UseGuards(JwtAuthGuard)
  @Post()
  create(@Body() dto: CreateNotificationDto) {
    return this.notificationsService.send(dto);
  }
}
