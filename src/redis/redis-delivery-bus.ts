import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { audienceOf, DeliveryBus, DeliveryMessage } from '../delivery/delivery-bus';
import { COMMANDS_CONNECTION, connectionOptions, RedisDeliveryBusOptions } from './redis-delivery-bus.options';
import { decodeEnvelope, Envelope } from './redis-envelope';
import { RedisRegistrations } from './redis-registrations';
import { publishToHolders } from './redis-routing';
import { RedisKeys } from './redis-keys';
import { definePresenceCommands } from './redis-presence';
import { RedisSessionCounts } from './redis-session-counts';

export type { RedisDeliveryBusOptions } from './redis-delivery-bus.options';

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
  private readonly counts: RedisSessionCounts;
  private readonly registrations: RedisRegistrations;
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
    const connection = connectionOptions(options);
    this.commands = new Redis(options.url, { ...connection, ...COMMANDS_CONNECTION, connectionName: `notifications-${this.nodeId}` });
    definePresenceCommands(this.commands);
    // Channels are subscribed on every `ready` below, so ioredis's own resubscription is off.
    this.subscriber = new Redis(options.url, { ...connection, commandTimeout: undefined, autoResubscribe: false });
    this.registrations = new RedisRegistrations(this.commands, this.keys, this.nodeId);
    this.counts = new RedisSessionCounts(this.commands, this.keys, this.nodeId, this.localSessions, (error) => this.reportOutage(error));
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
      await this.registrations.forget(this.nodeId, [...this.localSessions.keys()]).catch((error) => this.reportOutage(error));
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
    this.write((pipeline) => this.registrations.register(pipeline, userId, count));
  }

  sessionClosed(userId: string): void {
    const count = (this.localSessions.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.localSessions.set(userId, count);
      this.write((pipeline) => this.registrations.register(pipeline, userId, count));
      return;
    }
    this.localSessions.delete(userId);
    this.write((pipeline) => this.registrations.leave(pipeline, this.nodeId, userId).srem(this.keys.nodeUsers(this.nodeId), userId));
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
    return (await this.counts.count([userId])).get(userId) ?? 0;
  }

  onlineUserCount(): Promise<number> {
    return this.counts.onlineUserCount();
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    const counts = await this.counts.count(userIds);
    return new Set(userIds.filter((userId) => (counts.get(userId) ?? 0) > 0));
  }

  /** Publishes to the nodes that hold the message's users (redis-routing.ts). */
  private async publishRemotely(message: DeliveryMessage, audience: readonly string[] | 'everyone'): Promise<void> {
    if (this.commands.status !== 'ready') throw new Error(`Redis connection is ${this.commands.status}`);
    await publishToHolders(this.commands, this.keys, this.nodeId, message, audience);
  }

  private receive(payload: string): void {
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(payload);
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
          if (!this.localSessions.has(userId))
            this.registrations.leave(pipeline, this.nodeId, userId).srem(this.keys.nodeUsers(this.nodeId), userId);
        }
        for (const [userId, count] of this.localSessions) this.registrations.register(pipeline, userId, count);
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
    for (const { nodeId, users } of await this.registrations.removeDeadNodes()) {
      this.logger.warn(`Node ${nodeId} stopped renewing its heartbeat; removed its ${users} users' registrations`);
    }
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
