import { CloseCode } from './close-code';
import { NotificationClient } from './notification-client';
import { connectFake, record, settle } from './testing/connect-fake';
import { FakeWebSocket } from './testing/fake-web-socket';
import { notification } from './testing/notifications';
import type { Notification } from './types';

describe(NotificationClient.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => jest.useRealTimers());

  /** Connects, reaches ready, and returns the client with its first socket. */
  async function readyClient(options: Parameters<typeof connectFake>[0] = {}) {
    const client = connectFake(options);
    const received = record(client, 'notification');
    await settle();
    const socket = FakeWebSocket.last;
    socket.acceptReady();
    return { client, socket, received };
  }

  /** Drops the session and lets the client redial (jitter is half of the 3 s lost-session window). */
  async function reconnect(): Promise<FakeWebSocket> {
    FakeWebSocket.last.serverClose(CloseCode.Abnormal);
    await jest.advanceTimersByTimeAsync(1500);
    const socket = FakeWebSocket.last;
    socket.acceptReady();
    return socket;
  }

  describe('resume', () => {
    it('dials without after first, then resumes after the last cursor received', async () => {
      const { client, socket } = await readyClient();
      expect(socket.query.has('after')).toBe(false);
      socket.push('notification', notification(1));
      socket.push('notification', notification(2));
      expect(client.cursor).toBe('c0002');
      const resumed = await reconnect();
      expect(resumed.query.get('after')).toBe('c0002');
    });

    it('resumes from a cursor saved by an earlier client', async () => {
      await readyClient({ after: 'c0041' });
      expect(FakeWebSocket.last.query.get('after')).toBe('c0041');
    });
  });

  describe('dedupe', () => {
    it('hands a notification redelivered after a reconnect to the application once', async () => {
      const { socket, received } = await readyClient();
      socket.push('notification', notification(1));
      const resumed = await reconnect();
      resumed.push('notification', notification(1));
      resumed.push('notification', notification(2));
      expect(received.map((item) => item.id)).toEqual(['n1', 'n2']);
    });

    it('hands over a notification back from a snooze: the same id with a new cursor', async () => {
      const { socket, received } = await readyClient();
      socket.push('notification', notification(1));
      socket.push('notification', notification(1, { cursor: 'c0009' }));
      socket.push('notification', notification(1, { cursor: 'c0009' }));
      expect(received.map((item) => [item.id, item.cursor])).toEqual([
        ['n1', 'c0001'],
        ['n1', 'c0009'],
      ]);
    });

    it('forgets ids beyond its capacity', async () => {
      const { socket, received } = await readyClient({ dedupeCapacity: 2 });
      for (const number of [1, 2, 3, 1]) socket.push('notification', notification(number));
      expect(received.map((item) => item.id)).toEqual(['n1', 'n2', 'n3', 'n1']);
    });
  });

  describe('ack', () => {
    it('acknowledges only after an async handler has finished', async () => {
      const client = connectFake();
      let finish = () => undefined as void;
      client.on('notification', () => new Promise<void>((resolve) => (finish = resolve)));
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      socket.push('notification', notification(1));
      await settle();
      expect(socket.framesSent('ack')).toEqual([]);
      finish();
      await settle();
      expect(socket.framesSent('ack')).toEqual([{ ids: ['n1'] }]);
    });

    it('waits for every handler of the notification', async () => {
      const client = connectFake();
      const finishers: Array<() => void> = [];
      const slowHandler = () => new Promise<void>((resolve) => finishers.push(resolve));
      client.on('notification', slowHandler);
      client.on('notification', () => new Promise<void>((resolve) => finishers.push(resolve)));
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      socket.push('notification', notification(1));
      finishers[0]();
      await settle();
      expect(socket.framesSent('ack')).toEqual([]);
      finishers[1]();
      await settle();
      expect(socket.framesSent('ack')).toEqual([{ ids: ['n1'] }]);
    });

    it('batches the acks of one tick into one frame', async () => {
      const { socket } = await readyClient();
      socket.push('notification', notification(1));
      socket.push('notification', notification(2));
      await settle();
      expect(socket.framesSent('ack')).toEqual([{ ids: ['n1', 'n2'] }]);
    });

    it('does not acknowledge when a handler fails, and reports it', async () => {
      const client = connectFake();
      const errors = record(client, 'error');
      client.on('notification', async () => {
        throw new Error('render failed');
      });
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      socket.push('notification', notification(1));
      await settle();
      expect(socket.framesSent('ack')).toEqual([]);
      expect(errors).toEqual([expect.objectContaining({ code: 'NOTIFICATIONS_CLIENT_ERR_LISTENER', cause: new Error('render failed') })]);
    });

    it('does not acknowledge a notification that arrives with no listener', async () => {
      connectFake();
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      socket.push('notification', notification(1));
      await settle();
      expect(socket.framesSent('ack')).toEqual([]);
    });

    it('sends an ack that found the session closed on the next session', async () => {
      const client = connectFake();
      let finish = () => undefined as void;
      client.on('notification', () => new Promise<void>((resolve) => (finish = resolve)));
      await settle();
      FakeWebSocket.last.acceptReady();
      FakeWebSocket.last.push('notification', notification(1));
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      finish();
      await settle();
      const resumed = await reconnect();
      expect(resumed.framesSent('ack')).toEqual([{ ids: ['n1'] }]);
    });
  });

  describe('server events', () => {
    it('emits ready with the session', async () => {
      const client = connectFake();
      const ready = record(client, 'ready');
      await settle();
      FakeWebSocket.last.acceptReady(3);
      expect(ready).toEqual([{ sessionId: 's0', userId: 'u1', unreadCount: 3 }]);
    });

    it('emits unread when the count changes, starting from ready', async () => {
      const client = connectFake();
      const unread = record(client, 'unread');
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady(3);
      socket.push('unread', { count: 4 });
      socket.push('unread', { count: 4 });
      socket.push('unread', { count: 0 });
      expect(unread).toEqual([{ count: 3 }, { count: 4 }, { count: 0 }]);
      expect(client.unreadCount).toBe(0);
    });

    it('emits error for server error frames, and stays open', async () => {
      const { client, socket } = await readyClient();
      const errors = record(client, 'error');
      socket.push('error', { code: 'BAD_FRAME', message: 'ids must be an array' });
      expect(errors).toEqual([{ code: 'BAD_FRAME', message: 'ids must be an array' }]);
      expect(client.state).toBe('open');
    });

    it('writes errors to the console when nobody listens for them', async () => {
      const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const { socket } = await readyClient();
        socket.push('error', { code: 'BAD_FRAME', message: 'ids must be an array' });
        expect(consoleError).toHaveBeenCalledWith('[notifications]', 'BAD_FRAME', 'ids must be an array', '');
      } finally {
        consoleError.mockRestore();
      }
    });

    it('reports frames it cannot read, and ignores events it does not know', async () => {
      const { client, socket } = await readyClient();
      const errors = record(client, 'error');
      socket.pushRaw('not json');
      socket.push('notification', { title: 'no id' });
      socket.push('presence', { online: true });
      expect(errors.map((error) => error.code)).toEqual(['NOTIFICATIONS_CLIENT_ERR_BAD_FRAME', 'NOTIFICATIONS_CLIENT_ERR_BAD_FRAME']);
    });

    it('keeps calling listeners after one throws, and reports it', async () => {
      const client = connectFake();
      const errors = record(client, 'error');
      const seen: Notification[] = [];
      client.on('unread', () => {
        throw new Error('boom');
      });
      client.on('notification', (item) => {
        seen.push(item);
      });
      await settle();
      FakeWebSocket.last.acceptReady(1);
      FakeWebSocket.last.push('notification', notification(1));
      await settle();
      expect(seen).toHaveLength(1);
      expect(errors.map((error) => error.message)).toEqual(['a "unread" listener failed']);
    });
  });

  describe('methods', () => {
    it('markRead sends a read frame', async () => {
      const { client, socket } = await readyClient();
      client.markRead(['n1', 'n2']);
      client.markRead('n3');
      await settle();
      expect(socket.framesSent('read')).toEqual([{ ids: ['n1', 'n2', 'n3'] }]);
    });

    it('markRead while disconnected is sent on the next session', async () => {
      const { client } = await readyClient();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      client.markRead('n1');
      await settle();
      const resumed = await reconnect();
      expect(resumed.framesSent('read')).toEqual([{ ids: ['n1'] }]);
    });

    it('ping resolves with the round trip when the pong arrives', async () => {
      const { client, socket } = await readyClient();
      const roundTrip = client.ping();
      expect(socket.framesSent('ping')).toEqual([{}]);
      await jest.advanceTimersByTimeAsync(40);
      socket.push('pong', {});
      await expect(roundTrip).resolves.toBe(40);
    });

    it('ping fails when there is no open session, or when it closes first', async () => {
      const client = connectFake();
      await expect(client.ping()).rejects.toMatchObject({ code: 'NOTIFICATIONS_CLIENT_ERR_NOT_OPEN' });
      await settle();
      FakeWebSocket.last.acceptReady();
      const pending = client.ping();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      await expect(pending).rejects.toMatchObject({ code: 'NOTIFICATIONS_CLIENT_ERR_NOT_OPEN' });
      client.close();
    });
  });
});
