/**
 * Runs the Store contract against the embedded SQLite store on a temporary file, plus what only the
 * SQLite store can show: damaged rows read as misses, two connections on one file (two processes)
 * share data and compare-and-set, and a closed store refuses work.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { describeStoreContract } from './store-contract.js';
import {
  createTestClock,
  makeAudit,
  makeFiling,
  makeSessionData,
  SESSION_TTL_MS,
  uniqueKey,
} from './store-fixtures.js';

/** Opens stores on fresh temp files; everything opened is closed and removed by `cleanup`. */
function createTempStores() {
  const dirs: string[] = [];
  const stores: Store[] = [];
  return {
    newFile: (): string => {
      const dir = mkdtempSync(join(tmpdir(), 'sciweek-store-'));
      dirs.push(dir);
      return join(dir, 'data', 'sciweek.db');
    },
    open: (file: string, nowMs: () => number): Store => {
      const store = createSqliteStore({ file, nowMs });
      stores.push(store);
      return store;
    },
    cleanup: async (): Promise<void> => {
      for (const store of stores.splice(0)) await store.close();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeStoreContract('sqlite', ({ nowMs }) => {
  const temp = createTempStores();
  const file = temp.newFile();
  return Promise.resolve({
    store: temp.open(file, nowMs),
    cleanup: temp.cleanup,
    reopen: () => Promise.resolve(temp.open(file, nowMs)),
  });
});

describe('sqlite store', () => {
  const temp = createTempStores();
  afterEach(() => temp.cleanup());

  it('reads a damaged or foreign envelope as a miss, and a save at version 0 replaces it', async () => {
    const clock = createTestClock();
    const file = temp.newFile();
    const store = temp.open(file, clock.nowMs);
    const key = uniqueKey('corrupt');
    const filing = makeFiling();
    await store.commit({
      key,
      expectedVersion: 0,
      data: makeSessionData(),
      sessionTtlMs: SESSION_TTL_MS,
      filings: [{ filing, expectedVersion: 0 }],
      audit: [makeAudit(filing.receipt, 'filing.submitted', filing.createdAt)],
    });
    const raw = new Database(file);
    for (const envelope of ['{not json', '{"v":2,"data":{}}', '{"v":1,"data":{"locale":"fr"}}', 'null', '[]']) {
      raw.prepare('UPDATE sessions SET envelope = ?').run(envelope);
      raw.prepare('UPDATE filings SET envelope = ?').run(envelope);
      raw.prepare('UPDATE audit SET envelope = ?').run(envelope);
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toBeUndefined();
      expect(await store.getFiling(filing.receipt)).toBeUndefined();
      expect(await store.listFilings({ eventId: filing.eventId, includeWithdrawn: true })).toEqual([]);
      expect(await store.listAudit(10)).toEqual([]);
    }
    raw.close();
    const saved = await store.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: SESSION_TTL_MS });
    expect(saved).toEqual({ ok: true, version: 1 });
    expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({
      version: 1,
      data: { locale: 'en' },
    });
  });

  it('shares data and compare-and-set between two stores on one file, like two processes', async () => {
    const clock = createTestClock();
    const file = temp.newFile();
    const left = temp.open(file, clock.nowMs);
    const right = temp.open(file, clock.nowMs);
    const key = uniqueKey('two-processes');
    await left.commit({ key, expectedVersion: 0, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS });
    const seen = await right.begin({ deliveryId: 'update-1', dedupeTtlMs: 60_000, key });
    expect(seen.session?.version).toBe(1);
    expect((await left.begin({ deliveryId: 'update-1', dedupeTtlMs: 60_000, key })).duplicate).toBe(true);
    expect(await right.markDelivered('update-2', 60_000)).toBe(true);
    expect(await left.markDelivered('update-2', 60_000)).toBe(false);
    const ttl = SESSION_TTL_MS;
    const won = await right.commit({ key, expectedVersion: 1, data: { locale: 'en' }, sessionTtlMs: ttl });
    const lost = await left.commit({ key, expectedVersion: 1, data: { locale: 'zh-CN' }, sessionTtlMs: ttl });
    expect(won).toEqual({ ok: true, version: 2 });
    expect(lost).toEqual({ ok: false, conflict: 'session' });
    const after = await left.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key });
    expect(after.session?.data).toEqual({ locale: 'en' });
  });

  it('sets WAL mode and the schema version on the file', () => {
    const file = temp.newFile();
    temp.open(file, Date.now);
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    raw.close();
  });

  it('refuses every call after close with a StoreError', async () => {
    const store = temp.open(temp.newFile(), Date.now);
    await store.close();
    const key = uniqueKey('closed');
    const calls: Array<() => Promise<unknown>> = [
      () => store.begin({ deliveryId: 'x', dedupeTtlMs: 1000, key }),
      () => store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: 1000 }),
      () => store.markDelivered('x', 1000),
      () => store.getFiling('R-1'),
      () => store.listFilings({ eventId: 'e' }),
      () => store.listAudit(1),
      () => store.ping(),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(StoreError);
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('wraps a file it cannot open in a StoreError', () => {
    const file = temp.newFile();
    const blocker = join(file, '..', '..', 'blocker');
    writeFileSync(blocker, 'not a directory');
    expect(() => createSqliteStore({ file: join(blocker, 'sciweek.db') })).toThrow(StoreError);
    const garbage = join(file, '..', '..', 'garbage.db');
    writeFileSync(garbage, 'this is not a sqlite database, just text '.repeat(200));
    expect(() => createSqliteStore({ file: garbage })).toThrow(StoreError);
  });
});
