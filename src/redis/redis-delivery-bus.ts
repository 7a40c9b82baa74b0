import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { audienceOf, DeliveryBus, DeliveryMessage } from '../delivery/delivery-bus';
import { RedisKeys } from './redis-keys';
import { definePresenceCommands } from './redis-presence';

/** Options of the Redis bus; every node of one deployment uses the same `url` and `keyPrefix`. */
export interface RedisDeliveryBusOptions {
  url: string;
  /** Prefix of every key and channel (default `notifications`). */
  keyPrefix?: string;
  /** How often a node renews its liveness; one silent for three intervals is dead (default 2000). */
  heartbeatMs?: number;
  /** A Redis command that takes longer fails, so presence never holds a send up (default 1000). */
  commandTimeoutMs?: number;
  /** Messages kept while Redis is unreachable, sent when it returns (default 10000). */
  maxPendingMessages?: number;
}

/** What travels on a channel: the message and the node that sent it. */
interface Envelope {
  from: string;
  message: DeliveryMessage;
}

/**
 * Delivery and presence for several nodes through Redis. Each node subscribes to its own
 * channel and records in Redis which users it holds sessions of; a message is published
 * only to the nodes that hold one of its users (not to every node, as the Socket.IO Redis
 * adapter does), narrowed to the recipients each node holds. Sessions on this node get it
 * directly. Redis is never the source of truth: when it is unreachable, publishing keeps
 * messages (bounded) until it returns, presence falls back to this node, and once it is
 * back the node re-registers its sessions and has every session catch up from the database.
 * See docs/scale-out.md.
 */
export class RedisDeliveryBus implements DeliveryBus, OnModuleInit, OnApplicationShutdown {
  /** This process's identity in Redis; a restarted node is a new node. */
  readonly nodeId = randomUUID();
  private readonly logger = new Logger('RedisDeliveryBus');
  private readonly keys: RedisKeys;
  private readonly heartbeatMs: number;
  private readonly maxPending: number;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly listeners: Array<(message: DeliveryMessage) => void> = [];
  /** This node's open sessions per user: the truth Redis's registry is rebuilt from. */
  private readonly localSessions = new Map<string, number>();
  /** Messages that could not be published while Redis was unreachable. */
  private pending: DeliveryMessage[] = [];
  /** Set when Redis may have lost or missed this node's registrations. */
  private registrationStale = true;
  private subscribedBefore = false;
  private outageLogged = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private renewing = false;
  private stopped = false;

  constructor(options: RedisDeliveryBusOptions) {
    this.keys = new RedisKeys(options.keyPrefix ?? 'notifications');
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.maxPending = options.maxPendingMessages ?? 10_000;
    const connection: RedisOptions = {
      lazyConnect: true,
      // Fail at once while disconnected rather than queue: a send must never wait on Redis.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      // On quit, ioredis waits this long for the socket to close before destroying it; with Redis
      // down there is no socket to wait for, and the default 2 s kept a stopped node alive.
      disconnectTimeout: 100,
    };
    this.commands = new Redis(options.url, { ...connection, connectionName: `notifications-${this.nodeId}` });
    definePresenceCommands(this.commands);
    // Channels are subscribed on every `ready` below, so ioredis's own resubscription is off.
    this.subscriber = new Redis(options.url, { ...connection, commandTimeout: undefined, autoResubscribe: false });
  }

  onModuleInit(): void {
    for (const connection of [this.commands, this.subscriber]) {
      connection.on('error', (error: Error) => this.reportOutage(error));
      connection.on('close', () => (this.registrationStale = true));
    }
    this.commands.on('ready', () => this.renew());
    this.subscriber.on('ready', () => this.onSubscriberReady());
    this.subscriber.on('message', (channel: string, payload: string) => this.receive(payload));
    // A node starts even while Redis is down: ioredis keeps reconnecting, and the database
    // serves every client meanwhile.
    for (const connection of [this.commands, this.subscriber]) connection.connect().catch((error) => this.reportOutage(error));
    this.heartbeat = setInterval(() => this.renew(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    if (this.commands.status === 'ready') {
      // Leave no trace: other nodes stop routing to this one at once rather than after its heartbeat dies.
      await this.forget(this.nodeId, [...this.localSessions.keys()]).catch((error) => this.reportOutage(error));
    }
    this.commands.disconnect();
    this.subscriber.disconnect();
  }

  publish(message: DeliveryMessage): void {
    const audience = audienceOf(message);
    if (audience === 'everyone' || audience.some((userId) => this.localSessions.has(userId))) this.deliverHere(message);
    if (message.kind === 'resync') return;
    this.publishRemotely(message, audience).catch((error) => {
      this.reportOutage(error);
      this.keepForLater(message);
    });
  }

  subscribe(listener: (message: DeliveryMessage) => void): void {
    this.listeners.push(listener);
  }

  sessionOpened(userId: string): void {
    const count = (this.localSessions.get(userId) ?? 0) + 1;
    this.localSessions.set(userId, count);
    this.write((pipeline) => this.register(pipeline, userId, count));
  }

  sessionClosed(userId: string): void {
    const count = (this.localSessions.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.localSessions.set(userId, count);
      this.write((pipeline) => this.register(pipeline, userId, count));
      return;
    }
    this.localSessions.delete(userId);
    this.write((pipeline) => this.leave(pipeline, this.nodeId, userId).srem(this.keys.nodeUsers(this.nodeId), userId));
  }

  /**
   * This node's count first, before anything is awaited, so handshakes racing here see each
   * other; then one script in Redis checks the user's sessions on every live node and registers
   * this one, so handshakes racing on other nodes see it too. While Redis is unreachable this
   * node's sessions alone decide, as presence falls back to them.
   */
  async reserveSession(userId: string, limit: number): Promise<boolean> {
    const count = (this.localSessions.get(userId) ?? 0) + 1;
    if (count > limit) return false;
    this.localSessions.set(userId, count);
    if (this.commands.status !== 'ready') {
      this.registrationStale = true;
      return true;
    }
    let registered: number;
    try {
      registered = await this.commands.reserveSession(
        this.keys.user(userId),
        this.keys.nodes,
        this.keys.nodeUsers(this.nodeId),
        this.keys.onlineUsers,
        this.nodeId,
        userId,
        count,
        limit,
        Date.now(),
      );
    } catch (error) {
      // The script may or may not have run: the next heartbeat writes this node's counts again.
      this.registrationStale = true;
      this.reportOutage(error as Error);
      return true;
    }
    if (registered === 1) return true;
    // Refused: give the count back, and write it again (a script sent after this one may have
    // registered a count that included this session).
    this.sessionClosed(userId);
    return false;
  }

  async sessionCount(userId: string): Promise<number> {
    return (await this.countSessions([userId])).get(userId) ?? 0;
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
        this.reportOutage(error as Error);
      }
    }
    return this.localSessions.size;
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    const counts = await this.countSessions(userIds);
    return new Set(userIds.filter((userId) => (counts.get(userId) ?? 0) > 0));
  }

  /** Sessions per user on every live node; this node's own count when Redis is unreachable. */
  private async countSessions(userIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const userId of userIds) {
      const local = this.localSessions.get(userId);
      if (local) counts.set(userId, local);
    }
    if (this.commands.status !== 'ready') return counts;
    try {
      const pipeline = this.commands.pipeline().zrangebyscore(this.keys.nodes, Date.now(), '+inf');
      for (const userId of userIds) pipeline.hgetall(this.keys.user(userId));
      const [[nodesError, liveNodes], ...perUser] = (await pipeline.exec())!;
      if (nodesError) throw nodesError;
      const live = new Set(liveNodes as string[]);
      perUser.forEach(([error, sessionsByNode], index) => {
        if (error) throw error;
        for (const [nodeId, sessions] of Object.entries(sessionsByNode as Record<string, string>)) {
          if (nodeId === this.nodeId || !live.has(nodeId)) continue;
          counts.set(userIds[index], (counts.get(userIds[index]) ?? 0) + Number(sessions));
        }
      });
    } catch (error) {
      this.reportOutage(error as Error);
    }
    return counts;
  }

  /** Looks up the nodes holding the message's users and publishes to those alone. */
  private async publishRemotely(message: DeliveryMessage, audience: readonly string[] | 'everyone'): Promise<void> {
    if (this.commands.status !== 'ready') throw new Error(`Redis connection is ${this.commands.status}`);
    const envelope = (narrowed: DeliveryMessage) => JSON.stringify({ from: this.nodeId, message: narrowed } satisfies Envelope);
    if (audience === 'everyone') {
      await this.commands.publish(this.keys.everyoneChannel, envelope(message));
      return;
    }
    const lookup = this.commands.pipeline();
    for (const userId of audience) lookup.hkeys(this.keys.user(userId));
    const usersByNode = new Map<string, string[]>();
    (await lookup.exec())!.forEach(([error, nodeIds], index) => {
      if (error) throw error;
      for (const nodeId of nodeIds as string[]) {
        if (nodeId === this.nodeId) continue;
        let users = usersByNode.get(nodeId);
        if (!users) usersByNode.set(nodeId, (users = []));
        users.push(audience[index]);
      }
    });
    if (usersByNode.size === 0) return;
    const publishing = this.commands.pipeline();
    for (const [nodeId, users] of usersByNode) publishing.publish(this.keys.nodeChannel(nodeId), envelope(narrow(message, users)));
    for (const [error] of (await publishing.exec())!) if (error) throw error;
  }

  private receive(payload: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      this.logger.error(`Ignored a message that is not JSON on a notifications channel: ${(error as Error).message}`);
      return;
    }
    if (envelope.from !== this.nodeId) this.deliverHere(envelope.message);
  }

  private deliverHere(message: DeliveryMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.logger.error(`A delivery listener failed: ${(error as Error).stack ?? error}`);
      }
    }
  }

  private keepForLater(message: DeliveryMessage): void {
    this.pending.push(message);
    if (this.pending.length > this.maxPending) {
      // The database still has them: those clients catch up when they next reconnect.
      this.pending.splice(0, this.pending.length - this.maxPending);
    }
  }

  private async onSubscriberReady(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.keys.nodeChannel(this.nodeId), this.keys.everyoneChannel);
    } catch (error) {
      this.reportOutage(error as Error);
      return;
    }
    // Messages published to this node while it was not subscribed are gone: catch up.
    if (this.subscribedBefore) this.resync('the subscription was restored');
    this.subscribedBefore = true;
  }

  /**
   * The heartbeat: renews this node's liveness; when Redis lost (or never had) this node's
   * registrations, writes them all again; removes the registrations of dead nodes; and sends
   * what could not be published meanwhile.
   */
  private async renew(): Promise<void> {
    // A slow Redis must not pile heartbeats up; the next interval tries again.
    if (this.stopped || this.renewing || this.commands.status !== 'ready') return;
    this.renewing = true;
    try {
      const added = await this.commands.zadd(this.keys.nodes, Date.now() + 3 * this.heartbeatMs, this.nodeId);
      if (added === 1 || this.registrationStale) {
        this.registrationStale = false;
        const registered = await this.commands.smembers(this.keys.nodeUsers(this.nodeId));
        const pipeline = this.commands.pipeline();
        // Sessions that closed while Redis was unreachable are still registered (when Redis kept its data).
        for (const userId of registered) {
          if (!this.localSessions.has(userId)) this.leave(pipeline, this.nodeId, userId).srem(this.keys.nodeUsers(this.nodeId), userId);
        }
        for (const [userId, count] of this.localSessions) this.register(pipeline, userId, count);
        for (const [error] of (await pipeline.exec())!) if (error) throw error;
        // Other nodes could not reach these sessions while they were unregistered.
        if (this.localSessions.size > 0) this.resync('registrations were restored');
      }
      await this.flushPending();
      await this.removeDeadNodes();
      this.outageLogged = false;
    } catch (error) {
      this.registrationStale = true;
      this.reportOutage(error as Error);
    } finally {
      this.renewing = false;
    }
  }

  private async flushPending(): Promise<void> {
    while (this.pending.length > 0) {
      const message = this.pending[0];
      await this.publishRemotely(message, audienceOf(message));
      this.pending.shift();
    }
  }

  /** A node that stopped renewing (SIGKILL, network split) is removed by whichever node sees it first. */
  private async removeDeadNodes(): Promise<void> {
    const dead = await this.commands.zrangebyscore(this.keys.nodes, '-inf', Date.now());
    for (const nodeId of dead) {
      if ((await this.commands.zrem(this.keys.nodes, nodeId)) !== 1) continue;
      const users = await this.commands.smembers(this.keys.nodeUsers(nodeId));
      await this.forget(nodeId, users);
      this.logger.warn(`Node ${nodeId} stopped renewing its heartbeat; removed its ${users.length} users' registrations`);
    }
  }

  private async forget(nodeId: string, userIds: readonly string[]): Promise<void> {
    const pipeline = this.commands.pipeline();
    for (const userId of userIds) this.leave(pipeline, nodeId, userId);
    pipeline.del(this.keys.nodeUsers(nodeId)).zrem(this.keys.nodes, nodeId);
    await pipeline.exec();
  }

  private register(pipeline: ReturnType<Redis['pipeline']>, userId: string, count: number) {
    return pipeline
      .hset(this.keys.user(userId), this.nodeId, count)
      .sadd(this.keys.nodeUsers(this.nodeId), userId)
      .sadd(this.keys.onlineUsers, userId);
  }

  /** Removes a node's sessions of a user, and the user from the online set once no node holds them. */
  private leave(pipeline: ReturnType<Redis['pipeline']>, nodeId: string, userId: string) {
    return pipeline.leaveUser(this.keys.user(userId), this.keys.onlineUsers, nodeId, userId);
  }

  /** Writes a registration change; if Redis is unreachable, the next heartbeat rewrites them all. */
  private write(change: (pipeline: ReturnType<Redis['pipeline']>) => unknown): void {
    if (this.commands.status !== 'ready') {
      this.registrationStale = true;
      return;
    }
    const pipeline = this.commands.pipeline();
    change(pipeline);
    pipeline
      .exec()
      .then((results) => {
        for (const [error] of results ?? []) if (error) throw error;
      })
      .catch((error) => {
        this.registrationStale = true;
        this.reportOutage(error);
      });
  }

  private resync(reason: string): void {
    this.logger.log(`Every session on this node catches up from the database: ${reason}`);
    this.deliverHere({ kind: 'resync' });
  }

  /** Logs once per outage: ioredis reports every failed reconnection attempt. */
  private reportOutage(error: Error): void {
    if (this.stopped || this.outageLogged) return;
    this.outageLogged = true;
    this.logger.warn(`Redis unreachable, delivering from this node and the database meanwhile: ${error.message}`);
  }
}

/** The part of a message for some of its users, so a node receives only what it delivers. */
function narrow(message: DeliveryMessage, userIds: readonly string[]): DeliveryMessage {
  if (message.kind !== 'notification') return message;
  const users = new Set(userIds);
  return { ...message, recipients: message.recipients.filter((recipient) => users.has(recipient.userId)) };
}
