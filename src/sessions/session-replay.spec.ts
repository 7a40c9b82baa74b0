import { Logger } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { NotificationView } from '../model/notification.view';
import { NotificationsService } from '../notifications/notifications.service';
import { Session } from './session';
import { UnitOfWork } from '../persistence/unit-of-work';
import { SessionReplay } from './session-replay';
import { SessionSocket } from './session-socket';

const principal: Principal = { userId: 'alice', scopes: new Set(), expiresAt: Date.now() + 60_000, issuedAt: undefined, claims: {} };

function recordingSocket() {
  const sent: Array<{ event: string; data: any }> = [];
  const socket: SessionSocket & { closedWith?: number } = {
    readyState: 1,
    bufferedAmount: 0,
    send: (frame, written) => {
      sent.push(JSON.parse(frame));
      written?.();
    },
    terminate: () => undefined,
    close(code) {
      this.closedWith = code;
    },
    once: () => undefined,
  };
  return { socket, sent };
}

const notification = (cursor: number) => ({ id: `n${cursor}`, cursor: String(cursor) }) as NotificationView;

/** A backlog of `total` notifications after cursor 0, served in pages as the service does. */
function serviceWithBacklog(total: number) {
  const pages: Array<{ afterCursor?: string; unacknowledgedOnly?: boolean }> = [];
  const service = {
    opening: async () => ({ unreadCount: 7, unseenCount: 5, latestCursor: '0', missingBroadcast: false }),
    readBacklog: async (_: string, position: { afterCursor?: string; unacknowledgedOnly?: boolean }, limit: number) => {
      pages.push(position);
      const after = Number(position.afterCursor);
      return Array.from({ length: Math.max(0, Math.min(limit, total - after)) }, (_, index) => notification(after + index + 1));
    },
  };
  return { service: service as unknown as NotificationsService, pages };
}

/** The unit of work, for the latest-cursor read a first replay makes (none here). */
const noLatestCursor = { read: async () => null } as unknown as UnitOfWork;

/** Resolves once pending promise callbacks have run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(SessionReplay.name, () => {
  it('sends ready, then the whole backlog a page at a time from the session cursor, then goes live', async () => {
    const { service, pages } = serviceWithBacklog(1200);
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    new SessionReplay(service, noLatestCursor).start(session);
    session.sendNotification(1201, JSON.stringify({ event: 'notification', data: notification(1201) }));
    await settle();
    expect(sent[0]).toEqual({ event: 'ready', data: { sessionId: session.id, userId: 'alice', unreadCount: 7, unseenCount: 5 } });
    const cursors = sent.slice(1).map((frame) => Number(frame.data.cursor));
    expect(cursors).toEqual(Array.from({ length: 1201 }, (_, index) => index + 1));
    expect(pages).toEqual([
      { afterCursor: '0', unacknowledgedOnly: true },
      { afterCursor: '500', unacknowledgedOnly: true },
      { afterCursor: '1000', unacknowledgedOnly: true },
    ]);
  });

  it('replays everything after the resume cursor, acknowledged or not', async () => {
    const { service, pages } = serviceWithBacklog(12);
    const { socket, sent } = recordingSocket();
    new SessionReplay(service, noLatestCursor).start(new Session(socket, principal, '10'));
    await settle();
    expect(sent.slice(1).map((frame) => frame.data.cursor)).toEqual(['11', '12']);
    expect(pages).toEqual([{ afterCursor: '10', unacknowledgedOnly: false }]);
  });

  it('closes the session with 1011 when the backlog cannot be read, so the client retries', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const service = { unreadCount: async () => Promise.reject(new Error('database is down')) } as unknown as NotificationsService;
    const { socket } = recordingSocket();
    new SessionReplay(service, noLatestCursor).start(new Session(socket, principal, undefined));
    await settle();
    expect(socket.closedWith).toBe(1011);
  });
});
