import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { PRINCIPAL_KEY } from '../auth/bearer-auth.guard';
import { keyInTenantOf, Principal } from '../auth/principal';
import { fitsUserIdColumns, TENANT_USER_ID_RULE } from '../model/tenant-scope';
import { isUserId, USER_ID_RULE } from '../model/user-id';

/** What a route's `:userId` is, in the OpenAPI document. */
export const USER_ID_PARAM_DESCRIPTION =
  `A token's \`sub\`: ${USER_ID_RULE}. With tenancy, the id of a user of the caller's tenant ` +
  `(the tenant comes from the token's tenant claim; ids are the tenant's own, never prefixed; ${TENANT_USER_ID_RULE})`;

/**
 * A route's `:userId` as the module keys it: 400 unless it can be a user id, then keyed in the
 * caller's tenant (the number the caller's own key carries: no lookup), so that an
 * administrator reaches the users of their own tenant only. Without tenancy, the id as it
 * came. Use behind BearerAuthGuard.
 */
export const TenantUserId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest();
  const userId: unknown = request.params?.userId;
  const caller = request[PRINCIPAL_KEY] as Principal;
  if (!isUserId(userId)) throw new BadRequestException(`userId must be ${USER_ID_RULE}`);
  if (!fitsUserIdColumns(caller.tenantId, userId))
    throw new BadRequestException(`userId is too long for its tenant: ${TENANT_USER_ID_RULE}`);
  return keyInTenantOf(caller, userId);
});
