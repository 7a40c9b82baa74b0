import type { ConnectOptions } from '../client-options';
import { connect } from '../connect';
import type { NotificationClient } from '../notification-client';
import type { NotificationClientEvents } from '../types';
import { FakeWebSocket } from './fake-web-socket';

/** Connects a client to {@link FakeWebSocket}, with a fixed jitter of half the window. */
export function connectFake(options: Partial<ConnectOptions> = {}): NotificationClient {
  return connect({
    url: 'http://localhost:3000',
    token: 'token-1',
    WebSocket: FakeWebSocket,
    random: () => 0.5,
    ...options,
  });
}

/** Lets pending promises (token functions, handlers, ack batches) run, without moving the clock. */
export async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

/** Records every payload the client emits for `name`. */
export function record<Name extends keyof NotificationClientEvents>(
  client: NotificationClient,
  name: Name,
): Array<NotificationClientEvents[Name]> {
  const payloads: Array<NotificationClientEvents[Name]> = [];
  client.on(name, (payload) => {
    payloads.push(payload);
  });
  return payloads;
}
