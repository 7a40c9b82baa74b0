/** The names RedisDeliveryBus uses in Redis, all under one prefix. */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** Sorted set: node id → the time (ms) its heartbeat expires. */
  get nodes(): string {
    return `${this.prefix}:nodes`;
  }

  /** Hash: node id → how many sessions of this user that node holds. */
  user(userId: string): string {
    return `${this.prefix}:user:${userId}`;
  }

  /** Set: the users some node holds sessions of (what a broadcast counts), kept with the hashes. */
  get onlineUsers(): string {
    return `${this.prefix}:online-users`;
  }

  /** Set: the users a node holds sessions of, so a dead node's entries can be removed. */
  nodeUsers(nodeId: string): string {
    return `${this.prefix}:node-users:${nodeId}`;
  }

  /** Channel a node subscribes to for messages about its users. */
  nodeChannel(nodeId: string): string {
    return `${this.prefix}:channel:node:${nodeId}`;
  }

  /** Channel every node subscribes to, for messages meant for everyone. */
  get everyoneChannel(): string {
    return `${this.prefix}:channel:everyone`;
  }
}
