/**
 * `purgeEvent` and `countEvent` of the Redis store: what belongs to an event is decided in
 * purge-scope.ts; here it is found and deleted in batches while the bot keeps running. Sessions are
 * walked with SCAN (never KEYS), the audit list is read in slices from its tail (new entries are pushed
 * at the head, so no entry is skipped or read twice) and its matches removed by value with LREM, each
 * filing is removed from its indexes and deleted in one small script, and a session whose draft edits
 * a filing is deleted only at the version that was read (a compare-and-delete). A purge that stops
 * halfway (Redis went away) is finished by running it again: the receipts go last.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { StoreError } from '../kernel/errors.js';
import { requireName } from './commit-request.js';
import type { RedisKeys } from './keys.js';
import { auditReceiptOf, collectTraces, emptyPurgeCounts, queueScope, sessionBelongs, takesUntaggedRecords, type PurgeTraces } from './purge-scope.js';
import { countQueued, purgeQueued } from './redis-purge-queues.js';
import { rewritePersistence } from './redis-persistence.js';
import type { RedisCall } from './redis-side-tables.js';
import type { EventPurge, PurgeCounts, PurgeOptions } from './store.js';

/** The Store methods {@link createRedisPurge} builds. */
export type RedisPurge = EventPurge;

/** What {@link createRedisPurge} needs from the store that owns the client. */
export interface RedisPurgeContext {
  /** The store's client. */
  redis: Redis;
  /** The store's key builders (with its prefix). */
  keys: RedisKeys;
  /** The store's error and after-close wrapper; every method runs through it. */
  call: RedisCall;
}

/** Keys, list entries or receipts handled per round trip: small enough never to block Redis noticeably. */
const BATCH = 200;

/** Removes one filing from every index it is listed in (its `ix`) and from the event index, then deletes it. */
const PURGE_FILING_LUA = `
local ix = redis.call('HGET', KEYS[1], 'ix')
if ix then
  local ok, indexes = pcall(cjson.decode, ix)
  if ok and type(indexes) == 'table' then
    for _, index in ipairs(indexes) do
      if type(index) == 'string' then redis.call('ZREM', index, ARGV[1]) end
    end
  end
end
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('UNLINK', KEYS[1])
`;

/** Deletes a session only when it is still at the version read (the user may have moved on since). */
const DELETE_SESSION_AT_LUA = `
if redis.call('HGET', KEYS[1], 'v') == ARGV[1] then return redis.call('UNLINK', KEYS[1]) end
return 0
`;

/** Runs a pipeline and returns its replies, throwing the first command error. */
async function execAll(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, reply]) => {
    if (error !== null) throw error;
    return reply;
  });
}

/** Reads an integer reply. */
function toCount(reply: unknown): number {
  if (typeof reply !== 'number' || !Number.isSafeInteger(reply)) {
    throw new StoreError(`redis store: purge got an unexpected reply ${JSON.stringify(reply)}`);
  }
  return reply;
}

/** The sum of integer replies. */
function sumOf(replies: unknown[]): number {
  return replies.reduce<number>((sum, reply) => sum + toCount(reply), 0);
}

/** Splits `items` into slices of {@link BATCH}. */
function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += BATCH) yield items.slice(start, start + BATCH);
}

/**
 * Builds the purge methods of the Redis store, so that openRedisStore can spread them into its Store
 * object with one line. Same semantics as the SQLite purge (sqlite-purge.ts); the contract suite holds
 * both to them.
 */
export function createRedisPurge(context: RedisPurgeContext): RedisPurge {
  const { redis, keys, call } = context;

  /** The event's receipts, from its index (every filing is listed there by the commit script). */
  async function receiptsOf(eventId: string): Promise<string[]> {
    return redis.zrange(keys.filingsByEvent(eventId), 0, '-1');
  }

  /** What ties waiting entries to the filings of `receipts` (their envelopes read in batches). */
  async function tracesOf(receipts: readonly string[]): Promise<PurgeTraces> {
    const filings: Array<{ receipt: string; envelope: string | null }> = [];
    for (const batch of batches(receipts)) {
      const pipeline = redis.pipeline();
      for (const receipt of batch) pipeline.hget(keys.filing(receipt), 'e');
      const envelopes = await execAll(pipeline);
      batch.forEach((receipt, i) => filings.push({ receipt, envelope: typeof envelopes[i] === 'string' ? envelopes[i] : null }));
    }
    return collectTraces(filings);
  }

  /** The audit entries about `receipts`: each distinct envelope with how often it occurs. */
  async function matchingAudit(receipts: ReadonlySet<string>): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (receipts.size === 0) return found;
    for (let fromTail = 0; ; fromTail += BATCH) {
      const slice = await redis.lrange(keys.audit(), -(fromTail + BATCH), -(fromTail + 1));
      for (const envelope of slice) {
        const receipt = auditReceiptOf(envelope);
        if (receipt !== undefined && receipts.has(receipt)) found.set(envelope, (found.get(envelope) ?? 0) + 1);
      }
      if (slice.length < BATCH) return found;
    }
  }

  /** Walks every session key with SCAN and hands each batch on. */
  async function eachSessionBatch(handle: (batch: string[]) => Promise<void>): Promise<void> {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', keys.sessionPattern(), 'COUNT', BATCH, 'TYPE', 'hash');
      cursor = next;
      if (batch.length > 0) await handle(batch);
    } while (cursor !== '0');
  }

  /** The sessions of `batch` that belong to the event, with the version each was read at. */
  async function belongingSessions(
    batch: string[],
    receipts: ReadonlySet<string>,
    options: PurgeOptions | undefined,
  ): Promise<Array<{ key: string; version: string | null }>> {
    if (takesUntaggedRecords(options)) return batch.map((key) => ({ key, version: null }));
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.hmget(key, 'v', 'e');
    const replies = await execAll(pipeline);
    return batch.flatMap((key, i) => {
      const [version, envelope] = (replies[i] ?? []) as Array<string | null>;
      if (typeof version !== 'string' || typeof envelope !== 'string') return [];
      return sessionBelongs(envelope, receipts, options) ? [{ key, version }] : [];
    });
  }

  /** How many fields (HLEN) or entries (LLEN) a key holds, and deletes it when `remove` — atomically. */
  async function sizeAndMaybeDelete(key: string, kind: 'hash' | 'list', remove: boolean): Promise<number> {
    const transaction = redis.multi();
    if (kind === 'hash') transaction.hlen(key);
    else transaction.llen(key);
    if (remove) transaction.unlink(key);
    const [size] = await execAll(transaction);
    return toCount(size);
  }

  async function countEvent(eventId: string, options: PurgeOptions | undefined): Promise<PurgeCounts> {
    const receipts = await receiptsOf(eventId);
    const counts = emptyPurgeCounts();
    for (const batch of batches(receipts)) counts.filings += await redis.exists(...batch.map((r) => keys.filing(r)));
    for (const occurrences of (await matchingAudit(new Set(receipts))).values()) counts.auditEntries += occurrences;
    const sessions = new Set<string>();
    await eachSessionBatch(async (batch) => {
      for (const { key } of await belongingSessions(batch, new Set(receipts), options)) sessions.add(key);
    });
    counts.sessions = sessions.size;
    counts.declarations = await sizeAndMaybeDelete(keys.declarations(eventId), 'hash', false);
    if (takesUntaggedRecords(options)) counts.reminderOutcomes = await sizeAndMaybeDelete(keys.reminders(), 'list', false);
    Object.assign(counts, await countQueued({ redis, keys }, queueScope(await tracesOf(receipts), options)));
    return counts;
  }

  async function purgeEvent(eventId: string, options: PurgeOptions | undefined): Promise<PurgeCounts> {
    const receipts = await receiptsOf(eventId);
    const receiptSet = new Set(receipts);
    const removed = emptyPurgeCounts();
    // The waiting entries, audit and sessions first, while the filings that find them are still there.
    Object.assign(removed, await purgeQueued({ redis, keys }, queueScope(await tracesOf(receipts), options)));
    for (const envelopes of batches([...(await matchingAudit(receiptSet)).keys()])) {
      const pipeline = redis.pipeline();
      for (const envelope of envelopes) pipeline.lrem(keys.audit(), 0, envelope);
      removed.auditEntries += sumOf(await execAll(pipeline));
    }
    await eachSessionBatch(async (batch) => {
      const belonging = await belongingSessions(batch, receiptSet, options);
      if (belonging.length === 0) return;
      if (takesUntaggedRecords(options)) {
        removed.sessions += await redis.unlink(...belonging.map((session) => session.key));
        return;
      }
      const pipeline = redis.pipeline();
      for (const { key, version } of belonging) pipeline.eval(DELETE_SESSION_AT_LUA, 1, key, version ?? '');
      removed.sessions += sumOf(await execAll(pipeline));
    });
    removed.declarations = await sizeAndMaybeDelete(keys.declarations(eventId), 'hash', true);
    if (takesUntaggedRecords(options)) removed.reminderOutcomes = await sizeAndMaybeDelete(keys.reminders(), 'list', true);
    for (const batch of batches(receipts)) {
      const pipeline = redis.pipeline();
      for (const receipt of batch) {
        pipeline.eval(PURGE_FILING_LUA, 2, keys.filing(receipt), keys.filingsByEvent(eventId), receipt);
      }
      removed.filings += sumOf(await execAll(pipeline));
    }
    return removed;
  }

  return {
    purgeEvent: (eventId, options) =>
      call('purgeEvent', async () => {
        requireName('redis', eventId, 'eventId');
        return purgeEvent(eventId, options);
      }),

    countEvent: (eventId, options) =>
      call('countEvent', async () => {
        requireName('redis', eventId, 'eventId');
        return countEvent(eventId, options);
      }),

    eraseRemnants: () => call('eraseRemnants', () => rewritePersistence(redis)),
  };
}
