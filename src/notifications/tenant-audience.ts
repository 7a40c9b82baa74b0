import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { NotificationAudience } from '../model/notification-audience';
import { fitsUserIdColumns, qualify, TENANT_USER_ID_RULE } from '../model/tenant-scope';
import type { SendOptions } from './send-notification.input';
import { TenantKeys } from './tenant-keys';

/** A send as the store sees it: its tenant ('' without tenancy) and every id keyed by it. */
export interface ScopedSend {
  tenantId: string;
  audience: NotificationAudience;
  senderId: string | null;
  /** Whose Idempotency-Keys these are: the sender, or host code sending without one, in the tenant. */
  keyOwner: string;
}

/**
 * The tenant a send names (checked against the mode), and its audience and sender as stored.
 * A send stores for its tenant, so a tenant never seen is numbered here; after that its number
 * is in memory and the send makes no query for it.
 */
export async function scopeSend(keys: TenantKeys, audience: NotificationAudience, options: SendOptions): Promise<ScopedSend> {
  const tenantId = keys.scope.tenantOf(options);
  checkAudience(tenantId, audience);
  const tenantNumber = await keys.numberOf(tenantId, 'write');
  return {
    tenantId: tenantId ?? '',
    audience: audienceWithin(tenantId, tenantNumber, audience),
    senderId: options.senderId == null ? null : qualify(tenantNumber, options.senderId),
    keyOwner: qualify(tenantNumber, options.senderId ?? ''),
  };
}

/** In a tenant, each user id must fit the columns once keyed. */
function checkAudience(tenantId: string | undefined, audience: NotificationAudience): void {
  if (audience.kind === 'users' && !audience.userIds.every((userId) => fitsUserIdColumns(tenantId, userId))) {
    throw new InvalidNotificationException(`each value in userIds must fit with its tenant: ${TENANT_USER_ID_RULE}`);
  }
}

/** The audience as the store reaches it: in a tenant, its users' and topic's keys; a broadcast names the tenant. */
function audienceWithin(
  tenantId: string | undefined,
  tenantNumber: number | undefined,
  audience: NotificationAudience,
): NotificationAudience {
  if (!tenantId) return audience;
  switch (audience.kind) {
    case 'users':
      return { kind: 'users', userIds: audience.userIds.map((userId) => qualify(tenantNumber, userId)) };
    case 'topic':
      return { kind: 'topic', topic: qualify(tenantNumber, audience.topic) };
    case 'broadcast':
      return { kind: 'broadcast', tenantId };
  }
}
