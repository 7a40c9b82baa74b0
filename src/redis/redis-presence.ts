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

/**
 * Registers one more session of a user on a node unless the user would then hold more than
 * the limit on all live nodes. KEYS: the user's hash, the nodes' heartbeats, the node's users,
 * the online users. ARGV: the node id, the user id, the node's sessions of the user counting
 * the new one, the limit, the time now (ms). Answers 1 when registered, 0 when refused. One
 * script, so the count and the registration are one step for every node: two nodes admitting
 * the same user's sessions at the same moment cannot both pass the limit.
 */
const RESERVE_SESSION = `
local total = tonumber(ARGV[3])
local now = tonumber(ARGV[5])
local held = redis.call('HGETALL', KEYS[1])
for index = 1, #held, 2 do
  if held[index] ~= ARGV[1] then
    local expires = redis.call('ZSCORE', KEYS[2], held[index])
    if expires and tonumber(expires) >= now then total = total + tonumber(held[index + 1]) end
  end
end
if total > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See LEAVE_USER. */
    leaveUser(userKey: string, onlineUsersKey: string, nodeId: string, userId: string): Result<number, Context>;
    /** See RESERVE_SESSION. */
    reserveSession(
      userKey: string,
      nodesKey: string,
      nodeUsersKey: string,
      onlineUsersKey: string,
      nodeId: string,
      userId: string,
      sessionsOnNode: number,
      limit: number,
      now: number,
    ): Result<number, Context>;
  }
}

/** Teaches a connection (and its pipelines) the presence scripts, sent as EVALSHA once Redis knows them. */
export function definePresenceCommands(redis: Redis): void {
  redis.defineCommand('leaveUser', { numberOfKeys: 2, lua: LEAVE_USER });
  redis.defineCommand('reserveSession', { numberOfKeys: 4, lua: RESERVE_SESSION });
}
