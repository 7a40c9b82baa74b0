import { EventEmitter } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import { InFlightRequests } from './in-flight-requests';

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

  it('does not wait when nothing is in flight', async () => {
    await expect(new InFlightRequests().beforeApplicationShutdown()).resolves.toBeUndefined();
  });
});
