import { SenderPolicy } from './auth/sender-policy';
import { TokenVerifier } from './auth/token-verifier';
import { NotificationsBehaviourOptions, NotificationsJwtOptions } from './config/notifications.options';
import { NotificationsChannelOptions } from './config/channels.options';
import { DeliveryBus } from './delivery/delivery-bus';

/** Options of `NotificationsModule.forRoot()` / `forRootAsync()`. */
export interface NotificationsModuleOptions extends NotificationsBehaviourOptions, NotificationsChannelOptions {
  /** Token verification; ignored when `tokenVerifier` is given. */
  jwt?: NotificationsJwtOptions;
  /** Replaces JWT verification altogether. */
  tokenVerifier?: TokenVerifier;
  /** Replaces the scope rules for who may send and administer. */
  senderPolicy?: SenderPolicy;
  /** Replaces the in-process delivery bus (e.g. with Redis for several nodes). */
  deliveryBus?: DeliveryBus;
}
