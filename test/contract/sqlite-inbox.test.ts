/**
 * What only the embedded store can show about the durable inbox and the outbox: a version-4 file is
 * migrated in place with its data; two connections on one file (two processes) never take an entry
 * twice, and a take waiting on one sees what the other appends; a waiting take polls on timers, so the
 * event loop keeps running while it waits.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { toEnvelopeJson } from '../../src/store/envelope.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { InboxEntry, Store } from '../../src/store/store.js';
import { createTestClock, GROUP, makeSessionData, SESSION_TTL_MS, uniqueKey } from '../support/store-fixtures.js';
import {
  SCHEMA_V1_AS_SHIPPED,
  SCHEMA_V2_ADDITIONS_AS_SHIPPED,
  SCHEMA_V3_ADDITIONS_AS_SHIPPED,
  SCHEMA_V4_ADDITIONS_AS_SHIPPED,
  V5_ADDITIONS,
} from '../support/sqlite-schemas.js';

describe('sqlite store: inbox and outbox', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function newFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sciweek-inbox-'));
    dirs.push(dir);
    return join(dir, 'data', 'sciweek.db');
  }

  function open(file: string, nowMs: () => number = Date.now): Store {
    const store = createSqliteStore({ file, nowMs });
    stores.push(store);
    return store;
  }

  it('opens a version-4 file with its data, adding only the inbox and outbox tables', async () => {
    const clock = createTestClock();
    const file = newFile();
    mkdirSync(dirname(file), { recursive: true });
    const key = uniqueKey('v4-file');
    const data = makeSessionData();
    const v4 = new Database(file);
    v4.pragma('journal_mode = WAL');
    for (const ddl of [SCHEMA_V1_AS_SHIPPED, SCHEMA_V2_ADDITIONS_AS_SHIPPED, SCHEMA_V3_ADDITIONS_AS_SHIPPED, SCHEMA_V4_ADDITIONS_AS_SHIPPED]) {
      v4.exec(ddl);
    }
    v4.pragma('user_version = 4');
    v4.prepare('INSERT INTO sessions (key, version, envelope, expires_at) VALUES (?, ?, ?, ?)').run(
      JSON.stringify([key.platform, key.chatId, key.userId]),
      6,
      toEnvelopeJson(data),
      clock.nowMs() + SESSION_TTL_MS,
    );
    v4.prepare('INSERT INTO group_bindings (key, envelope) VALUES (?, ?)').run(
      JSON.stringify([GROUP.platform, GROUP.chatId]),
      toEnvelopeJson(GROUP),
    );
    v4.prepare('INSERT INTO claims (name, owner, expires_at) VALUES (?, ?, ?)').run('lease:dispatcher', 'instance-a', clock.nowMs() + 60_000);
    const tablesBefore = v4.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    v4.close();

    const store = open(file, clock.nowMs);
    expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({ version: 6, data });
    expect(await store.listGroups()).toEqual([GROUP]);
    expect(await store.claim('lease:dispatcher', 'instance-b', 60_000)).toBe(false);
    const outbox = { id: 'update-1', platform: key.platform, chatId: key.chatId, body: '{"v":1,"replies":[]}', route: '' };
    expect(await store.commit({ key, expectedVersion: 6, data, sessionTtlMs: SESSION_TTL_MS, outbox })).toEqual({ ok: true, version: 7 });
    const id = await store.inboxAppend(0, 'update');
    await store.close();

    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(5);
    const tablesAfter = raw.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    expect(tablesAfter.map((t) => t.name).filter((name) => !tablesBefore.some((t) => t.name === name))).toEqual(V5_ADDITIONS);
    raw.close();
    const again = open(file, clock.nowMs);
    expect(await again.outboxPeek(key.platform, key.chatId, 10)).toEqual([outbox]);
    expect(await again.inboxTake('worker-a', [0], 10, 0)).toEqual([{ id, partition: 0, body: 'update' }]);
    expect(await again.getGroup(GROUP.platform, GROUP.chatId)).toEqual(GROUP);
  });

  it('never gives an entry to two connections on one file, and a waiting take sees the other one\'s append', async () => {
    const file = newFile();
    const left = open(file);
    const right = open(file);
    const bodies = Array.from({ length: 40 }, (_, i) => `update-${i}`);
    for (const [i, body] of bodies.entries()) await (i % 2 === 0 ? left : right).inboxAppend(i % 4, body);
    const taken: InboxEntry[] = [];
    await Promise.all(
      [left, right, left, right].map(async (store, i) => {
        for (;;) {
          const batch = await store.inboxTake(`worker-${i}`, [0, 1, 2, 3], 3, 0);
          if (batch.length === 0) return;
          taken.push(...batch);
        }
      }),
    );
    expect(taken.map((entry) => entry.body).sort()).toEqual([...bodies].sort());
    expect(await right.inboxReclaim('worker-x', 1)).toHaveLength(10);
    const waiting = left.inboxTake('worker-a', [5], 1, 2_000);
    setTimeout(() => void right.inboxAppend(5, 'from the other process'), 50);
    expect((await waiting).map((entry) => entry.body)).toEqual(['from the other process']);
  });

  it('keeps the event loop running while a take waits', async () => {
    const store = open(newFile());
    const events: string[] = [];
    const waiting = store.inboxTake('worker-a', [0], 1, 400).then((entries) => events.push(`take ${entries.length}`));
    await new Promise((resolve) => setTimeout(resolve, 30));
    events.push('timer');
    expect(await store.ping()).toBeUndefined();
    events.push('ping');
    await waiting;
    expect(events).toEqual(['timer', 'ping', 'take 0']);
  });
});
