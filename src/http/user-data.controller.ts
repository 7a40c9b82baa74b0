import { Controller, Delete, Get, HttpCode, UseGuards } from '@nestjs/common';
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
import { USER_ID_RULE } from '../model/user-id';
import { NotificationsService } from '../notifications/notifications.service';
import { UserDataExport } from '../user-data/user-data.types';
import { ErrorResponse } from './dto/notification.response';
import { UserDataResponse } from './dto/user-data.response';
import { TenantUserId } from './tenant-user-id.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { idWithin } from '../model/tenant-scope';

/** A user's data, exported or erased, for administrators (access and erasure requests). */
@ApiTags('admin')
@ApiBearerAuth()
@ApiParam({ name: 'userId', description: `A token's \`sub\`: ${USER_ID_RULE}` })
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:admin' })
@ApiBadRequestResponse({ type: ErrorResponse, description: `userId is not ${USER_ID_RULE}` })
@Controller('users/:userId/data')
@UseGuards(BearerAuthGuard, AdminGuard)
export class UserDataController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Everything stored about a user, as JSON (scope notifications:admin)',
    description: 'A user the server knows nothing of gets 200 with empty lists.',
  })
  @ApiOkResponse({ type: UserDataResponse })
  async export(@CurrentPrincipal() caller: Principal, @TenantUserId() userId: string): Promise<UserDataExport> {
    const data = await this.notifications.exportUserData(userId);
    // The ids as the tenant names them: its qualified keys never leave the module.
    const own = (key: string) => idWithin(caller.tenantId, key);
    return {
      ...data,
      userId: own(data.userId),
      topicSubscriptions: data.topicSubscriptions.map((row) => ({ ...row, topic: own(row.topic) })),
    };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Erase everything stored about a user (scope notifications:admin)',
    description:
      'Their sessions close with 4403 on every node and their tokens issued up to now are refused; their inbox, ' +
      'topic subscriptions, idempotency keys and place in held sends are deleted, and notifications only they had. ' +
      'Repeating it (or erasing a user with nothing stored) answers 204 again.',
  })
  @ApiNoContentResponse({ description: 'Erased' })
  erase(@TenantUserId() userId: string): Promise<void> {
    return this.notifications.eraseUserData(userId);
  }
}
