import { InvalidNotificationException } from '../model/invalid-notification.exception';
import {
  parseScheduledCursor,
  SCHEDULED_CURSOR_RULE,
  ScheduledNotificationPage,
  ScheduledNotificationView,
  scheduledCursorOf,
} from '../model/scheduled-notification';
import { HeldSendOwner, ScheduledSendsStore } from '../persistence/scheduled-sends.store';
import { idWithin, TenantOptions } from '../model/tenant-scope';
import { TenantKeys } from './tenant-keys';
import { UnitOfWork } from '../persistence/unit-of-work';
import { NotificationCancelledEvent, NotificationRescheduledEvent } from './notification-lifecycle.events';
import { NotificationLifecycle } from './notification-lifecycle';

/** What a page of held sends asks for, and with tenancy in which tenant (`tenantId`). */
export interface ListScheduledOptions extends TenantOptions {
  /** 1 to 100; default 20. */
  limit?: number;
  /** A `nextCursor` of the page before: the page after it. */
  after?: string;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/**
 * A sender's held sends (`deliverAt`): list, move, cancel. Each is for the sender who made
 * them only (`senderId` as the send was given it; null for host code that sent without one),
 * in the call's tenant: another sender's send, or another tenant's, is "not found", like one
 * already released. Views name users and topics as the tenant does. A move or a cancel and the
 * release are conditional statements on the same row, so exactly one of them wins.
 */
export class ScheduledSends {
  private readonly store = new ScheduledSendsStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly lifecycle: NotificationLifecycle,
    private readonly keys: TenantKeys,
  ) {}

  /** One page of the sender's held sends, soonest `deliverAt` first (InvalidNotificationException for a bad limit or cursor). */
  async list(senderId: string | null, options: ListScheduledOptions = {}): Promise<ScheduledNotificationPage> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidNotificationException(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    const after = options.after === undefined ? undefined : parseScheduledCursor(options.after);
    if (options.after !== undefined && !after) throw new InvalidNotificationException(`after must be ${SCHEDULED_CURSOR_RULE}`);
    const owner = await this.ownerOf(senderId, options);
    const held = await this.unitOfWork.read((manager) => this.store.list(manager, owner, after, limit + 1));
    const hasMore = held.length > limit;
    const items = held.slice(0, limit).map((send) => ownView(owner, send.view));
    return { items, nextCursor: hasMore ? scheduledCursorOf(items[items.length - 1]) : null };
  }

  /**
   * Moves one held send to `deliverAt` (an ISO 8601 date-time in the future, else
   * InvalidNotificationException); undefined when the sender has no such send still held.
   */
  async reschedule(
    senderId: string | null,
    id: string,
    deliverAt: string,
    tenant: TenantOptions = {},
  ): Promise<ScheduledNotificationView | undefined> {
    const due = Date.parse(deliverAt);
    if (Number.isNaN(due)) throw new InvalidNotificationException('deliverAt must be a valid date-time');
    if (due <= Date.now()) throw new InvalidNotificationException('deliverAt must be in the future');
    const owner = await this.ownerOf(senderId, tenant);
    const moved = await this.unitOfWork.write((manager) => this.store.move(manager, owner, id, new Date(due).toISOString()));
    if (!moved) return undefined;
    this.lifecycle.rescheduled(new NotificationRescheduledEvent(moved.content, moved.audience, owner.senderId, moved.view.deliverAt));
    return ownView(owner, moved.view);
  }

  /** Cancels one held send: it is deleted and never released. False when the sender has no such send still held. */
  async cancel(senderId: string | null, id: string, tenant: TenantOptions = {}): Promise<boolean> {
    const owner = await this.ownerOf(senderId, tenant);
    const cancelled = await this.unitOfWork.write((manager) => this.store.cancel(manager, owner, id));
    if (!cancelled) return false;
    this.lifecycle.cancelled(new NotificationCancelledEvent(cancelled.content, cancelled.audience, owner.senderId));
    return true;
  }

  /**
   * The sender's key and tenant (tenant-keys.ts); a sender id is checked as a user id. Listing,
   * moving and cancelling only find what was stored: a tenant never seen has no held sends.
   */
  private async ownerOf(senderId: string | null, tenant: TenantOptions): Promise<HeldSendOwner> {
    const tenantId = this.keys.scope.tenantOf(tenant);
    return {
      senderId: senderId === null ? null : await this.keys.userKey(senderId, tenant, 'read', 'senderId'),
      tenantId,
    };
  }
}

/** A held send's audience as its tenant names it: the qualified keys never leave the module. */
function ownView(owner: HeldSendOwner, view: ScheduledNotificationView): ScheduledNotificationView {
  if (!owner.tenantId) return view;
  const own = (key: string) => idWithin(owner.tenantId, key);
  return { ...view, userIds: view.userIds && view.userIds.map(own), topic: view.topic && own(view.topic) };
}
