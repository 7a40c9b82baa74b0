import { Redis } from 'ioredis';
import { RedisKeys } from './redis-keys';

type Pipeline = ReturnType<Redis['pipeline']>;

/**
 * The registrations that say which node holds which users' sessions: written by each node
 * for itself (through the bus's heartbeat and session changes), and removed for a node that
 * stopped renewing by whichever node sees it first.
 */
export class RedisRegistrations {
  constructor(
    private readonly commands: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
  ) {}

  /** Records that this node holds `count` sessions of the user. */
  register(pipeline: Pipeline, userId: string, count: number): Pipeline {
    return pipeline
      .hset(this.keys.user(userId), this.nodeId, count)
      .sadd(this.keys.nodeUsers(this.nodeId), userId)
      .sadd(this.keys.onlineUsers, userId);
  }

  /** Removes a node's sessions of a user, and the user from the online set once no node holds them. */
  leave(pipeline: Pipeline, nodeId: string, userId: string): Pipeline {
    return pipeline.leaveUser(this.keys.user(userId), this.keys.onlineUsers, nodeId, userId);
  }

  /** Removes every registration of a node. */
  async forget(nodeId: string, userIds: readonly string[]): Promise<void> {
    const pipeline = this.commands.pipeline();
    for (const userId of userIds) this.leave(pipeline, nodeId, userId);
    pipeline.del(this.keys.nodeUsers(nodeId)).zrem(this.keys.nodes, nodeId);
    await pipeline.exec();
  }

  /** Removes the nodes whose heartbeat expired, and what they registered; says which and how many users. */
  async removeDeadNodes(): Promise<Array<{ nodeId: string; users: number }>> {
    const removed: Array<{ nodeId: string; users: number }> = [];
    const dead = await this.commands.zrangebyscore(this.keys.nodes, '-inf', Date.now());
    for (const nodeId of dead) {
      if ((await this.commands.zrem(this.keys.nodes, nodeId)) !== 1) continue;
      const users = await this.commands.smembers(this.keys.nodeUsers(nodeId));
      await this.forget(nodeId, users);
      removed.push({ nodeId, users: users.length });
    }
    return removed;
  }
}
