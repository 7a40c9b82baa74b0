import { Redis, Result } from 'ioredis';

/**
 * Removes one node's sessions of a user (KEYS[1] the user's hash, ARGV[1] the node id) and,
 * when no node holds the user any more, the user (ARGV[2]) from the set of online users
 * (KEYS[2]). One script, so it runs atomically: a session that another node opens for the
 * same user at that moment cannot be lost from the set between the two steps.
 */
const LEAVE_USER = `
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See LEAVE_USER. */
    leaveUser(userKey: string, onlineUsersKey: string, nodeId: string, userId: string): Result<number, Context>;
  }
}

/** Teaches a connection (and its pipelines) `leaveUser`, sent as EVALSHA once Redis knows it. */
export function defineLeaveUser(redis: Redis): void {
  redis.defineCommand('leaveUser', { numberOfKeys: 2, lua: LEAVE_USER });
}
