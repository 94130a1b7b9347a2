/**
 * What only the Redis store can show about the durable inbox and the outbox: a waiting take blocks
 * on a connection of its own (the shared one keeps answering) and is ended by `close`; a stream or
 * group deleted under the inbox is made again; entries deleted while pending are skipped (and
 * acknowledged) by a reclaim; acknowledged entries leave their stream; the keys are the documented ones.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import { createRedisKeys } from '../../src/store/keys.js';
import { FORGET_IDLE_CONSUMERS_LUA, INBOX_GROUP } from '../../src/store/redis-inbox.js';
import { connectRedisStore, type RedisStore } from '../../src/store/redis-store.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';
import { SESSION_TTL_MS, uniqueKey } from '../support/store-fixtures.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('redis store: inbox and outbox', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A store under a fresh prefix, a raw client beside it, and the prefix's keys. */
  async function openStore(): Promise<{ store: RedisStore; raw: Redis; keys: ReturnType<typeof createRedisKeys> }> {
    const prefix = `test:${randomUUID().slice(0, 12)}:`;
    const store = await connectRedisStore({ url: REDIS_URL, prefix, maxWaitMs: 10_000 });
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => {
      await store.close();
      await raw.quit();
      await deleteKeysByPrefix(REDIS_URL, prefix);
    });
    return { store, raw, keys: createRedisKeys(prefix) };
  }

  it('forgets consumers that hold nothing and idle past the threshold, never one with entries in hand', async () => {
    const { store, raw, keys } = await openStore();
    for (let i = 0; i < 3; i += 1) await store.inboxAppend(0, `body-${i}`);
    const gone = await store.inboxTake('gone', [0], 1, 0);
    expect(await store.inboxTake('busy', [0], 1, 0)).toHaveLength(1);
    await store.inboxAck(gone);
    const names = async (): Promise<string[]> =>
      ((await raw.xinfo('CONSUMERS', keys.inbox(0), INBOX_GROUP)) as unknown[][]).map((c) => String(c[1])).sort();
    expect(await names()).toEqual(['busy', 'gone']);
    // An idle threshold of 0: 'gone' holds nothing now and goes; 'busy' keeps its entry; the caller stays.
    await raw.eval(FORGET_IDLE_CONSUMERS_LUA, 1, keys.inbox(0), INBOX_GROUP, 'me', '0');
    expect(await names()).toEqual(['busy']);
    expect((await store.inboxReclaim('me', 0)).map((e) => e.body)).toEqual(['body-1']);
  });

  it('waits on a connection of its own: the store answers other calls while a take waits', async () => {
    const { store } = await openStore();
    const events: string[] = [];
    const waiting = store.inboxTake('worker-a', [0, 1], 5, 1_500).then((entries) => events.push(`take ${entries.map((e) => e.body).join()}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.ping();
    events.push('ping');
    expect(await store.inboxDepth(2)).toEqual([0, 0]);
    events.push('depth');
    await store.inboxAppend(1, 'wake');
    await waiting;
    expect(events).toEqual(['ping', 'depth', 'take wake']);
  });

  it('ends a waiting take with a StoreError on close, and closes its connection', async () => {
    const { store, raw } = await openStore();
    const waiting = store.inboxTake('worker-a', [0], 1, 5_000);
    const settled = waiting.then(
      () => 'resolved',
      (error: unknown) => (error instanceof StoreError ? 'store error' : 'other error'),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const blockedBefore = Number(/blocked_clients:(\d+)/.exec(await raw.info('clients'))?.[1]);
    expect(blockedBefore).toBeGreaterThanOrEqual(1);
    await store.close();
    expect(await settled).toBe('store error');
    await expect(store.inboxTake('worker-a', [0], 1, 100)).rejects.toBeInstanceOf(StoreError);
  });

  it('makes the group again when the stream was deleted, and skips entries deleted while pending', async () => {
    const { store, raw, keys } = await openStore();
    const first = await store.inboxAppend(0, 'first');
    expect((await store.inboxTake('worker-a', [0], 5, 0)).map((e) => e.id)).toEqual([first]);
    await raw.del(keys.inbox(0));
    expect(await store.inboxReclaim('worker-b', 0)).toEqual([]);
    const kept = [await store.inboxAppend(0, 'a'), await store.inboxAppend(0, 'b'), await store.inboxAppend(0, 'c')];
    expect(await store.inboxTake('worker-a', [0], 5, 0)).toHaveLength(3);
    await raw.xdel(keys.inbox(0), kept[1] ?? '');
    const reclaimed = await store.inboxReclaim('worker-b', 0);
    expect(reclaimed.map((e) => e.body)).toEqual(['a', 'c']);
    // The deleted entry is no longer pending: a later reclaim does not meet it again.
    const pending = await raw.xpending(keys.inbox(0), INBOX_GROUP);
    expect(pending[0]).toBe(2);
    await raw.xgroup('DESTROY', keys.inbox(0), INBOX_GROUP);
    await store.inboxAppend(0, 'after the group went');
    expect((await store.inboxTake('worker-c', [0], 5, 0)).map((e) => e.body)).toEqual(['a', 'c', 'after the group went']);
  });

  it('deletes acknowledged entries from their stream and keeps the outbox under the documented keys', async () => {
    const { store, raw, keys } = await openStore();
    const entries = [await store.inboxAppend(2, 'x'), await store.inboxAppend(2, 'y')];
    await store.inboxTake('worker-a', [2], 5, 0);
    await store.inboxAck([{ id: entries[0] ?? '', partition: 2 }]);
    expect(await raw.xlen(keys.inbox(2))).toBe(1);
    expect(keys.inbox(2)).toBe(`${keys.prefix}inbox:2`);
    const key = uniqueKey('outbox-keys');
    const outbox = { id: 'update-9', platform: 'telegram', chatId: 'a:b', body: 'replies', route: '' };
    await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, outbox });
    expect(keys.outbox('telegram', 'a:b')).toBe(`${keys.prefix}outbox:["telegram","a:b"]`);
    expect(await raw.lrange(keys.outbox('telegram', 'a:b'), 0, -1)).toEqual([JSON.stringify(outbox)]);
    expect(await raw.smembers(keys.outboxChats())).toEqual(['["telegram","a:b"]']);
    expect(await store.outboxDone('telegram', 'a:b', 'update-9')).toBe(true);
    expect(await raw.exists(keys.outbox('telegram', 'a:b'), keys.outboxChats())).toBe(0);
  });
});
