import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { NotificationAudience } from '../model/notification-audience';
import { fitsUserIdColumns, qualify, TenantScope } from '../model/tenant-scope';
import type { SendOptions } from './send-notification.input';

/** A send as the store sees it: its tenant ('' without tenancy) and every id qualified by it. */
export interface ScopedSend {
  tenantId: string;
  audience: NotificationAudience;
  senderId: string | null;
  /** Whose Idempotency-Keys these are: the sender, or host code sending without one, in the tenant. */
  keyOwner: string;
}

/** The tenant a send names (checked against the mode), and its audience and sender as stored. */
export function scopeSend(tenants: TenantScope, audience: NotificationAudience, options: SendOptions): ScopedSend {
  const tenantId = tenants.tenantOf(options);
  return {
    tenantId: tenantId ?? '',
    audience: audienceWithin(tenantId, audience),
    senderId: options.senderId == null ? null : qualify(tenantId, options.senderId),
    keyOwner: qualify(tenantId, options.senderId ?? ''),
  };
}

/**
 * The audience as the store reaches it: in a tenant, its users' and topic's qualified keys
 * (tenant-scope.ts), each user id checked to fit the columns once qualified.
 */
export function audienceWithin(tenantId: string | undefined, audience: NotificationAudience): NotificationAudience {
  if (!tenantId) return audience;
  switch (audience.kind) {
    case 'users':
      if (!audience.userIds.every((userId) => fitsUserIdColumns(tenantId, userId))) {
        throw new InvalidNotificationException(
          'each value in userIds must fit with its tenant: tenant id and user id take at most 250 characters',
        );
      }
      return { kind: 'users', userIds: audience.userIds.map((userId) => qualify(tenantId, userId)) };
    case 'topic':
      return { kind: 'topic', topic: qualify(tenantId, audience.topic) };
    case 'broadcast':
      return { kind: 'broadcast', tenantId };
  }
}
