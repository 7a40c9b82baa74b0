import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  NotificationActionedEvent,
  NotificationArchivedEvent,
  NotificationCancelledEvent,
  NotificationChannelFailedEvent,
  NotificationCreatedEvent,
  NotificationDeliveredEvent,
  NotificationLifecycleEvents,
  NotificationReadEvent,
  NotificationReleasedEvent,
  NotificationRescheduledEvent,
} from './notification-lifecycle.events';
import { eventWithTenant } from './tenant-events';
import { TenantKeys } from './tenant-keys';

/** Hears every lifecycle event by name, whether or not the host has an EventEmitter2 (the webhooks do). */
export type LifecycleObserver = (name: string, payload: object) => void;

/**
 * Emits the lifecycle events on the host's EventEmitter2, when the host has one
 * (EventEmitterModule.forRoot()), and to the module's own observers. A listener that throws
 * is logged: the inbox change it heard about has already committed.
 */
@Injectable()
export class NotificationLifecycle {
  private readonly logger = new Logger('NotificationLifecycle');
  private readonly observers: LifecycleObserver[] = [];
  /** Events waiting for their tenant's id (a query, the first time this node meets the tenant); later ones wait behind them. */
  private waiting: Promise<void> | undefined;

  constructor(
    @Optional() private readonly emitter?: EventEmitter2,
    @Optional() private readonly keys?: TenantKeys,
  ) {}

  /** Adds an observer of every event from now on. */
  observe(observer: LifecycleObserver): void {
    this.observers.push(observer);
  }

  created(event: NotificationCreatedEvent): void {
    this.emit(NotificationLifecycleEvents.Created, event);
  }

  released(event: NotificationReleasedEvent): void {
    this.emit(NotificationLifecycleEvents.Released, event);
  }

  rescheduled(event: NotificationRescheduledEvent): void {
    this.emit(NotificationLifecycleEvents.Rescheduled, event);
  }

  cancelled(event: NotificationCancelledEvent): void {
    this.emit(NotificationLifecycleEvents.Cancelled, event);
  }

  delivered(event: NotificationDeliveredEvent): void {
    if (event.count > 0) this.emit(NotificationLifecycleEvents.Delivered, event);
  }

  read(event: NotificationReadEvent): void {
    if (event.count > 0) this.emit(NotificationLifecycleEvents.Read, event);
  }

  archived(event: NotificationArchivedEvent): void {
    this.emit(NotificationLifecycleEvents.Archived, event);
  }

  actioned(event: NotificationActionedEvent): void {
    this.emit(NotificationLifecycleEvents.Actioned, event);
  }

  channelFailed(event: NotificationChannelFailedEvent): void {
    this.emit(NotificationLifecycleEvents.ChannelFailed, event);
  }

  private emit(name: string, event: object): void {
    // With tenancy, listeners get the tenant and the ids as it names them, never a stored key.
    const payload = this.keys?.enabled ? eventWithTenant(event, this.keys) : event;
    if (!(payload instanceof Promise) && !this.waiting) return this.hear(name, payload);
    // In the order they happened: an event waits for the lookups of those before it.
    const ready = Promise.resolve(payload).then(
      (resolved) => () => this.hear(name, resolved),
      (error: unknown) => () => this.logger.error(`"${name}" got no tenant: ${error instanceof Error ? error.message : error}`),
    );
    const heard: Promise<void> = (this.waiting ?? Promise.resolve())
      .then(() => ready)
      .then((deliver) => {
        deliver();
        if (this.waiting === heard) this.waiting = undefined;
      });
    this.waiting = heard;
  }

  private hear(name: string, payload: object): void {
    for (const observer of this.observers) this.call(name, () => observer(name, payload));
    if (this.emitter) this.call(name, () => this.emitter!.emit(name, payload));
  }

  private call(name: string, listener: () => unknown): void {
    try {
      listener();
    } catch (error) {
      this.logger.error(`A listener of "${name}" failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}
