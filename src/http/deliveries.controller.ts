import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { ChannelDeliveries, DeliveriesPage } from '../channels/channel-deliveries';
import { DeliveriesPageResponse, ListDeliveriesQuery } from './dto/deliveries.dto';
import { ErrorResponse } from './dto/notification.response';
import { RequestValidationPipe } from './dto/request-validation.pipe';
import { NotificationIdPipe } from './notification-id.pipe';

const DEFAULT_PAGE_SIZE = 100;
const QUERY_VALIDATION = new RequestValidationPipe();

/** What became of a notification on every channel, for its sender or an administrator. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@Controller('notifications')
@UseGuards(BearerAuthGuard)
export class DeliveriesController {
  constructor(private readonly deliveries: ChannelDeliveries) {}

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Per recipient and channel: pending, sent, failed or skipped (its sender, or scope notifications:admin)' })
  @ApiOkResponse({ type: DeliveriesPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id, or a bad limit or after' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such notification, or the caller neither sent it nor administers' })
  list(
    @CurrentPrincipal() caller: Principal,
    @Param('id', NotificationIdPipe) id: string,
    @Query(QUERY_VALIDATION) query: ListDeliveriesQuery,
  ): Promise<DeliveriesPage> {
    return this.deliveries.list(caller, id, query.after ?? '', query.limit ?? DEFAULT_PAGE_SIZE);
  }
}
