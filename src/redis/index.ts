// `nest-live-notifications/redis`: the parts that need ioredis, apart from the main entry so a
// host on one node never loads it.
export { RedisDeliveryBus } from './redis-delivery-bus';
export type { RedisDeliveryBusOptions } from './redis-delivery-bus';
