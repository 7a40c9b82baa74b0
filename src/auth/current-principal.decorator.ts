import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { PRINCIPAL_KEY } from './bearer-auth.guard';
import { Principal } from './principal';

/** The caller's verified Principal (use behind BearerAuthGuard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest()[PRINCIPAL_KEY],
);
