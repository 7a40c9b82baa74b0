import { Body, Controller, Get, Param, Put, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ownUserId, Principal } from '../auth/principal';
import { NotificationPreferences, PreferencesInput } from '../model/preferences';
import { USER_ID_RULE } from '../model/user-id';
import { PreferencesService } from '../notifications/preferences.service';
import { ErrorResponse } from './dto/notification.response';
import { PreferencesBody, PreferencesResponse } from './dto/preferences.dto';
import { InvalidPreferencesFilter } from './invalid-preferences.filter';
import { JsonRequestGuard } from './json-request.guard';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { USER_ID_PARAM_DESCRIPTION } from './tenant-user-id.decorator';

const BAD_PREFERENCES =
  'Invalid preferences, nothing stored; the message names each field (an unknown key, a switch that is not a boolean, a bad type or topic key, more than 200 types or topics, bad quiet hours, a bad email)';
const REPLACED =
  'The preferences as stored: every key, and every channel (the module default where unset); every session of the user got them as a preferences frame';

/**
 * Notification preferences: the caller's own (`/preferences`), and any user's for an
 * administrator (`/users/:userId/preferences`, scope notifications:admin). `PUT` replaces.
 * The body is typed `unknown` so that a host's global ValidationPipe leaves it to the
 * service's own check (PreferencesService, 400 through InvalidPreferencesFilter).
 */
@ApiTags('preferences')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@Controller()
@UseGuards(BearerAuthGuard)
// The service checks a route's `userId` and qualifies it with the caller's tenant (400s from both filters).
@UseFilters(InvalidPreferencesFilter, InvalidNotificationFilter)
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get('preferences')
  @ApiOperation({ summary: "The caller's notification preferences" })
  @ApiOkResponse({ type: PreferencesResponse, description: 'The module defaults for a user who set none' })
  own(@CurrentPrincipal() user: Principal): Promise<NotificationPreferences> {
    return this.preferences.get(ownUserId(user), { tenantId: user.tenantId });
  }

  @Put('preferences')
  @UseGuards(JsonRequestGuard)
  @ApiOperation({ summary: "Replace the caller's notification preferences" })
  @ApiBody({ type: PreferencesBody })
  @ApiOkResponse({ type: PreferencesResponse, description: REPLACED })
  @ApiBadRequestResponse({ type: ErrorResponse, description: BAD_PREFERENCES })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Body over 64 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'Body is not application/json' })
  replaceOwn(@CurrentPrincipal() user: Principal, @Body() body: unknown): Promise<NotificationPreferences> {
    return this.preferences.set(ownUserId(user), body as PreferencesInput, { tenantId: user.tenantId });
  }

  @Get('users/:userId/preferences')
  @UseGuards(AdminGuard)
  @ApiOperation({ summary: "A user's notification preferences (scope notifications:admin)" })
  @ApiParam({ name: 'userId', description: USER_ID_PARAM_DESCRIPTION })
  @ApiOkResponse({ type: PreferencesResponse, description: 'The module defaults for a user who set none' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: `userId is not ${USER_ID_RULE}` })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:admin' })
  ofUser(@CurrentPrincipal() caller: Principal, @Param('userId') userId: string): Promise<NotificationPreferences> {
    return this.preferences.get(userId, { tenantId: caller.tenantId });
  }

  @Put('users/:userId/preferences')
  @UseGuards(AdminGuard, JsonRequestGuard)
  @ApiOperation({ summary: "Replace a user's notification preferences (scope notifications:admin)" })
  @ApiParam({ name: 'userId', description: USER_ID_PARAM_DESCRIPTION })
  @ApiBody({ type: PreferencesBody })
  @ApiOkResponse({ type: PreferencesResponse, description: REPLACED })
  @ApiBadRequestResponse({ type: ErrorResponse, description: `userId is not ${USER_ID_RULE}, or: ${BAD_PREFERENCES}` })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:admin' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Body over 64 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'Body is not application/json' })
  replaceForUser(
    @CurrentPrincipal() caller: Principal,
    @Param('userId') userId: string,
    @Body() body: unknown,
  ): Promise<NotificationPreferences> {
    return this.preferences.set(userId, body as PreferencesInput, { tenantId: caller.tenantId });
  }
}
