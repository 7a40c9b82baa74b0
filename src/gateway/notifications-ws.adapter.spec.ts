import { EventEmitter } from 'node:events';
import { from, of } from 'rxjs';
import { NotificationsWsAdapter } from './notifications-ws.adapter';

describe(NotificationsWsAdapter.name, () => {
  const adapter = new NotificationsWsAdapter();
  const client = () => Object.assign(new EventEmitter(), { readyState: 1, send: jest.fn() });

  it('leaves the frames of a gateway without message handlers to the gateway', () => {
    const socket = client();
    adapter.bindMessageHandlers(socket, [], (data) => of(data));
    expect(socket.listenerCount('message')).toBe(0);
  });

  it("routes a host gateway's @SubscribeMessage handlers as WsAdapter does", async () => {
    const socket = client();
    const handler = {
      message: 'echo',
      methodName: 'echo',
      isAckHandledManually: false,
      callback: async (data: unknown) => ({ event: 'echoed', data }),
    };
    adapter.bindMessageHandlers(socket, [handler], (reply) => from(reply as Promise<unknown>));
    socket.emit('message', { data: JSON.stringify({ event: 'echo', data: 42 }) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.send).toHaveBeenCalledWith(JSON.stringify({ event: 'echoed', data: 42 }));
  });
});
