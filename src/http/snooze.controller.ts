import { Body, Controller, HttpCode, NotFoundException, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ownUserId, Principal } from '../auth/principal';
import { Snoozes } from '../notifications/snoozes';
import { ErrorResponse } from './dto/notification.response';
import { RequestValidationPipe } from './dto/request-validation.pipe';
import { SnoozeDto } from './dto/scheduled.dto';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { JsonRequestGuard } from './json-request.guard';
import { NotificationIdPipe } from './notification-id.pipe';

const VALIDATION = new RequestValidationPipe();

/** Snoozing one of the caller's notifications: out of lists, counts and replay until `until`. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@Controller('notifications')
@UseGuards(BearerAuthGuard)
@UseFilters(InvalidNotificationFilter)
export class SnoozeController {
  constructor(private readonly snoozes: Snoozes) {}

  @Post(':id/snooze')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Snooze: hidden from lists, counts and replay until `until`, then back as new (a new cursor, a live frame, unread)',
  })
  @ApiNoContentResponse({
    description: 'Snoozed; every session of the caller gets a state frame (change snoozed, with until), then the new unread count',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'id is not a notification id, or until is not a future date-time at most 90 days ahead',
  })
  @ApiNotFoundResponse({
    type: ErrorResponse,
    description: 'The caller has no such notification in their inbox: archived, expired and snoozed ones included',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Body over 64 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'Body is not application/json' })
  @UseGuards(JsonRequestGuard)
  async snooze(
    @CurrentPrincipal() user: Principal,
    @Param('id', NotificationIdPipe) id: string,
    @Body(VALIDATION) body: SnoozeDto,
  ): Promise<void> {
    if (!(await this.snoozes.snooze(ownUserId(user), id, body.until, { tenantId: user.tenantId }))) {
      throw new NotFoundException(`You have no notification ${id.slice(0, 100)} to snooze: archived, expired and snoozed ones included`);
    }
  }
}
