/**
 * `eraseRemnants` of the Redis store. Redis keeps its data on disk in an RDB snapshot (dump.rdb, when
 * save points are set) and in an append-only file (every write since its last rewrite — the purged
 * values among them, and the purge's own LREMs name them too). Both are written again from memory,
 * where the purged data no longer is: BGSAVE SCHEDULE (after a save already running, which began
 * before the purge) and BGREWRITEAOF (asked again while a rewrite that began before the purge runs).
 * A save or rewrite counts once it began after the request (INFO's `rdb_saves` and `aof_rewrites`
 * count starts) and nothing is running any more; the call waits for that up to a bound. Old AOF
 * files are deleted by Redis once the rewrite is in place.
 */
import type { Redis } from 'ioredis';
import type { RemnantErasure } from './store.js';

/** How long {@link rewritePersistence} waits, and how often it looks. */
export interface RewriteWait {
  waitMs: number;
  pollMs: number;
}

/** The default wait: a snapshot of a store of this size takes well under a second. */
export const DEFAULT_REWRITE_WAIT: RewriteWait = { waitMs: 60_000, pollMs: 100 };

/** The fields of `INFO persistence`. */
async function persistenceInfo(redis: Redis): Promise<Map<string, string>> {
  const text = await redis.info('persistence');
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** True when RDB save points are set; undefined when CONFIG is not allowed (a managed Redis). */
async function snapshotsOn(redis: Redis): Promise<boolean | undefined> {
  try {
    const reply: unknown = await redis.call('CONFIG', 'GET', 'save');
    return Array.isArray(reply) && typeof reply[1] === 'string' && reply[1].trim() !== '';
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks for an AOF rewrite; while one that began earlier runs, asks again. False when refused or out of time. */
async function requestAofRewrite(redis: Redis, deadline: number, pollMs: number): Promise<boolean> {
  for (;;) {
    try {
      await redis.call('BGREWRITEAOF');
      return true;
    } catch (error) {
      const inProgress = error instanceof Error && /already in progress/i.test(error.message);
      if (!inProgress || Date.now() >= deadline) return false;
      await sleep(pollMs);
    }
  }
}

/** True when a save (or rewrite) counted by `counter` began after `before` and none is running. */
function finished(info: Map<string, string>, counter: string, before: number, running: string[], status: string): boolean | 'failed' {
  if (Number(info.get(counter) ?? 0) <= before || running.some((field) => info.get(field) !== '0')) return false;
  return info.get(status) === 'ok' ? true : 'failed';
}

/** Rewrites Redis's snapshot and AOF from memory and waits for both; see the file comment. */
export async function rewritePersistence(redis: Redis, wait: RewriteWait = DEFAULT_REWRITE_WAIT): Promise<RemnantErasure> {
  const deadline = Date.now() + wait.waitMs;
  const before = await persistenceInfo(redis);
  const aof = before.get('aof_enabled') === '1';
  const rdb = await snapshotsOn(redis);
  if (rdb === false && !aof) return 'not-persisted';
  if (!before.has('rdb_saves') || !before.has('aof_rewrites')) return 'manual';
  const saves = Number(before.get('rdb_saves'));
  const rewrites = Number(before.get('aof_rewrites'));
  try {
    if (rdb === true) await redis.call('BGSAVE', 'SCHEDULE');
  } catch {
    return 'manual';
  }
  if (aof && !(await requestAofRewrite(redis, deadline, wait.pollMs))) return 'manual';
  for (;;) {
    const now = await persistenceInfo(redis);
    const snapshot = rdb === true ? finished(now, 'rdb_saves', saves, ['rdb_bgsave_in_progress'], 'rdb_last_bgsave_status') : true;
    const rewrite = aof ? finished(now, 'aof_rewrites', rewrites, ['aof_rewrite_in_progress', 'aof_rewrite_scheduled'], 'aof_last_bgrewrite_status') : true;
    if (snapshot === 'failed' || rewrite === 'failed') return 'manual';
    // Without CONFIG the snapshot side is unknown: the AOF was handled, the operator must check the rest.
    if (snapshot && rewrite) return rdb === undefined ? 'manual' : 'rewritten';
    if (Date.now() >= deadline) return 'pending';
    await sleep(wait.pollMs);
  }
}
