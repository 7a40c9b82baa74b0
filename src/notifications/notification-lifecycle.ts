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
import { ResolvedOptions } from '../config/resolved-options';
import { eventWithTenant } from './tenant-events';

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

  constructor(
    @Optional() private readonly emitter?: EventEmitter2,
    @Optional() private readonly options?: ResolvedOptions,
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
    // With tenancy, listeners get the tenant and the ids as it names them, never a qualified key.
    const tenants = this.options?.tenants;
    const payload = tenants?.enabled ? eventWithTenant(event, tenants) : event;
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
