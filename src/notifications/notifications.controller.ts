import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { SendThrottlerGuard } from '../auth/send-throttler.guard';
import { SenderGuard } from '../auth/sender.guard';
import { parseIdempotencyKey } from './idempotency-key';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { JsonRequestGuard } from './json-request.guard';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { SendNotificationDto } from './dto/send-notification.dto';
import { NotificationPage, NotificationsService, SendResult } from './notifications.service';

const DEFAULT_PAGE_SIZE = 20;

/** The inbox over REST (contract section 4). Every route needs a bearer token. */
@Controller('notifications')
@UseGuards(BearerAuthGuard)
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @UseGuards(SenderGuard, SendThrottlerGuard, JsonRequestGuard)
  @UseFilters(InvalidNotificationFilter)
  send(
    @CurrentPrincipal() sender: Principal,
    @Body() body: SendNotificationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<SendResult> {
    return this.notifications.send(body, { senderId: sender.userId, idempotencyKey: parseIdempotencyKey(idempotencyKey) });
  }

  @Get()
  list(@CurrentPrincipal() user: Principal, @Query() query: ListNotificationsQuery): Promise<NotificationPage> {
    return this.notifications.list(user.userId, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      beforeCursor: query.before,
      unreadOnly: query.unread,
    });
  }

  @Get('unread-count')
  async unreadCount(@CurrentPrincipal() user: Principal): Promise<{ count: number }> {
    return { count: await this.notifications.unreadCount(user.userId) };
  }

  @Post('read-all')
  @HttpCode(200)
  async readAll(@CurrentPrincipal() user: Principal): Promise<{ count: number }> {
    return { count: await this.notifications.markAllRead(user.userId) };
  }

  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentPrincipal() user: Principal, @Param('id') id: string): Promise<void> {
    if (!(await this.notifications.markOneRead(user.userId, id))) throw notFound(id);
  }

  @Delete(':id')
  @HttpCode(204)
  async archive(@CurrentPrincipal() user: Principal, @Param('id') id: string): Promise<void> {
    if (!(await this.notifications.archive(user.userId, id))) throw notFound(id);
  }
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`You have no notification ${id.slice(0, 100)}`);
}
