import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis-health.indicator';

/**
 * Health probes. `/health/live`: the process serves HTTP (restart it if not).
 * `/health/ready` and `/health`: the database (and Redis when configured) answer; 503 names
 * the dependency that failed (take the node out of the load balancer, don't restart it).
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    @Optional() @Inject(RedisHealthIndicator) private readonly redis?: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness (same as /health/ready): the database, and Redis when configured' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `error` names it' })
  check() {
    return this.health.check(this.readinessChecks());
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database, and Redis when configured' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `error` names it' })
  ready() {
    return this.health.check(this.readinessChecks());
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked)' })
  live() {
    return this.health.check([]);
  }

  private readinessChecks(): HealthIndicatorFunction[] {
    const checks: HealthIndicatorFunction[] = [() => this.database.pingCheck('database')];
    if (this.redis) checks.push(() => this.redis!.isHealthy('redis'));
    return checks;
  }
}
