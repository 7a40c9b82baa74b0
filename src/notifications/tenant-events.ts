import { NotificationAudience } from '../model/notification-audience';
import { TenantKeys } from './tenant-keys';

/** A lifecycle event as host code and webhooks get it with tenancy: its tenant, and ids as the tenant names them. */
export type TenantEvent<E> = E & { tenantId: string };

interface EventFields {
  userId?: string;
  senderId?: string | null;
  audience?: NotificationAudience;
}

/**
 * The event with its tenant added and its user ids, sender and topic unqualified, of the same
 * class (listeners may check `instanceof`). The tenant comes from whatever the event has: its
 * audience when a broadcast names it, else the number in its user's, audience's or sender's
 * key, turned into the tenant id (TenantKeys): synchronous when this node knows the tenant.
 */
export function eventWithTenant<E extends object>(event: E, keys: TenantKeys): TenantEvent<E> | Promise<TenantEvent<E>> {
  const fields = event as EventFields;
  if (fields.audience?.kind === 'broadcast') return withTenant(event, fields.audience.tenantId ?? '', keys);
  const key = fields.userId ?? audienceKey(fields.audience) ?? fields.senderId ?? undefined;
  const tenantId = key === undefined ? '' : keys.tenantIdOfKey(key);
  return tenantId instanceof Promise
    ? tenantId.then((found) => withTenant(event, found ?? '', keys))
    : withTenant(event, tenantId ?? '', keys);
}

function withTenant<E extends object>(event: E, tenantId: string, keys: TenantKeys): TenantEvent<E> {
  const fields = event as EventFields;
  const own = (value: string) => keys.idOfKey(value);
  const copy: EventFields & { tenantId: string } = Object.assign(Object.create(Object.getPrototypeOf(event)), event, { tenantId });
  if (fields.userId !== undefined) copy.userId = own(fields.userId);
  if (fields.senderId) copy.senderId = own(fields.senderId);
  if (fields.audience) copy.audience = audienceOwn(fields.audience, own);
  // An event that names its tenant itself (notifications.actioned) names it too.
  if ('tenant' in copy) (copy as { tenant: string | null }).tenant = tenantId;
  return copy as TenantEvent<E>;
}

function audienceKey(audience: NotificationAudience | undefined): string | undefined {
  if (audience?.kind === 'users') return audience.userIds[0];
  if (audience?.kind === 'topic') return audience.topic;
  return undefined;
}

function audienceOwn(audience: NotificationAudience, own: (key: string) => string): NotificationAudience {
  if (audience.kind === 'users') return { kind: 'users', userIds: audience.userIds.map(own) };
  if (audience.kind === 'topic') return { kind: 'topic', topic: own(audience.topic) };
  return audience;
}
