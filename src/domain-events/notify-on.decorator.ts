import 'reflect-metadata';
import { Type } from '@nestjs/common';
import type { SendNotificationInput } from '../notifications/send-notification.input';

/** A notification a mapping sends; with tenancy it names the tenant it goes into (`send(input, { tenantId })`). */
export type MappedNotification = SendNotificationInput & { tenantId?: string };

/** What a mapping method returns: notifications to send for the event, or null for none. */
export type NotificationMapping = MappedNotification | readonly MappedNotification[] | null | undefined;

export interface NotifyOnOptions {
  /** The EventEmitter2 event name, when it is not the class's static `eventName` or its class name. */
  event?: string;
}

/** One `@NotifyOn` of a method: which event, under which name. */
export interface NotifyOnBinding {
  eventClass: Type<unknown>;
  eventName: string;
}

export const NOTIFY_ON_METADATA = 'notifications:notify-on';

/**
 * The EventEmitter2 name of a domain event class: its static `eventName` when it declares
 * one, else its class name. Emit with `eventEmitter.emit(domainEventName(Event), event)`.
 */
export function domainEventName(eventClass: Type<unknown>): string {
  const declared = (eventClass as unknown as { eventName?: unknown }).eventName;
  return typeof declared === 'string' ? declared : eventClass.name;
}

/**
 * Marks a provider method as the mapping of a domain event to notifications: when the host
 * emits the event, the module calls the method and sends what it returns. The method is
 * typed on the event class; it may be async. Errors are logged with the event name.
 */
export function NotifyOn<E>(eventClass: Type<E>, options: NotifyOnOptions = {}) {
  return <M extends (event: E) => NotificationMapping | Promise<NotificationMapping>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    const method = descriptor.value as object;
    const bindings: NotifyOnBinding[] = Reflect.getMetadata(NOTIFY_ON_METADATA, method) ?? [];
    const eventName = options.event ?? domainEventName(eventClass as Type<unknown>);
    Reflect.defineMetadata(NOTIFY_ON_METADATA, [...bindings, { eventClass, eventName }], method);
  };
}
