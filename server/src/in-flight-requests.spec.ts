import { EventEmitter } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DRAIN_TIMEOUT_MS, InFlightRequests } from './in-flight-requests';

describe(InFlightRequests.name, () => {
  it('lets shutdown proceed only once every tracked response has closed', async () => {
    const inFlight = new InFlightRequests();
    const responses = [new EventEmitter(), new EventEmitter()];
    for (const response of responses) inFlight.track({} as IncomingMessage, response as ServerResponse, () => undefined);

    let drained = false;
    const shutdown = inFlight.beforeApplicationShutdown().then(() => (drained = true));
    responses[0].emit('close');
    await Promise.resolve();
    expect(drained).toBe(false);
    responses[1].emit('close');
    await shutdown;
    expect(drained).toBe(true);
  });

  it('cuts the requests still in flight after the drain timeout, so the HTTP server can close', async () => {
    jest.useFakeTimers();
    try {
      const inFlight = new InFlightRequests();
      const stalled = Object.assign(new EventEmitter(), { destroy: jest.fn() });
      inFlight.track({} as IncomingMessage, stalled as unknown as ServerResponse, () => undefined);
      const shutdown = inFlight.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(DRAIN_TIMEOUT_MS);
      await shutdown;
      expect(stalled.destroy).toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not wait when nothing is in flight', async () => {
    await expect(new InFlightRequests().beforeApplicationShutdown()).resolves.toBeUndefined();
  });
});
