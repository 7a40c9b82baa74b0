import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';

/**
 * Nest's WsAdapter, minus its message routing for gateways that have no `@SubscribeMessage`
 * handler. NotificationsGateway reads its own frames (prototype-safe parsing, per-session
 * order, rate limits); for each of its frames WsAdapter would parse the JSON again, find no
 * handler, and throw and catch a TypeError inside an rxjs pipeline: a cost per frame, paid
 * for nothing. Gateways with handlers are routed exactly as WsAdapter does.
 *
 * Optional: the module works on the plain WsAdapter; the standalone server uses this one.
 */
export class NotificationsWsAdapter extends WsAdapter {
  bindMessageHandlers(client: unknown, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
    if (handlers.length === 0) return;
    super.bindMessageHandlers(client, handlers, transform);
  }
}
