import { Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../auth/admin.guard';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { RevocationService } from '../auth/revocation.service';
import { DeliveryBus } from '../notifications/delivery-bus';
import { UserIdPipe } from './user-id.pipe';

/** Presence and revocation, for administrators (contract section 4). */
@Controller()
@UseGuards(BearerAuthGuard, AdminGuard)
export class AdminController {
  constructor(
    private readonly revocations: RevocationService,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
  ) {}

  /** Whether the user has sessions open, on any node. */
  @Get('presence/:userId')
  async presence(@Param('userId', UserIdPipe) userId: string): Promise<{ online: boolean; sessions: number }> {
    const sessions = await this.bus.sessionCount(userId);
    return { online: sessions > 0, sessions };
  }

  /** Closes every session of the user with 4403 and refuses their tokens issued up to now. */
  @Post('users/:userId/revoke')
  @HttpCode(204)
  revoke(@Param('userId', UserIdPipe) userId: string): Promise<void> {
    return this.revocations.revoke(userId);
  }
}
