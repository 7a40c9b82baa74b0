import { BadRequestException, Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { NotificationStreams } from './notification-streams';
import { SessionCapGuard } from './session-cap.guard';

const CURSOR = /^\d{1,19}$/;

/**
 * `GET /notifications/stream`: the inbox as Server-Sent Events, for clients that cannot
 * use the WebSocket. The token comes as a bearer header or `?access_token=` (EventSource
 * cannot set headers); `Last-Event-ID`, or `?lastEventId=` on a first connect, resumes
 * exactly after that cursor.
 */
@Controller('notifications')
@UseGuards(BearerAuthGuard)
export class NotificationStreamController {
  constructor(private readonly streams: NotificationStreams) {}

  @Get('stream')
  @UseGuards(SessionCapGuard)
  stream(
    @CurrentPrincipal() user: Principal,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
    @Res() response: ServerResponse,
  ): void {
    this.streams.open(user, parseLastEventId(lastEventIdHeader || lastEventIdQuery), response);
  }
}

/** The header wins: EventSource sets it on reconnect, past the cursor the page started from. */
function parseLastEventId(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!CURSOR.test(value)) throw new BadRequestException('Last-Event-ID must be a cursor (digits) from a notification');
  return value;
}
