import { DeliveryBus, DeliveryMessage } from './delivery-bus';

/** The single-node bus: delivery is a function call, presence a per-user session count. */
export class InProcessDeliveryBus implements DeliveryBus {
  private readonly listeners: Array<(message: DeliveryMessage) => void> = [];
  private readonly sessionsByUser = new Map<string, number>();

  publish(message: DeliveryMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  subscribe(listener: (message: DeliveryMessage) => void): void {
    this.listeners.push(listener);
  }

  sessionOpened(userId: string): void {
    this.sessionsByUser.set(userId, (this.sessionsByUser.get(userId) ?? 0) + 1);
  }

  sessionClosed(userId: string): void {
    const remaining = (this.sessionsByUser.get(userId) ?? 0) - 1;
    if (remaining > 0) this.sessionsByUser.set(userId, remaining);
    else this.sessionsByUser.delete(userId);
  }

  /** Synchronous check and count: nothing can come between them. */
  async reserveSession(userId: string, limit: number): Promise<boolean> {
    if ((this.sessionsByUser.get(userId) ?? 0) >= limit) return false;
    this.sessionOpened(userId);
    return true;
  }

  async sessionCount(userId: string): Promise<number> {
    return this.sessionsByUser.get(userId) ?? 0;
  }

  async onlineUserCount(): Promise<number> {
    return this.sessionsByUser.size;
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((userId) => this.sessionsByUser.has(userId)));
  }
}
