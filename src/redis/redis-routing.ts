import { Redis } from 'ioredis';
import { DeliveryMessage } from '../delivery/delivery-bus';
import { encodeEnvelope, narrow } from './redis-envelope';
import { RedisKeys } from './redis-keys';

/**
 * Publishes a message to the nodes that hold its users, each narrowed to the users it holds
 * (not to every node, as the Socket.IO Redis adapter does); `everyone` goes on the shared
 * channel. The sending node delivers to its own sessions itself.
 */
export async function publishToHolders(
  commands: Redis,
  keys: RedisKeys,
  fromNodeId: string,
  message: DeliveryMessage,
  audience: readonly string[] | 'everyone',
): Promise<void> {
  if (audience === 'everyone') {
    await commands.publish(keys.everyoneChannel, encodeEnvelope(fromNodeId, message));
    return;
  }
  const lookup = commands.pipeline();
  for (const userId of audience) lookup.hkeys(keys.user(userId));
  const usersByNode = new Map<string, string[]>();
  (await lookup.exec())!.forEach(([error, nodeIds], index) => {
    if (error) throw error;
    for (const nodeId of nodeIds as string[]) {
      if (nodeId === fromNodeId) continue;
      let users = usersByNode.get(nodeId);
      if (!users) usersByNode.set(nodeId, (users = []));
      users.push(audience[index]);
    }
  });
  if (usersByNode.size === 0) return;
  const publishing = commands.pipeline();
  for (const [nodeId, users] of usersByNode)
    publishing.publish(keys.nodeChannel(nodeId), encodeEnvelope(fromNodeId, narrow(message, users)));
  for (const [error] of (await publishing.exec())!) if (error) throw error;
}
