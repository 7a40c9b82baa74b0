import { DeliveryBus } from '../delivery/delivery-bus';

/**
 * The per-user session cap, shared by the WebSocket handshake and the Server-Sent Events
 * route. It counts what presence counts: every WebSocket and SSE session of the user, on
 * every node (through the delivery bus), so one user cannot hold more than the cap by mixing
 * transports.
 */
export class SessionCap {
  constructor(
    private readonly bus: DeliveryBus,
    readonly maxSessionsPerUser: number,
  ) {}

  /** Why the user may not open one more session, or undefined when they may. */
  async refusal(userId: string): Promise<string | undefined> {
    if ((await this.bus.sessionCount(userId)) < this.maxSessionsPerUser) return undefined;
    return `At most ${this.maxSessionsPerUser} sessions per user; close one first`;
  }
}
