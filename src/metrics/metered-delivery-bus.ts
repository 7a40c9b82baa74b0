import { Logger } from '@nestjs/common';
import { DeliveryBus, DeliveryMessage } from '../delivery/delivery-bus';
import { NotificationsMetrics } from './notifications-metrics';

/**
 * The bus as given, with publish failures counted (thrown, or a returned promise that
 * rejects) and passed on unchanged. A Proxy rather than a wrapper class so that every other
 * member of whatever bus is configured, present or future, reaches the bus untouched.
 */
export function meteredDeliveryBus(bus: DeliveryBus, metrics: NotificationsMetrics): DeliveryBus {
  const publish = (message: DeliveryMessage): void => {
    let outcome: unknown;
    try {
      outcome = bus.publish(message);
    } catch (error) {
      metrics.busPublishFailed();
      throw error;
    }
    if (outcome instanceof Promise) {
      // A bus that returns its promise leaves nobody else to see the failure: count and log it.
      outcome.catch((error) => {
        metrics.busPublishFailed();
        new Logger('DeliveryBus').error(`Publishing a ${message.kind} delivery failed: ${error}`);
      });
    }
  };
  return new Proxy(bus, {
    get: (target, property) => {
      if (property === 'publish') return publish;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
