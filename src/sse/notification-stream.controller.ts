import { BadRequestException, Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ServerResponse } from 'node:http';
import { AcceptsQueryToken } from '../auth/accepts-query-token.decorator';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { CURSOR_PATTERN, CURSOR_RULE, isCursor } from '../model/cursor';
import { ErrorResponse } from '../http/dto/notification.response';
import { NotificationStreams } from './notification-streams';
import { SessionCapGuard } from './session-cap.guard';

/**
 * `GET /notifications/stream`: the inbox as Server-Sent Events, for clients that cannot
 * use the WebSocket. The token comes as a bearer header or `?access_token=` (EventSource
 * cannot set headers); `Last-Event-ID`, or `?lastEventId=` on a first connect, resumes
 * exactly after that cursor.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
@UseGuards(BearerAuthGuard)
export class NotificationStreamController {
  constructor(private readonly streams: NotificationStreams) {}

  @Get('stream')
  @ApiOperation({
    summary: "The caller's inbox as Server-Sent Events (for clients that cannot use the WebSocket)",
    description:
      'Events: `ready` first, then the backlog and live `notification`s (each with `id:` its cursor), `unread` ' +
      'when the count changes, and `close` `{code, reason}` before the server ends the stream (4401 token expired, ' +
      '4403 revoked, 1001 shutting down). `data:` is the JSON of the WebSocket frame of the same name (docs/asyncapi.json).',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
    description: 'Resume after this cursor (EventSource sends it on reconnect)',
  })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
    description: 'Resume after this cursor on a first connect; the header wins',
  })
  @ApiQuery({
    name: 'access_token',
    required: false,
    schema: { type: 'string' },
    description: 'The JWT, for EventSource, which cannot set an Authorization header',
  })
  @ApiOkResponse({
    description: 'A stream of events, open until the client leaves or the server closes it',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'event: ready\ndata: {"sessionId":"…","userId":"alice","unreadCount":1}\n\n' +
          'event: notification\nid: 17\ndata: {"id":"…","cursor":"17","type":"expense.approved",…}\n\n',
      },
    },
  })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Last-Event-ID (or lastEventId) is not a cursor' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No token (header or access_token), or an invalid or expired one' })
  @AcceptsQueryToken()
  @UseGuards(SessionCapGuard)
  stream(
    @CurrentPrincipal() user: Principal,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
    @Res() response: ServerResponse | FastifyLikeReply,
  ): void {
    this.streams.open(user, parseLastEventId(lastEventIdHeader || lastEventIdQuery), rawResponse(response));
  }
}

/** What this controller needs of a Fastify reply (the module does not depend on Fastify). */
interface FastifyLikeReply {
  raw: ServerResponse;
  hijack(): void;
  getHeaders(): Record<string, string | number | string[] | undefined>;
}

/**
 * The stream writes to Node's response itself, on Express (whose response is Node's) and on
 * Fastify, which is told to keep out of it; headers already set on the reply (CORS, request
 * id) are carried over.
 */
function rawResponse(response: ServerResponse | FastifyLikeReply): ServerResponse {
  if (!('hijack' in response)) return response;
  response.hijack();
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (value !== undefined) response.raw.setHeader(name, value);
  }
  return response.raw;
}

/** The header wins: EventSource sets it on reconnect, past the cursor the page started from. */
function parseLastEventId(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isCursor(value)) throw new BadRequestException(`Last-Event-ID must be ${CURSOR_RULE}`);
  return value;
}
