import { Controller, Delete, Get, HttpCode, Param, UseFilters, UseGuards } from '@nestjs/common';
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
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { USER_ID_PARAM_DESCRIPTION } from './tenant-user-id.decorator';

/** A user's data, exported or erased, for administrators (access and erasure requests). */
@ApiTags('admin')
@ApiBearerAuth()
@ApiParam({ name: 'userId', description: USER_ID_PARAM_DESCRIPTION })
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:admin' })
@ApiBadRequestResponse({ type: ErrorResponse, description: `userId is not ${USER_ID_RULE}` })
@Controller('users/:userId/data')
@UseGuards(BearerAuthGuard, AdminGuard)
// The service checks `userId` (400 naming it) and qualifies it with the administrator's tenant.
@UseFilters(InvalidNotificationFilter)
export class UserDataController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Everything stored about a user, as JSON (scope notifications:admin)',
    description: 'A user the server knows nothing of gets 200 with empty lists.',
  })
  @ApiOkResponse({ type: UserDataResponse })
  export(@CurrentPrincipal() caller: Principal, @Param('userId') userId: string): Promise<UserDataExport> {
    return this.notifications.exportUserData(userId, { tenantId: caller.tenantId });
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
  erase(@CurrentPrincipal() caller: Principal, @Param('userId') userId: string): Promise<void> {
    return this.notifications.eraseUserData(userId, { tenantId: caller.tenantId });
  }
}
