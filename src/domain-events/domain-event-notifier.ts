import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { NotificationsService } from '../notifications/notifications.service';
import { NotificationMapping, NOTIFY_ON_METADATA, NotifyOnBinding } from './notify-on.decorator';

/**
 * Finds every `@NotifyOn` method of the host's providers at bootstrap and listens for its
 * event on the host's EventEmitter2. A mapping or send that fails is logged with the event
 * name and never reaches the code that emitted the event.
 */
@Injectable()
export class DomainEventNotifier implements OnApplicationBootstrap {
  private readonly logger = new Logger('DomainEventNotifier');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly notifications: NotificationsService,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const bindings: NotifyOnBinding[] | undefined = Reflect.getMetadata(NOTIFY_ON_METADATA, prototype[methodName]);
        if (!bindings) continue;
        const mapping = `${instance.constructor.name}.${methodName}`;
        if (!wrapper.isDependencyTreeStatic()) {
          this.logger.warn(`@NotifyOn on ${mapping} is ignored: the provider must not be request-scoped`);
          continue;
        }
        if (!this.emitter) {
          this.logger.warn(`@NotifyOn on ${mapping} is ignored: import EventEmitterModule.forRoot() in the host app`);
          continue;
        }
        for (const { eventName } of bindings) {
          this.emitter.on(eventName, (event: unknown) => this.notify(eventName, mapping, () => instance[methodName](event)));
        }
      }
    }
  }

  private async notify(eventName: string, mapping: string, map: () => NotificationMapping | Promise<NotificationMapping>) {
    try {
      const mapped = await map();
      const inputs = mapped == null ? [] : Array.isArray(mapped) ? mapped : [mapped];
      for (const { tenantId, ...input } of inputs) await this.notifications.send(input, { tenantId });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(`Notifications for event "${eventName}" (${mapping}) failed: ${reason}`);
    }
  }
}
