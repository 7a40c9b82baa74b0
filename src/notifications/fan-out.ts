import type { DeliveryMessage } from '../delivery/delivery-bus';
import type { SendResult } from './send-notification.input';

/** What a fan-out did inside its transaction, and what to publish once it commits. */
export interface FanOut {
  /** What the send answers: the audience reached (or expected, when held) and of it online. */
  recipients: number;
  online: number;
  /** Recipients whose preferences kept it out of their inbox (0 when held, critical, or a broadcast). */
  suppressed: number;
  /** Whether those recipients got their inbox rows now: not when held, nor for a broadcast. */
  wroteInboxes: boolean;
  messages: DeliveryMessage[];
}

/** What the send answers for this fan-out. */
export function sendResult(id: string, { recipients, online, suppressed }: FanOut): SendResult {
  return { id, recipients, online, suppressed };
}

export function emptyFanOut(): FanOut {
  return { recipients: 0, online: 0, suppressed: 0, wroteInboxes: true, messages: [] };
}

/** The inbox rows a fan-out wrote, and how many of them for users online, for the metrics. */
export function inboxEntries(fanOut: FanOut): [created: number, online: number] {
  return fanOut.wroteInboxes ? [fanOut.recipients, fanOut.online] : [0, 0];
}
