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
  // Plain commands, not a pipeline object per send: the connection auto-pipelines them with
  // whatever else this turn of the event loop sends (a Pipeline is costly to build in ioredis).
  const holders = await Promise.all(audience.map((userId) => commands.hkeys(keys.user(userId))));
  const usersByNode = new Map<string, string[]>();
  holders.forEach((nodeIds, index) => {
    for (const nodeId of nodeIds) {
      if (nodeId === fromNodeId) continue;
      let users = usersByNode.get(nodeId);
      if (!users) usersByNode.set(nodeId, (users = []));
      users.push(audience[index]);
    }
  });
  await Promise.all(
    [...usersByNode].map(([nodeId, users]) =>
      commands.publish(keys.nodeChannel(nodeId), encodeEnvelope(fromNodeId, narrow(message, users))),
    ),
  );
}
