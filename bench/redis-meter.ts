/**
 * What the benchmark measures on Redis: round trips and commands a target's own ioredis clients send
 * (counted on the client), commands the server executed (`INFO commandstats` deltas on a separate admin
 * connection), and the memory of given keys (`MEMORY USAGE`).
 *
 * Round trips: ioredis writes each command to its socket with one `stream.write`, except that a
 * pipeline (explicit, MULTI/EXEC, or auto-pipelining) is written as one buffer with one write. So the
 * number of writes on the client's socket is the number of request/response round trips the client
 * started; {@link meterClient} wraps `stream.write` on every (re)connect to count them, and wraps
 * `sendCommand` to count the commands sent (pipelined ones included). Under load, auto-pipelining
 * (our client enables it) merges the commands of concurrent updates into one write, so the round trips
 * on one update's path are counted with one update in flight (bench/run-target.ts).
 */
import type { Redis } from 'ioredis';

/** Counters of one metered client. */
export interface ClientMeter {
  writes: number;
  commands: number;
}

/** Counts socket writes and commands of `redis` into `meter` (shared by all clients of one target). */
export function meterClient(redis: Redis, meter: ClientMeter): Redis {
  const wrapStream = (): void => {
    const stream = redis.stream as (NodeJS.WritableStream & { benchMetered?: boolean }) | undefined;
    if (stream === undefined || stream.benchMetered === true) return;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (...args: unknown[]): boolean => {
      meter.writes += 1;
      return write(...args);
    };
    stream.benchMetered = true;
  };
  wrapStream();
  redis.on('connect', wrapStream);
  const sendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
    meter.commands += 1;
    return sendCommand(...args);
  };
  return redis;
}

/** Calls per command name from `INFO commandstats`. */
export async function commandStats(admin: Redis): Promise<Map<string, number>> {
  const info = await admin.info('commandstats');
  const stats = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== undefined && match[2] !== undefined) stats.set(match[1], Number(match[2]));
  }
  return stats;
}

/** Commands the server ran between two snapshots, leaving out the admin's own `info` calls. */
export function commandsBetween(before: Map<string, number>, after: Map<string, number>): { total: number; byCommand: Record<string, number> } {
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [name, calls] of after) {
    if (name === 'info') continue;
    const delta = calls - (before.get(name) ?? 0);
    if (delta <= 0) continue;
    byCommand[name] = delta;
    total += delta;
  }
  return { total, byCommand };
}

/** Mean `MEMORY USAGE` (bytes) over users, each summing the keys it holds; 0 when nothing is found. */
export async function meanBytesPerUser(admin: Redis, keysPerUser: readonly string[][]): Promise<{ bytes: number; usersWithKeys: number }> {
  let total = 0;
  let users = 0;
  for (const keys of keysPerUser) {
    let bytes = 0;
    for (const key of keys) {
      const usage = await admin.memory('USAGE', key, 'SAMPLES', '0');
      if (typeof usage === 'number') bytes += usage;
    }
    if (bytes > 0) {
      total += bytes;
      users += 1;
    }
  }
  return { bytes: users === 0 ? 0 : Math.round(total / users), usersWithKeys: users };
}

/** Keys matching a SCAN pattern in the admin's db. */
export async function scanKeys(admin: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}
