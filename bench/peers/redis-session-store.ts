/**
 * A small Redis session store for Telegraf's `session({ store })`, as a Telegraf bot on Redis would
 * write it: one JSON string per session key (GET, SET with EX, DEL).
 */
import type { Redis } from 'ioredis';
import type { AsyncSessionStore } from 'telegraf/session';

/** A session store on `redis` under `prefix`, expiring `ttlSeconds` after the last write. */
export function createRedisSessionStore<T>(redis: Redis, prefix: string, ttlSeconds: number): AsyncSessionStore<T> {
  return {
    async get(name) {
      const json = await redis.get(`${prefix}${name}`);
      return json === null ? undefined : (JSON.parse(json) as T);
    },
    set: (name, value) => redis.set(`${prefix}${name}`, JSON.stringify(value), 'EX', ttlSeconds),
    delete: (name) => redis.del(`${prefix}${name}`),
  };
}
