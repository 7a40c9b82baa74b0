import { DeliveryBus } from '../delivery/delivery-bus';

/**
 * Tells every session of the user that an action was taken (a `state` frame with change
 * `actioned`), so their other tabs show it without a refetch.
 */
export function publishActioned(bus: DeliveryBus, userId: string, id: string, actionId: string, at: string): void {
  bus.publish({ kind: 'state', userId, state: { ids: [id], change: 'actioned', at, actionId } });
}
