import { Provider } from '@nestjs/common';
import { SenderPolicy } from '../auth/sender-policy';
import { ChannelSettings } from '../config/channels.options';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { ResolvedOptions } from '../config/resolved-options';
import { ChannelPreferences } from '../model/channel-preferences';
import { StoredChannelPreferences } from './stored-channel-preferences';
import { NotificationChannel } from '../model/notification-channel';
import { FallbackPolicy } from '../notifications/fallback-policy';
import { NotificationLifecycle } from '../notifications/notification-lifecycle';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ChannelDeliveries } from './channel-deliveries';
import { ChannelHealth } from './channel-health';
import { RevocationService } from '../auth/revocation.service';
import { ContactRecorder } from './contact-recorder';
import { EmailChannel } from './email.channel';
import { OutboxDispatcher } from './outbox-dispatcher';
import { PushSubscriptions } from './push-subscriptions';
import { WebhookEvents } from './webhook-events';
import { WebPushChannel } from './web-push.channel';

/** The configured channels by name: the built-in ones given options, then the host's. */
export const NOTIFICATION_CHANNELS = Symbol('NotificationChannels');

/**
 * The providers of channels beyond the socket. Every one exists whether or not a channel is
 * configured (the routes answer 404 then, the workers idle); only what is configured loads
 * its package (web-push, nodemailer).
 */
export const CHANNEL_PROVIDERS: Provider[] = [
  {
    provide: FallbackPolicy,
    inject: [ChannelSettings],
    useFactory: (settings: ChannelSettings) => new FallbackPolicy(settings.names, settings.options.fallback),
  },
  {
    provide: NOTIFICATION_CHANNELS,
    inject: [ChannelSettings, UnitOfWork],
    useFactory: ({ options }: ChannelSettings, unitOfWork: UnitOfWork) => {
      const channels: NotificationChannel[] = [
        ...(options.webPush ? [new WebPushChannel(options.webPush, unitOfWork, options.webPush.agent)] : []),
        ...(options.email ? [new EmailChannel(options.email)] : []),
        ...(options.channels ?? []),
      ];
      return new Map(channels.map((channel) => [channel.name, channel]));
    },
  },
  {
    provide: ChannelPreferences,
    inject: [ChannelSettings, UnitOfWork, ResolvedOptions],
    useFactory: ({ options }: ChannelSettings, unitOfWork: UnitOfWork, resolved: ResolvedOptions) =>
      options.channelPreferences ?? new StoredChannelPreferences(unitOfWork, resolved.preferences.defaults),
  },
  {
    provide: OutboxDispatcher,
    inject: [NOTIFICATION_CHANNELS, FallbackPolicy, UnitOfWork, ChannelPreferences, NotificationLifecycle, NotificationsMetrics],
    useFactory: (
      channels: Map<string, NotificationChannel>,
      policy: FallbackPolicy,
      unitOfWork: UnitOfWork,
      preferences: ChannelPreferences,
      lifecycle: NotificationLifecycle,
      metrics: NotificationsMetrics,
    ) => new OutboxDispatcher(channels, policy, unitOfWork, preferences, lifecycle, metrics),
  },
  {
    provide: WebhookEvents,
    inject: [ChannelSettings, FallbackPolicy, UnitOfWork, NotificationLifecycle, NotificationsMetrics],
    useFactory: (
      { options }: ChannelSettings,
      policy: FallbackPolicy,
      unitOfWork: UnitOfWork,
      lifecycle: NotificationLifecycle,
      metrics: NotificationsMetrics,
    ) =>
      options.webhooks
        ? new WebhookEvents(
            options.webhooks,
            { maxAttempts: policy.maxAttempts, retryBaseMs: policy.retryBaseMs },
            unitOfWork,
            lifecycle,
            metrics,
          )
        : null,
  },
  {
    provide: PushSubscriptions,
    inject: [UnitOfWork, ChannelSettings],
    useFactory: (unitOfWork: UnitOfWork, { options }: ChannelSettings) => new PushSubscriptions(unitOfWork, options.webPush),
  },
  {
    provide: ChannelDeliveries,
    inject: [UnitOfWork, SenderPolicy],
    useFactory: (unitOfWork: UnitOfWork, policy: SenderPolicy) => new ChannelDeliveries(unitOfWork, policy),
  },
  {
    provide: ContactRecorder,
    inject: [UnitOfWork, RevocationService],
    useFactory: (unitOfWork: UnitOfWork, revocations: RevocationService) => new ContactRecorder(unitOfWork, revocations),
  },
  {
    provide: ChannelHealth,
    inject: [UnitOfWork, FallbackPolicy, WebhookEvents],
    useFactory: (unitOfWork: UnitOfWork, policy: FallbackPolicy, webhooks: WebhookEvents | null) =>
      new ChannelHealth(unitOfWork, policy.channelNames, webhooks ? [webhooks] : []),
  },
];
