import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { PRINCIPAL_KEY } from './bearer-auth.guard';
import { SenderPolicy } from './sender-policy';

/** 403 unless the sender policy lets the (already authenticated) caller administer. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(SenderPolicy) private readonly policy: SenderPolicy) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest()[PRINCIPAL_KEY];
    if (!principal || !this.policy.canAdminister(principal)) {
      throw new ForbiddenException('This token may not administer users (scope notifications:admin is required)');
    }
    return true;
  }
}
