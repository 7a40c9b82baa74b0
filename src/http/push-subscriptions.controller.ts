import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { PushSubscriptions } from '../channels/push-subscriptions';
import { RequestValidationPipe } from './dto/request-validation.pipe';
import { ErrorResponse } from './dto/notification.response';
import { PushSubscriptionDto, PushSubscriptionResponse, PushUnsubscribeDto, VapidPublicKeyResponse } from './dto/push-subscription.dto';
import { JsonRequestGuard } from './json-request.guard';

const BODY_VALIDATION = new RequestValidationPipe();

/** Web Push subscriptions of the caller's browsers (404 on every route until Web Push is configured). */
@ApiTags('push')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiNotFoundResponse({
  type: ErrorResponse,
  description: 'Web Push is not configured on this server (DELETE: or the caller has no such subscription)',
})
@Controller('push')
@UseGuards(BearerAuthGuard)
export class PushSubscriptionsController {
  constructor(private readonly subscriptions: PushSubscriptions) {}

  @Get('vapid-public-key')
  @ApiOperation({ summary: "The server's VAPID public key, for pushManager.subscribe({applicationServerKey})" })
  @ApiOkResponse({ type: VapidPublicKeyResponse })
  publicKey(): VapidPublicKeyResponse {
    return { key: this.subscriptions.publicKey() };
  }

  @Post('subscriptions')
  @HttpCode(201)
  @UseGuards(JsonRequestGuard)
  @ApiOperation({ summary: "Subscribe the caller's browser: the body is PushSubscription.toJSON()" })
  @ApiCreatedResponse({ type: PushSubscriptionResponse, description: 'Stored (a browser subscribed again replaces its subscription)' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Not a PushSubscription; the message names the field' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Body over 64 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'Body is not application/json' })
  async subscribe(
    @CurrentPrincipal() user: Principal,
    @Body(BODY_VALIDATION) body: PushSubscriptionDto,
  ): Promise<PushSubscriptionResponse> {
    if (this.subscriptions.requireHttps && !body.endpoint.startsWith('https:')) {
      throw new BadRequestException(['endpoint must be an https: URL']);
    }
    await this.subscriptions.subscribe(user.userId, body);
    return { endpoint: body.endpoint };
  }

  @Delete('subscriptions')
  @HttpCode(204)
  @UseGuards(JsonRequestGuard)
  @ApiOperation({ summary: "Unsubscribe one of the caller's browsers, by endpoint" })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'endpoint is missing or not a string' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Body over 64 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'Body is not application/json' })
  async unsubscribe(@CurrentPrincipal() user: Principal, @Body(BODY_VALIDATION) body: PushUnsubscribeDto): Promise<void> {
    if (!(await this.subscriptions.unsubscribe(user.userId, body.endpoint))) {
      throw new NotFoundException('You have no push subscription with this endpoint');
    }
  }
}
