import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  NotificationArchivedEvent,
  NotificationCancelledEvent,
  NotificationCreatedEvent,
  NotificationDeliveredEvent,
  NotificationLifecycleEvents,
  NotificationReadEvent,
  NotificationReleasedEvent,
  NotificationRescheduledEvent,
} from './notification-lifecycle.events';

/**
 * Emits the lifecycle events on the host's EventEmitter2, when the host has one
 * (EventEmitterModule.forRoot()); without it, emitting does nothing. A listener that throws
 * is logged: the inbox change it heard about has already committed.
 */
@Injectable()
export class NotificationLifecycle {
  private readonly logger = new Logger('NotificationLifecycle');

  constructor(@Optional() private readonly emitter?: EventEmitter2) {}

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

  private emit(name: string, payload: object): void {
    if (!this.emitter) return;
    try {
      this.emitter.emit(name, payload);
    } catch (error) {
      this.logger.error(`A listener of "${name}" failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}
