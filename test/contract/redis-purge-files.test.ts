/**
 * What a purge leaves in Redis's files, read as raw bytes from disk, on a redis-server of the test's
 * own (a temp directory, `rdbcompression no` so values are stored as they are): a snapshot saved after
 * the purge holds none of the purged event's values — not the bytes of an update acknowledged long ago
 * that its stream kept — and every value of the event kept; when Redis persists (save points, AOF),
 * the purge's `eraseRemnants` rewrites dump.rdb and the AOF itself, and the old AOF files, which
 * hold every write, are gone.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { PURGED_COUNTS, readDirectory, readExisting, seedForFiles, valuesIn } from '../support/purge-files.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { createTestClock } from '../support/store-fixtures.js';

describe('redis purge: the files on disk', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A private redis-server with a store and an admin client on it. */
  async function start(appendOnly: boolean): Promise<{ server: RedisServer; store: Store; admin: Redis }> {
    const server = await startRedisServer({ appendOnly });
    cleanups.push(() => server.remove());
    const admin = new Redis(server.url);
    cleanups.push(async () => void (await admin.quit()));
    await admin.config('SET', 'rdbcompression', 'no');
    const store = await connectRedisStore({ url: server.url, prefix: 'sciweek:', nowMs: createTestClock().nowMs, maxWaitMs: 10_000 });
    cleanups.push(() => store.close());
    return { server, store, admin };
  }

  it('leaves none of the purged values in a snapshot saved after the purge, and every kept value', async () => {
    const { server, store, admin } = await start(false);
    const dump = path.join(server.dir, 'dump.rdb');
    const seeded = await seedForFiles(store);
    const lastId = await admin.xrevrange('sciweek:inbox:0', '+', '-', 'COUNT', 1);
    await admin.save();
    // The test can fail: before the purge every value is in the snapshot (the acknowledged draft message too).
    expect(valuesIn(readExisting([dump]), seeded.purgedValues)).toEqual(seeded.purgedValues);

    expect(await store.countEvent(seeded.purgedEvent)).toEqual(PURGED_COUNTS);
    expect(await store.purgeEvent(seeded.purgedEvent)).toEqual(PURGED_COUNTS);
    // This server was started without save points or AOF: there are no files to rewrite.
    expect(await store.eraseRemnants()).toBe('not-persisted');
    await admin.save();

    const bytes = readExisting([dump]);
    expect(valuesIn(bytes, seeded.purgedValues)).toEqual([]);
    expect(valuesIn(bytes, seeded.keptValues)).toEqual(seeded.keptValues);
    // The rebuilt stream goes on where it was: the kept update waits, a new one gets a later id.
    expect((await store.inboxTake('worker-2', [0], 10, 0)).map((entry) => entry.body)).toHaveLength(1);
    const next = await store.inboxAppend(0, 'next');
    expect(next > (lastId[0]?.[0] ?? '')).toBe(true);
    expect(await store.getFiling(seeded.kept.receipt)).toEqual(seeded.kept);
  });

  it('rewrites dump.rdb and the AOF itself when Redis persists, so no file holds a purged value', async () => {
    const { server, store, admin } = await start(true);
    await admin.config('SET', 'save', '3600 1');
    const aofDir = path.join(server.dir, 'appendonlydir');
    const dump = path.join(server.dir, 'dump.rdb');
    const seeded = await seedForFiles(store);
    // The test can fail: the AOF holds every write.
    expect(valuesIn(readDirectory(aofDir), seeded.purgedValues)).toEqual(seeded.purgedValues);

    expect(await store.purgeEvent(seeded.purgedEvent)).toEqual(PURGED_COUNTS);
    expect(await store.eraseRemnants()).toBe('rewritten');

    // Redis deletes the replaced AOF files in the background, right after the rewrite.
    for (let tries = 0; tries < 100 && valuesIn(readDirectory(aofDir), seeded.purgedValues).length > 0; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const aof = readDirectory(aofDir);
    expect(valuesIn(aof, seeded.purgedValues)).toEqual([]);
    expect(valuesIn(aof, seeded.keptValues)).toEqual(seeded.keptValues);
    const snapshot = readExisting([dump]);
    expect(valuesIn(snapshot, seeded.purgedValues)).toEqual([]);
    expect(valuesIn(snapshot, seeded.keptValues)).toEqual(seeded.keptValues);
  });
});
