/**
 * The durable inbox of the Redis Store. The inbox is one stream per partition, read
 * through the consumer group `workers` (created on first use). A take is one Lua script: it takes
 * exactly up to `max` entries, the oldest first across the partitions (stream ids are append times,
 * so a busy partition cannot starve the others). When it finds nothing and the caller may wait, a
 * blocking XREAD on a connection of its own (a BLOCK on the shared one would stall every other call)
 * waits for the next append and the take runs again; the XREAD only wakes the caller, it takes
 * nothing, so a blocking read given up by the client loses no entry. An acknowledged entry is deleted
 * from its stream (XACK + XDEL), so a stream's length is the number of updates waiting and nothing
 * needs trimming. The outbox is in redis-outbox.ts.
 */
import type { Redis } from 'ioredis';
import { StoreError } from '../kernel/errors.js';
import { requireCount, requireName } from './commit-request.js';
import type { RedisKeys } from './keys.js';
import type { StoreScripts } from './redis-scripts.js';
import { INBOX_GROUP } from './keys.js';

export { INBOX_GROUP };
import type { RedisCall } from './redis-side-tables.js';
import type { Inbox, InboxEntry } from './store.js';


/** Pending entries claimed, or read back, per round trip of a reclaim. */
const RECLAIM_BATCH = 200;

/** How much longer than its BLOCK the client waits for a blocking read before it treats it as lost. */
const BLOCK_GRACE_MS = 2_000;

/** What {@link createRedisInbox} needs from the store that owns the client. */
export interface RedisInboxContext {
  /** The store's client (the blocking connection is its duplicate). */
  redis: Redis;
  /** The store's key builders (with its prefix). */
  keys: RedisKeys;
  /** The store's registered Lua scripts (the take). */
  scripts: StoreScripts;
  /** The store's error and after-close wrapper; every method runs through it. */
  call: RedisCall;
}

/** The inbox methods, and the release of the blocking connection (for the store's close). */
export interface RedisInbox {
  methods: Inbox;
  /** Disconnects the blocking connection, if one was opened; a take waiting on it rejects. */
  close(): void;
}

/** A stream entry as read back; `body` undefined when the entry was deleted while pending. */
interface StreamEntry {
  id: string;
  body: string | undefined;
}

function badReply(command: string, reply: unknown): StoreError {
  const shown = JSON.stringify(reply)?.slice(0, 200) ?? String(reply);
  return new StoreError(`redis store: unexpected reply to ${command}: ${shown}`);
}

/** The entries of one stream of a read reply: [id, [field, value, …] | null] each. */
function entriesOf(reply: unknown, items: unknown): StreamEntry[] {
  if (!Array.isArray(items)) throw badReply('XREADGROUP', reply);
  const list: unknown[] = items;
  return list.map((item): StreamEntry => {
    if (!Array.isArray(item)) throw badReply('XREADGROUP', reply);
    const pair: unknown[] = item;
    const [id, fields] = pair;
    if (typeof id !== 'string') throw badReply('XREADGROUP', reply);
    if (fields === null) return { id, body: undefined };
    if (!Array.isArray(fields)) throw badReply('XREADGROUP', reply);
    const pairs: unknown[] = fields;
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const value = pairs[i + 1];
      if (pairs[i] === 'b' && typeof value === 'string') return { id, body: value };
    }
    return { id, body: '' };
  });
}

/**
 * The entries of an XREADGROUP reply, whichever protocol the client speaks: RESP2 answers
 * [[key, entries], …], RESP3 (in ioredis's legacy mapping) a flat [key, entries, …]; null when empty.
 */
function streamEntries(reply: unknown): StreamEntry[] {
  if (reply === null) return [];
  if (!Array.isArray(reply)) throw badReply('XREADGROUP', reply);
  const items: unknown[] = reply;
  if (typeof items[0] === 'string') return items.flatMap((item, i) => (i % 2 === 1 ? entriesOf(reply, item) : []));
  return items.flatMap((stream) => {
    if (!Array.isArray(stream)) throw badReply('XREADGROUP', reply);
    const pair: unknown[] = stream;
    return entriesOf(reply, pair[1]);
  });
}

/** True when `error` is Redis's answer for a stream or group that does not exist. */
function isNoGroup(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOGROUP');
}

/** Consumers idle this long with nothing pending are forgotten (a restarted instance has a new name). */
const FORGET_CONSUMER_IDLE_MS = 60_000;

/**
 * KEYS = a stream; ARGV = group, the reclaiming consumer, idle ms. Deletes the group's other consumers
 * that hold nothing and have not read for the idle time; atomic, so none takes an entry meanwhile.
 */
export const FORGET_IDLE_CONSUMERS_LUA = `
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local name, pending, idle
  for i = 1, #c - 1, 2 do
    if c[i] == 'name' then name = c[i + 1] elseif c[i] == 'pending' then pending = c[i + 1] elseif c[i] == 'idle' then idle = c[i + 1] end
  end
  if name ~= ARGV[2] and pending == 0 and idle and idle >= tonumber(ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
  end
end
return 1
`;

/** Builds the inbox methods of the Redis store; see the file comment. */
export function createRedisInbox(context: RedisInboxContext): RedisInbox {
  const { redis, keys, scripts, call } = context;
  let blocking: Redis | undefined;
  let closed = false;

  /** The connection blocking reads wait on, opened on first use (never after close). */
  function blockingClient(): Redis {
    if (closed) throw new StoreError('redis store: inboxTake after close');
    if (blocking !== undefined) return blocking;
    const client = redis.duplicate({
      connectionName: `${redis.options.connectionName ?? 'sciweek-bot'}:inbox`,
      // A blocking read outlasts any command timeout; the client gives it up BLOCK + grace instead.
      commandTimeout: undefined,
      blockingTimeout: BLOCK_GRACE_MS,
      blockingTimeoutGrace: BLOCK_GRACE_MS,
      enableOfflineQueue: true,
      enableAutoPipelining: false,
    });
    client.once('ready', () => {
      client.options.enableOfflineQueue = false;
    });
    client.on('error', () => undefined);
    blocking = client;
    return client;
  }

  /** Runs `read` on the stream; when its group is missing (the stream was deleted), creates it and reads again once. */
  async function withGroup<T>(key: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (!isNoGroup(error)) throw error;
      await redis.xgroup('CREATE', key, INBOX_GROUP, '0', 'MKSTREAM').catch((created: unknown) => {
        if (!(created instanceof Error && created.message.startsWith('BUSYGROUP'))) throw created;
      });
      return read();
    }
  }

  async function take(consumer: string, partitions: readonly number[], max: number, waitMs: number): Promise<InboxEntry[]> {
    const unique = [...new Set(partitions)];
    const streams = unique.map((partition) => keys.inbox(partition));
    const deadline = Date.now() + waitMs;
    for (;;) {
      const reply = await scripts.inboxTake(streams, INBOX_GROUP, consumer, max);
      if (reply.entries.length > 0) {
        return reply.entries.map(({ stream, id, body }) => ({ id, partition: unique[stream] ?? -1, body }));
      }
      const left = Math.ceil(deadline - Date.now());
      if (left <= 0) return [];
      // Wakes on an append after what the group has delivered; another consumer may take it first.
      const woke = await blockingClient().call('XREAD', 'COUNT', '1', 'BLOCK', String(left), 'STREAMS', ...streams, ...reply.lastDelivered);
      if (woke === null) return [];
    }
  }

  async function reclaim(consumer: string, partition: number): Promise<InboxEntry[]> {
    const key = keys.inbox(partition);
    return withGroup(key, async () => {
      // Every pending entry, whoever holds it, moves to `consumer` (min-idle 0), page by page.
      let cursor = '0-0';
      do {
        const reply: unknown = await redis.xautoclaim(key, INBOX_GROUP, consumer, 0, cursor, 'COUNT', RECLAIM_BATCH, 'JUSTID');
        const next: unknown = Array.isArray(reply) ? reply[0] : undefined;
        if (typeof next !== 'string') throw badReply('XAUTOCLAIM', reply);
        cursor = next;
      } while (cursor !== '0-0');
      const entries: InboxEntry[] = [];
      const deleted: string[] = [];
      for (let after = '0'; ; ) {
        const page = streamEntries(await redis.call('XREADGROUP', 'GROUP', INBOX_GROUP, consumer, 'COUNT', RECLAIM_BATCH, 'STREAMS', key, after));
        for (const { id, body } of page) {
          if (body === undefined) deleted.push(id);
          else entries.push({ id, partition, body });
        }
        const last = page.at(-1);
        if (last === undefined || page.length < RECLAIM_BATCH) break;
        after = last.id;
      }
      // Entries deleted while pending (a purge, a manual XDEL) have nothing left to handle.
      if (deleted.length > 0) await redis.xack(key, INBOX_GROUP, ...deleted);
      await redis.eval(FORGET_IDLE_CONSUMERS_LUA, 1, key, INBOX_GROUP, consumer, String(FORGET_CONSUMER_IDLE_MS));
      return entries;
    });
  }

  async function ack(entries: readonly Pick<InboxEntry, 'id' | 'partition'>[]): Promise<void> {
    const byPartition = new Map<number, string[]>();
    for (const { id, partition } of entries) {
      requireCount('redis', partition, 'partition', 0);
      requireName('redis', id, 'inbox entry id');
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), id]);
    }
    if (byPartition.size === 0) return;
    const transaction = redis.multi();
    for (const [partition, ids] of byPartition) {
      transaction.xack(keys.inbox(partition), INBOX_GROUP, ...ids);
      transaction.xdel(keys.inbox(partition), ...ids);
    }
    for (const [error] of (await transaction.exec()) ?? []) {
      // A stream without its group (deleted meanwhile) has nothing pending to acknowledge.
      if (error !== null && !isNoGroup(error)) throw error;
    }
  }

  async function depth(partitions: number): Promise<number[]> {
    if (partitions === 0) return [];
    const pipeline = redis.pipeline();
    for (let partition = 0; partition < partitions; partition += 1) pipeline.xlen(keys.inbox(partition));
    return ((await pipeline.exec()) ?? []).map(([error, length]) => {
      if (error !== null) throw error;
      if (typeof length !== 'number') throw badReply('XLEN', length);
      return length;
    });
  }

  const methods: Inbox = {
    inboxAppend: (partition, body) =>
      call('inboxAppend', async () => {
        requireCount('redis', partition, 'partition', 0);
        const id = await redis.xadd(keys.inbox(partition), '*', 'b', body);
        if (typeof id !== 'string') throw badReply('XADD', id);
        return id;
      }),

    inboxAppendAndTake: (consumer, partition, body, max) =>
      call('inboxAppendAndTake', async () => {
        requireName('redis', consumer, 'consumer');
        requireCount('redis', partition, 'partition', 0);
        requireCount('redis', max, 'max', 1);
        const { id, taken } = await scripts.inboxAppendAndTake(keys.inbox(partition), body, INBOX_GROUP, consumer, max);
        return { id, entries: taken.map((entry) => ({ ...entry, partition })) };
      }),

    inboxTake: (consumer, partitions, max, waitMs) =>
      call('inboxTake', async () => {
        requireName('redis', consumer, 'consumer');
        for (const partition of partitions) requireCount('redis', partition, 'partition', 0);
        requireCount('redis', max, 'max', 1);
        requireCount('redis', waitMs, 'waitMs', 0);
        return partitions.length === 0 ? [] : take(consumer, partitions, max, waitMs);
      }),

    inboxReclaim: (consumer, partition) =>
      call('inboxReclaim', async () => {
        requireName('redis', consumer, 'consumer');
        requireCount('redis', partition, 'partition', 0);
        return reclaim(consumer, partition);
      }),

    inboxAck: (entries) => call('inboxAck', () => ack(entries)),

    inboxDepth: (partitions) =>
      call('inboxDepth', async () => {
        requireCount('redis', partitions, 'partitions', 0);
        return depth(partitions);
      }),
  };

  return {
    methods,
    close: () => {
      closed = true;
      blocking?.disconnect();
      blocking = undefined;
    },
  };
}
