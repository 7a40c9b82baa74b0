import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ChannelHealth, ChannelHealthReport } from 'nest-live-notifications';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis-health.indicator';

const CHANNELS_HEALTH_SCHEMA = {
  type: 'object',
  example: {
    status: 'failing',
    channels: [
      {
        channel: 'email',
        status: 'failing',
        failedOfLatest: 5,
        lastError: 'Message failed: 451 Try again later',
        lastAttemptAt: '2026-12-05T10:00:00.000Z',
      },
      { channel: 'push', status: 'ok', failedOfLatest: 0 },
    ],
  },
};

/**
 * Health probes. `/health/live`: the process serves HTTP (restart it if not).
 * `/health`: the database answers — the contract's route, and the load balancer's check:
 * the database is the source of truth, so a node keeps taking sends (201) while Redis is down,
 * and must not be taken out of rotation for it. `/health/ready`: the database and Redis when
 * configured, for an operator or orchestrator that wants to know every dependency is up.
 * A 503 names the dependency that failed.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly channels: ChannelHealth,
    @Optional() @Inject(RedisHealthIndicator) private readonly redis?: RedisHealthIndicator,
  ) {}

  /**
   * Channels beyond the socket (Web Push, email, webhooks, the host's): 503 when one's latest
   * tries all failed, for an alert. Not part of `/health` or `/health/ready`: a node whose SMTP
   * server is down still serves the live path, and must stay in rotation.
   */
  @Get('channels')
  @ApiOperation({ summary: 'Channels beyond the socket: 503 when a channel’s latest tries all failed' })
  @ApiOkResponse({ description: 'Every channel is ok (or none is configured)', schema: CHANNELS_HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'A channel is failing: `status: "failing"`, and that channel says its last error',
    schema: CHANNELS_HEALTH_SCHEMA,
  })
  async channelsHealth(@Res({ passthrough: true }) reply: { status(code: number): unknown }) {
    const channels: ChannelHealthReport[] = await this.channels.check();
    const failing = channels.some((channel) => channel.status === 'failing');
    if (failing) reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: failing ? 'failing' : 'ok', channels };
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Serving: the database answers (Redis is not checked; point the load balancer here)' })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable; `error.database` says why' })
  check() {
    return this.health.check([this.databaseCheck]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Every dependency: the database, and Redis when configured' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `error` names it' })
  ready() {
    const checks: HealthIndicatorFunction[] = [this.databaseCheck];
    if (this.redis) checks.push(() => this.redis!.isHealthy('redis'));
    return this.health.check(checks);
  }

  @Get('live')
  // No dependency, so no 503 to document (Terminus's own documentation would add one).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked)' })
  @ApiOkResponse({
    description: 'The process serves HTTP',
    schema: { type: 'object', example: { status: 'ok', info: {}, error: {}, details: {} } },
  })
  live() {
    return this.health.check([]);
  }

  private readonly databaseCheck: HealthIndicatorFunction = () => this.database.pingCheck('database');
}
