import { Controller, Get, Header, Headers, Inject, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorResponse, NotificationsMetrics } from 'nest-live-notifications';
import { PrometheusMetrics } from 'nest-live-notifications/prometheus';
import { SERVER_SETTINGS } from './server-settings.token';
import { ServerSettings } from './server-settings';

/** `GET /metrics`: Prometheus text; behind `METRICS_TOKEN` when one is set. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly expectedDigest: Buffer | undefined;
  private readonly metrics: PrometheusMetrics;

  constructor(metrics: NotificationsMetrics, @Inject(SERVER_SETTINGS) settings: ServerSettings) {
    // The server starts the module with metrics: true.
    if (!(metrics instanceof PrometheusMetrics)) throw new Error('The server needs the module started with metrics: true');
    this.metrics = metrics;
    const token = settings.operations.metricsToken;
    // Digests have equal lengths, so the comparison below is constant-time whatever was sent.
    this.expectedDigest = token === undefined ? undefined : digest(token);
    metrics.collectProcessMetrics();
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics of this node (docs/operations.md lists them)' })
  @ApiBearerAuth('metrics')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' }, example: 'notifications_sessions{transport="websocket"} 2\n' } },
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'METRICS_TOKEN is set and the request does not carry it' })
  scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.expectedDigest) {
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      if (presented === undefined || !timingSafeEqual(digest(presented), this.expectedDigest)) {
        throw new UnauthorizedException('This endpoint requires Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    return this.metrics.exposition();
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
