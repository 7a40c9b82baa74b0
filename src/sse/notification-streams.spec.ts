import { EventEmitter } from 'node:events';
import { ServerResponse } from 'node:http';
import { Principal } from '../auth/principal';
import { SessionRegistry } from '../sessions/session-registry';
import { SessionReplay } from '../sessions/session-replay';
import { RevocationService } from '../auth/revocation.service';
import { SessionLifecycle } from '../sessions/session-lifecycle';
import { NotificationStreams } from './notification-streams';

/** A response stand-in that records what the stream writes. */
function response() {
  const client = Object.assign(new EventEmitter(), {
    writableEnded: false,
    destroyed: false,
    written: [] as string[],
    writeHead: () => undefined,
    flushHeaders: () => undefined,
    write(chunk: string) {
      client.written.push(chunk);
      return true;
    },
    end() {
      client.writableEnded = true;
      client.emit('close');
    },
  });
  return client;
}

/** The lifecycle of real sessions, with no revocation known (the stream's token is fresh). */
function streamLifecycle(registry: SessionRegistry, replay: SessionReplay) {
  const revocations = { isKnownRevoked: () => false } as unknown as RevocationService;
  return new SessionLifecycle(registry, replay, revocations);
}

describe(NotificationStreams.name, () => {
  const principal = (expiresInMs: number): Principal => ({
    userId: 'alice',
    scopes: new Set(),
    expiresAt: Date.now() + expiresInMs,
    issuedAt: undefined,
    claims: {},
  });

  afterEach(() => jest.useRealTimers());

  it('registers the stream as a session of the user, for delivery, until the client leaves', () => {
    const registry = new SessionRegistry();
    const replay = { start: jest.fn() } as unknown as SessionReplay;
    const client = response();
    const session = new NotificationStreams(streamLifecycle(registry, replay)).open(
      principal(60_000),
      '5',
      client as unknown as ServerResponse,
    );
    expect(replay.start).toHaveBeenCalledWith(session);
    expect(session.resumeAfter).toBe('5');
    expect([...(registry.ofUser('alice') ?? [])]).toEqual([session]);

    client.destroyed = true;
    client.emit('close');
    expect(registry.ofUser('alice')).toBeUndefined();
  });

  it('ends the stream with event close 4401 when the token expires', () => {
    jest.useFakeTimers();
    const registry = new SessionRegistry();
    const client = response();
    const replay = { start: jest.fn() } as unknown as SessionReplay;
    new NotificationStreams(streamLifecycle(registry, replay)).open(principal(1000), undefined, client as unknown as ServerResponse);
    jest.advanceTimersByTime(1000);
    expect(client.written).toEqual(['event: close\ndata: {"code":4401,"reason":"token expired"}\n\n']);
    expect(client.writableEnded).toBe(true);
    expect(registry.size).toBe(0);
  });
});
