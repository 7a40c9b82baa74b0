import { Redis } from 'ioredis';
import { RedisKeys } from './redis-keys';

/**
 * Presence as Redis has it: the sessions each user holds on every live node, and how many
 * users are online. While Redis is unreachable, this node's own sessions are the answer.
 */
export class RedisSessionCounts {
  constructor(
    private readonly commands: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    /** This node's open sessions per user (the bus keeps it). */
    private readonly localSessions: ReadonlyMap<string, number>,
    private readonly onOutage: (error: Error) => void,
  ) {}

  /** Sessions per user on every live node; this node's own count when Redis is unreachable. */
  async count(userIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const userId of userIds) {
      const local = this.localSessions.get(userId);
      if (local) counts.set(userId, local);
    }
    if (this.commands.status !== 'ready') return counts;
    try {
      // Plain commands: the connection auto-pipelines them (see RedisDeliveryBus).
      const [liveNodes, perUser] = await Promise.all([
        this.commands.zrangebyscore(this.keys.nodes, Date.now(), '+inf'),
        Promise.all(userIds.map((userId) => this.commands.hgetall(this.keys.user(userId)))),
      ]);
      const live = new Set(liveNodes);
      perUser.forEach((sessionsByNode, index) => {
        for (const [nodeId, sessions] of Object.entries(sessionsByNode)) {
          if (nodeId === this.nodeId || !live.has(nodeId)) continue;
          counts.set(userIds[index], (counts.get(userIds[index]) ?? 0) + Number(sessions));
        }
      });
    } catch (error) {
      this.onOutage(error as Error);
    }
    return counts;
  }

  /**
   * Users with a session on any node: the size of the set kept with the registrations (one
   * SCARD, however many users). A dead node's users count until its registrations are
   * removed (within about two heartbeats of its expiry); this node's own while Redis is unreachable.
   */
  async onlineUserCount(): Promise<number> {
    if (this.commands.status === 'ready') {
      try {
        return await this.commands.scard(this.keys.onlineUsers);
      } catch (error) {
        this.onOutage(error as Error);
      }
    }
    return this.localSessions.size;
  }
}
