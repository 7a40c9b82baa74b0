import { DeliveryMessage } from '../delivery/delivery-bus';

/** What travels on a channel: the message and the node that sent it. */
export interface Envelope {
  from: string;
  message: DeliveryMessage;
}

export function encodeEnvelope(from: string, message: DeliveryMessage): string {
  return JSON.stringify({ from, message } satisfies Envelope);
}

/** The envelope of a channel message; throws when the payload is not JSON. */
export function decodeEnvelope(payload: string): Envelope {
  return JSON.parse(payload) as Envelope;
}

/** The part of a message for some of its users, so a node receives only what it delivers. */
export function narrow(message: DeliveryMessage, userIds: readonly string[]): DeliveryMessage {
  if (message.kind !== 'notification') return message;
  const users = new Set(userIds);
  return { ...message, recipients: message.recipients.filter((recipient) => users.has(recipient.userId)) };
}
