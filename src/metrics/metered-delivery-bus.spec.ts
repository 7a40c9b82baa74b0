import { DeliveryBus, DeliveryMessage } from '../delivery/delivery-bus';
import { InProcessDeliveryBus } from '../delivery/in-process-delivery-bus';
import { SessionRegistry } from '../sessions/session-registry';
import { meteredDeliveryBus } from './metered-delivery-bus';
import { PrometheusMetrics } from './prometheus-metrics';

const message: DeliveryMessage = { kind: 'unread', userId: 'alice', count: 1, unseen: 1 };

async function publishErrors(metrics: PrometheusMetrics): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('notifications_bus_publish_errors_total')!.get();
  return metric.values[0]?.value ?? 0;
}

describe(meteredDeliveryBus.name, () => {
  it('passes publish and every other member through to the bus', async () => {
    const metrics = new PrometheusMetrics(new SessionRegistry());
    const inner = new InProcessDeliveryBus();
    const received: DeliveryMessage[] = [];
    const bus = meteredDeliveryBus(inner, metrics);
    bus.subscribe((delivered) => received.push(delivered));
    bus.publish(message);
    expect(received).toEqual([message]);
    bus.sessionOpened('alice');
    expect(await bus.sessionCount('alice')).toBe(1);
  });

  it('counts a thrown publish error and rethrows it', async () => {
    const metrics = new PrometheusMetrics(new SessionRegistry());
    const failing = Object.assign(new InProcessDeliveryBus(), {
      publish: () => {
        throw new Error('bus down');
      },
    });
    expect(() => meteredDeliveryBus(failing, metrics).publish(message)).toThrow('bus down');
    expect(await publishErrors(metrics)).toBe(1);
  });

  it('counts a rejected publish promise', async () => {
    const metrics = new PrometheusMetrics(new SessionRegistry());
    let reject!: (error: Error) => void;
    const rejected = new Promise<void>((_, fail) => (reject = fail));
    const asynchronous = Object.assign(new InProcessDeliveryBus(), { publish: () => rejected }) as unknown as DeliveryBus;
    meteredDeliveryBus(asynchronous, metrics).publish(message);
    reject(new Error('redis gone'));
    await rejected.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await publishErrors(metrics)).toBe(1);
  });
});
