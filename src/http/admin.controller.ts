import { Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { RevocationService } from '../auth/revocation.service';
import { DeliveryBus } from '../delivery/delivery-bus';
import { ErrorResponse } from './dto/notification.response';
import { USER_ID_RULE } from '../model/user-id';
import { PresenceResponse } from './presence.response';
import { TenantUserId, USER_ID_PARAM_DESCRIPTION } from './tenant-user-id.decorator';

/** Presence and revocation, for administrators (contract section 4). */
@ApiTags('admin')
@ApiBearerAuth()
@ApiParam({ name: 'userId', description: USER_ID_PARAM_DESCRIPTION })
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:admin' })
@ApiBadRequestResponse({ type: ErrorResponse, description: `userId is not ${USER_ID_RULE}` })
@Controller()
@UseGuards(BearerAuthGuard, AdminGuard)
export class AdminController {
  constructor(
    private readonly revocations: RevocationService,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
  ) {}

  /** Whether the user has sessions open, on any node. */
  @Get('presence/:userId')
  @ApiOperation({ summary: "A user's open sessions across all nodes (scope notifications:admin)" })
  @ApiOkResponse({ type: PresenceResponse, description: 'A user never seen is simply offline' })
  async presence(@TenantUserId() userId: string): Promise<PresenceResponse> {
    const sessions = await this.bus.sessionCount(userId);
    return { online: sessions > 0, sessions };
  }

  /** Closes every session of the user with 4403 and refuses their tokens issued up to now. */
  @Post('users/:userId/revoke')
  @HttpCode(204)
  @ApiOperation({
    summary: "Revoke a user's access (scope notifications:admin)",
    description: 'Every session of the user closes with 4403 on every node; tokens issued up to now get 401 from then on.',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  revoke(@TenantUserId() userId: string): Promise<void> {
    return this.revocations.revoke(userId);
  }
}
