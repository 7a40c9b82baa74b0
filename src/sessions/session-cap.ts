import { DeliveryBus } from '../delivery/delivery-bus';

/**
 * One session of a user counted against the cap (and for presence) from its reservation until
 * `release()`: when the session ends, or when its handshake fails after the reservation.
 */
export class SessionSlot {
  private released = false;

  constructor(
    private readonly bus: DeliveryBus,
    readonly userId: string,
  ) {}

  /** Stops counting the session, on every node; calls after the first do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.bus.sessionClosed(this.userId);
  }
}

/**
 * The per-user session cap, shared by the WebSocket handshake and the Server-Sent Events
 * route. It counts what presence counts: every WebSocket and SSE session of the user, on
 * every node (through the delivery bus), so one user cannot hold more than the cap by mixing
 * transports.
 */
export class SessionCap {
  /** Why a user at the cap may not open one more session. */
  readonly refusal: string;
  /** Reservations waiting for their turn, per user, on a bus without reserveSession. */
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(
    private readonly bus: DeliveryBus,
    readonly maxSessionsPerUser: number,
  ) {
    this.refusal = `At most ${maxSessionsPerUser} sessions per user; close one first`;
  }

  /**
   * Counts one more session of the user, or answers undefined when they already hold the most
   * allowed. The check and the count are one step (taken before this yields, and atomically
   * in Redis across nodes), so handshakes that arrive together can never pass the cap.
   */
  async reserve(userId: string): Promise<SessionSlot | undefined> {
    const reserved = this.bus.reserveSession ? this.bus.reserveSession(userId, this.maxSessionsPerUser) : this.reserveInTurn(userId);
    return (await reserved) ? new SessionSlot(this.bus, userId) : undefined;
  }

  /**
   * For a bus that can only count and register: one reservation of a user at a time on this
   * node, so the cap is exact here (across nodes only as exact as that bus's count).
   */
  private reserveInTurn(userId: string): Promise<boolean> {
    const turn = (this.turns.get(userId) ?? Promise.resolve()).then(async () => {
      if ((await this.bus.sessionCount(userId)) >= this.maxSessionsPerUser) return false;
      this.bus.sessionOpened(userId);
      return true;
    });
    // The next reservation waits for this one to end, whatever its outcome (the caller sees the error).
    const ended = turn.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(userId, ended);
    void ended.then(() => {
      if (this.turns.get(userId) === ended) this.turns.delete(userId);
    });
    return turn;
  }
}
