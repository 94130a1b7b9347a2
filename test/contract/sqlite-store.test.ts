/**
 * Runs the Store contract against the embedded SQLite store on a temporary file, plus what only the
 * SQLite store can show: damaged rows read as misses, two connections on one file (two processes)
 * share data, compare-and-set and claims, version-1, version-2 and version-3 files are migrated in
 * place (version-4 files: sqlite-inbox.test.ts), the reminder log is capped, and a closed store refuses work.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import { toEnvelopeJson } from '../../src/store/envelope.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Declaration, GroupBinding, ReminderOutcome, Store, UnreachableChat } from '../../src/store/store.js';
import { describeStoreContract } from './store-contract.js';
import {
  GROUP,
  createTestClock,
  makeAudit,
  makeFiling,
  makeSessionData,
  SESSION_TTL_MS,
  uniqueKey,
} from '../support/store-fixtures.js';
import {
  SCHEMA_V1_AS_SHIPPED,
  SCHEMA_V2_ADDITIONS_AS_SHIPPED,
  SCHEMA_V3_ADDITIONS_AS_SHIPPED,
  V4_ADDITIONS,
  V5_ADDITIONS,
} from '../support/sqlite-schemas.js';


const UNREACHABLE: UnreachableChat = {
  platform: 'slack',
  chatId: 'C042',
  reason: 'not_in_channel',
  at: '2025-05-20T01:00:00.000Z',
};

const DECLARATION: Declaration = {
  eventId: 'sciweek-2025',
  district: '市南区',
  formId: 'exhibitor',
  declaredBy: 'telegram:1001',
  at: '2025-05-20T01:00:00.000Z',
};

const REMINDER: ReminderOutcome = {
  at: '2025-05-20T01:00:00.000Z',
  ruleId: 'exhibitor-deadline-3d',
  platform: 'telegram',
  chatId: '-1001234567890',
  district: '市南区',
  outcome: 'sent',
};

/** Writes `text` into the declarations row of `file` directly, past the store (another connection). */
function writeRawDeclaration(file: string, eventId: string, district: string, formId: string, text: string): void {
  const raw = new Database(file);
  try {
    raw
      .prepare(
        `INSERT INTO declarations (event_id, district, form_id, envelope) VALUES (?, ?, ?, ?)
         ON CONFLICT (event_id, district, form_id) DO UPDATE SET envelope = excluded.envelope`,
      )
      .run(eventId, district, formId, text);
  } finally {
    raw.close();
  }
}

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
    open: (file: string, nowMs: () => number, reminderLogLimit?: number): Store => {
      const store = createSqliteStore(
        reminderLogLimit === undefined ? { file, nowMs } : { file, nowMs, reminderLogLimit },
      );
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
    writeRawDeclaration: (eventId, district, formId, text) =>
      Promise.resolve(writeRawDeclaration(file, eventId, district, formId, text)),
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
    await left.commit({ key: uniqueKey('two-processes-other'), expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, delivery: { id: 'update-1', dedupeTtlMs: 60_000 } });
    const seen = await right.begin({ deliveryId: 'update-1', dedupeTtlMs: 60_000, key });
    expect(seen.session?.version).toBe(1);
    expect(seen.duplicate).toBe(true);
    const delivery = { id: 'update-2', dedupeTtlMs: 60_000 };
    const commitDelivery = (store: Store, label: string) =>
      store.commit({ key: uniqueKey(label), expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, delivery });
    expect(await commitDelivery(right, 'two-processes-right')).toEqual({ ok: true, version: 1 });
    expect(await commitDelivery(left, 'two-processes-left')).toEqual({ ok: false, conflict: 'duplicate' });
    const ttl = SESSION_TTL_MS;
    const won = await right.commit({ key, expectedVersion: 1, data: { locale: 'en' }, sessionTtlMs: ttl });
    const lost = await left.commit({ key, expectedVersion: 1, data: { locale: 'zh-CN' }, sessionTtlMs: ttl });
    expect(won).toEqual({ ok: true, version: 2 });
    expect(lost).toEqual({ ok: false, conflict: 'session' });
    const after = await left.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key });
    expect(after.session?.data).toEqual({ locale: 'en' });
    // One claim between the two: only the first taker holds it, and only it can release it.
    const claims = await Promise.all([
      left.claim('lease:dispatcher', 'left', 10_000),
      right.claim('lease:dispatcher', 'right', 10_000),
    ]);
    expect(claims).toEqual([true, false]);
    expect(await right.releaseClaim('lease:dispatcher', 'right')).toBe(false);
    expect(await right.releaseClaim('lease:dispatcher', 'left')).toBe(true);
    expect(await right.claim('lease:dispatcher', 'right', 10_000)).toBe(true);
    await left.recordReminder(REMINDER);
    expect(await right.listReminders(5)).toEqual([REMINDER]);
  });

  it('sets WAL mode and the schema version on the file', () => {
    const file = temp.newFile();
    temp.open(file, Date.now);
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(SCHEMA_VERSION).toBe(5);
    expect(raw.pragma('user_version', { simple: true })).toBe(5);
    raw.close();
  });

  it('opens a version-1 file with its data, adding only the tables of versions 2 to 5', async () => {
    const clock = createTestClock();
    const file = temp.newFile();
    // Create the file as version 1 wrote it: the old DDL, user_version 1, and one row of each kind.
    mkdirSync(dirname(file), { recursive: true });
    const key = uniqueKey('v1-file');
    const data = makeSessionData();
    const filing = makeFiling();
    const audit = makeAudit(filing.receipt, 'filing.submitted', filing.createdAt);
    const v1 = new Database(file);
    v1.pragma('journal_mode = WAL');
    v1.exec(SCHEMA_V1_AS_SHIPPED);
    v1.pragma('user_version = 1');
    v1.prepare('INSERT INTO sessions (key, version, envelope, expires_at) VALUES (?, ?, ?, ?)').run(
      JSON.stringify([key.platform, key.chatId, key.userId]),
      3,
      toEnvelopeJson(data),
      clock.nowMs() + SESSION_TTL_MS,
    );
    v1.prepare(
      `INSERT INTO filings (receipt, event_id, form_id, owner_key, district, status, version, envelope, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      filing.receipt,
      filing.eventId,
      filing.formId,
      filing.ownerKey,
      filing.district ?? null,
      filing.status,
      filing.version,
      toEnvelopeJson(filing),
      Date.parse(filing.createdAt),
    );
    v1.prepare('INSERT INTO audit (envelope) VALUES (?)').run(toEnvelopeJson(audit));
    const tablesBefore = v1.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    v1.close();

    const store = temp.open(file, clock.nowMs);
    const begun = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key });
    expect(begun.session).toEqual({ version: 3, data });
    expect(await store.getFiling(filing.receipt)).toEqual(filing);
    expect(await store.listAudit(5)).toEqual([audit]);
    expect(await store.listGroups()).toEqual([]);
    await store.putGroup(GROUP);
    await store.markUnreachable(UNREACHABLE);
    expect(await store.listGroups()).toEqual([GROUP]);
    expect(await store.listUnreachable()).toEqual([UNREACHABLE]);
    await store.close();

    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(5);
    const tablesAfter = raw.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    expect(tablesAfter.map((t) => t.name).filter((name) => !tablesBefore.some((t) => t.name === name))).toEqual(
      [
        'declarations',
        'group_bindings',
        'sqlite_autoindex_declarations_1',
        'sqlite_autoindex_group_bindings_1',
        'sqlite_autoindex_unreachable_chats_1',
        'unreachable_chats',
        ...V4_ADDITIONS,
        ...V5_ADDITIONS,
      ].sort(),
    );
    raw.close();
    // Opening the migrated file again changes nothing and keeps everything.
    const again = temp.open(file, clock.nowMs);
    expect(await again.getGroup(GROUP.platform, GROUP.chatId)).toEqual(GROUP);
    expect(await again.getFiling(filing.receipt)).toEqual(filing);
  });

  it('opens a version-2 file with its data, adding only the tables of versions 3 to 5', async () => {
    const clock = createTestClock();
    const file = temp.newFile();
    // Create the file as version 2 wrote it: the old DDL, user_version 2, and one row of each kind.
    mkdirSync(dirname(file), { recursive: true });
    const key = uniqueKey('v2-file');
    const data = makeSessionData();
    const filing = makeFiling();
    const audit = makeAudit(filing.receipt, 'filing.submitted', filing.createdAt);
    const v2 = new Database(file);
    v2.pragma('journal_mode = WAL');
    v2.exec(SCHEMA_V1_AS_SHIPPED);
    v2.exec(SCHEMA_V2_ADDITIONS_AS_SHIPPED);
    v2.pragma('user_version = 2');
    v2.prepare('INSERT INTO sessions (key, version, envelope, expires_at) VALUES (?, ?, ?, ?)').run(
      JSON.stringify([key.platform, key.chatId, key.userId]),
      4,
      toEnvelopeJson(data),
      clock.nowMs() + SESSION_TTL_MS,
    );
    v2.prepare(
      `INSERT INTO filings (receipt, event_id, form_id, owner_key, district, status, version, envelope, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      filing.receipt,
      filing.eventId,
      filing.formId,
      filing.ownerKey,
      filing.district ?? null,
      filing.status,
      filing.version,
      toEnvelopeJson(filing),
      Date.parse(filing.createdAt),
    );
    v2.prepare('INSERT INTO audit (envelope) VALUES (?)').run(toEnvelopeJson(audit));
    v2.prepare('INSERT INTO group_bindings (key, envelope) VALUES (?, ?)').run(
      JSON.stringify([GROUP.platform, GROUP.chatId]),
      toEnvelopeJson(GROUP),
    );
    v2.prepare('INSERT INTO unreachable_chats (key, envelope) VALUES (?, ?)').run(
      JSON.stringify([UNREACHABLE.platform, UNREACHABLE.chatId]),
      toEnvelopeJson(UNREACHABLE),
    );
    const tablesBefore = v2.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    v2.close();

    const store = temp.open(file, clock.nowMs);
    expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({ version: 4, data });
    expect(await store.getFiling(filing.receipt)).toEqual(filing);
    expect(await store.listFilings({ eventId: filing.eventId })).toEqual([filing]);
    expect(await store.listAudit(5)).toEqual([audit]);
    expect(await store.listGroups()).toEqual([GROUP]);
    expect(await store.listUnreachable()).toEqual([UNREACHABLE]);
    expect(await store.listDeclarations(DECLARATION.eventId)).toEqual([]);
    await store.putDeclaration(DECLARATION);
    expect(await store.listDeclarations(DECLARATION.eventId)).toEqual([DECLARATION]);
    await store.close();

    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(5);
    const tablesAfter = raw.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    expect(tablesAfter.map((t) => t.name).filter((name) => !tablesBefore.some((t) => t.name === name))).toEqual(
      ['declarations', 'sqlite_autoindex_declarations_1', ...V4_ADDITIONS, ...V5_ADDITIONS].sort(),
    );
    raw.close();
    // Opening the migrated file again changes nothing and keeps everything.
    const again = temp.open(file, clock.nowMs);
    expect(await again.listDeclarations(DECLARATION.eventId)).toEqual([DECLARATION]);
    expect(await again.getGroup(GROUP.platform, GROUP.chatId)).toEqual(GROUP);
    expect(await again.listUnreachable()).toEqual([UNREACHABLE]);
    expect(await again.getFiling(filing.receipt)).toEqual(filing);
    expect(await again.listAudit(5)).toEqual([audit]);
  });

  it('opens a version-3 file with its data, adding only the tables of versions 4 and 5', async () => {
    const clock = createTestClock();
    const file = temp.newFile();
    // Create the file as version 3 wrote it: the old DDL, user_version 3, and one row of each kind.
    mkdirSync(dirname(file), { recursive: true });
    const key = uniqueKey('v3-file');
    const data = makeSessionData();
    const filing = makeFiling();
    const audit = makeAudit(filing.receipt, 'filing.submitted', filing.createdAt);
    const v3 = new Database(file);
    v3.pragma('journal_mode = WAL');
    v3.exec(SCHEMA_V1_AS_SHIPPED);
    v3.exec(SCHEMA_V2_ADDITIONS_AS_SHIPPED);
    v3.exec(SCHEMA_V3_ADDITIONS_AS_SHIPPED);
    v3.pragma('user_version = 3');
    v3.prepare('INSERT INTO sessions (key, version, envelope, expires_at) VALUES (?, ?, ?, ?)').run(
      JSON.stringify([key.platform, key.chatId, key.userId]),
      5,
      toEnvelopeJson(data),
      clock.nowMs() + SESSION_TTL_MS,
    );
    v3.prepare('INSERT INTO deliveries (id, expires_at) VALUES (?, ?)').run('update-v3', clock.nowMs() + 60_000);
    v3.prepare(
      `INSERT INTO filings (receipt, event_id, form_id, owner_key, district, status, version, envelope, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      filing.receipt,
      filing.eventId,
      filing.formId,
      filing.ownerKey,
      filing.district ?? null,
      filing.status,
      filing.version,
      toEnvelopeJson(filing),
      Date.parse(filing.createdAt),
    );
    v3.prepare('INSERT INTO audit (envelope) VALUES (?)').run(toEnvelopeJson(audit));
    v3.prepare('INSERT INTO group_bindings (key, envelope) VALUES (?, ?)').run(
      JSON.stringify([GROUP.platform, GROUP.chatId]),
      toEnvelopeJson(GROUP),
    );
    v3.prepare('INSERT INTO unreachable_chats (key, envelope) VALUES (?, ?)').run(
      JSON.stringify([UNREACHABLE.platform, UNREACHABLE.chatId]),
      toEnvelopeJson(UNREACHABLE),
    );
    v3.prepare('INSERT INTO declarations (event_id, district, form_id, envelope) VALUES (?, ?, ?, ?)').run(
      DECLARATION.eventId,
      DECLARATION.district,
      DECLARATION.formId,
      toEnvelopeJson(DECLARATION),
    );
    const tablesBefore = v3.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    v3.close();

    const store = temp.open(file, clock.nowMs);
    expect(await store.begin({ deliveryId: 'update-v3', dedupeTtlMs: 60_000, key })).toEqual({
      duplicate: true,
      session: { version: 5, data },
    });
    expect(await store.getFiling(filing.receipt)).toEqual(filing);
    expect(await store.listFilings({ eventId: filing.eventId })).toEqual([filing]);
    expect(await store.listAudit(5)).toEqual([audit]);
    expect(await store.listGroups()).toEqual([GROUP]);
    expect(await store.listUnreachable()).toEqual([UNREACHABLE]);
    expect(await store.listDeclarations(DECLARATION.eventId)).toEqual([DECLARATION]);
    expect(await store.listReminders(5)).toEqual([]);
    expect(await store.claim('reminder:exhibitor-deadline-3d', 'instance-a', 60_000)).toBe(true);
    await store.recordReminder(REMINDER);
    await store.close();

    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(5);
    const tablesAfter = raw.prepare<[], { name: string }>('SELECT name FROM sqlite_master ORDER BY name').all();
    expect(tablesAfter.map((t) => t.name).filter((name) => !tablesBefore.some((t) => t.name === name))).toEqual(
      [...V4_ADDITIONS, ...V5_ADDITIONS].sort(),
    );
    raw.close();
    // Opening the migrated file again changes nothing and keeps everything, the new tables included.
    const again = temp.open(file, clock.nowMs);
    expect(await again.claim('reminder:exhibitor-deadline-3d', 'instance-b', 60_000)).toBe(false);
    expect(await again.listReminders(5)).toEqual([REMINDER]);
    expect(await again.listDeclarations(DECLARATION.eventId)).toEqual([DECLARATION]);
    expect(await again.getGroup(GROUP.platform, GROUP.chatId)).toEqual(GROUP);
    expect(await again.listUnreachable()).toEqual([UNREACHABLE]);
    expect(await again.getFiling(filing.receipt)).toEqual(filing);
    expect(await again.listAudit(5)).toEqual([audit]);
  });

  it('keeps only the newest reminder outcomes, up to the log limit', async () => {
    const file = temp.newFile();
    const store = temp.open(file, Date.now, 3);
    const outcomes = Array.from({ length: 5 }, (_, i) => ({ ...REMINDER, at: `2025-05-20T01:00:0${i}.000Z` }));
    for (const outcome of outcomes) await store.recordReminder(outcome);
    expect(await store.listReminders(10)).toEqual(outcomes.slice(2).reverse());
    const raw = new Database(file);
    expect(raw.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM reminders').get()?.n).toBe(3);
    raw.close();
    expect(() => createSqliteStore({ file, reminderLogLimit: 0 })).toThrow(StoreError);
  });

  it('reads damaged reminder rows as misses, and lists the readable ones', async () => {
    const file = temp.newFile();
    const store = temp.open(file, Date.now);
    const later: ReminderOutcome = { ...REMINDER, at: '2025-05-20T01:00:01.000Z', outcome: 'failed', detail: 'timeout' };
    await store.recordReminder(REMINDER);
    await store.recordReminder(later);
    const raw = new Database(file);
    const damaged = [
      '{not json',
      'null',
      JSON.stringify({ v: 2, data: REMINDER }),
      toEnvelopeJson({ ...REMINDER, at: 'yesterday' }),
      JSON.stringify({ v: 1, data: { ...REMINDER, outcome: 'lost' } }),
      toEnvelopeJson(GROUP),
    ];
    for (const envelope of damaged) {
      raw.prepare('UPDATE reminders SET envelope = ? WHERE id = (SELECT MIN(id) FROM reminders)').run(envelope);
      expect(await store.listReminders(10)).toEqual([later]);
    }
    raw.close();
    expect(await store.listReminders(1)).toEqual([later]);
  });

  it('refuses a file of a newer schema version with a StoreError, leaving it untouched', () => {
    const file = temp.newFile();
    temp.open(file, Date.now);
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => createSqliteStore({ file })).toThrow(StoreError);
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  });

  it('reads damaged group and unreachable-chat rows as misses, and lists the readable ones', async () => {
    const file = temp.newFile();
    const store = temp.open(file, Date.now);
    const other: GroupBinding = { ...GROUP, chatId: '-100999', district: '崂山区' };
    await store.putGroup(GROUP);
    await store.putGroup(other);
    await store.markUnreachable(UNREACHABLE);
    const raw = new Database(file);
    const chat = JSON.stringify([GROUP.platform, GROUP.chatId]);
    const unreachableChat = JSON.stringify([UNREACHABLE.platform, UNREACHABLE.chatId]);
    // Pairs of [group row, unreachable row] that must each read as a miss.
    const damaged: Array<[string, string]> = [
      ['{not json', '{not json'],
      ['null', '[]'],
      [JSON.stringify({ v: 2, data: GROUP }), JSON.stringify({ v: 2, data: UNREACHABLE })],
      [toEnvelopeJson({ ...GROUP, boundAt: 'yesterday' }), toEnvelopeJson({ ...UNREACHABLE, at: 'yesterday' })],
      // A value of the other kind, and a well-formed value of another chat under this chat's key.
      [toEnvelopeJson(UNREACHABLE), toEnvelopeJson(GROUP)],
      [toEnvelopeJson({ ...GROUP, chatId: 'someone-else' }), toEnvelopeJson({ ...UNREACHABLE, platform: 'telegram' })],
    ];
    for (const [groupEnvelope, unreachableEnvelope] of damaged) {
      raw.prepare('UPDATE group_bindings SET envelope = ? WHERE key = ?').run(groupEnvelope, chat);
      raw.prepare('UPDATE unreachable_chats SET envelope = ? WHERE key = ?').run(unreachableEnvelope, unreachableChat);
      expect(await store.getGroup(GROUP.platform, GROUP.chatId)).toBeUndefined();
      expect(await store.listGroups()).toEqual([other]);
      expect(await store.listUnreachable()).toEqual([]);
    }
    raw.close();
    // An unreadable row is still there: removing it answers true, and a new binding replaces it.
    expect(await store.clearUnreachable(UNREACHABLE.platform, UNREACHABLE.chatId)).toBe(true);
    await store.putGroup(GROUP);
    expect(await store.listGroups()).toEqual([GROUP, other]);
  });

  it('refuses every call after close with a StoreError', async () => {
    const store = temp.open(temp.newFile(), Date.now);
    await store.close();
    const key = uniqueKey('closed');
    const calls: Array<() => Promise<unknown>> = [
      () => store.begin({ deliveryId: 'x', dedupeTtlMs: 1000, key }),
      () => store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: 1000 }),
      () => store.getFiling('R-1'),
      () => store.listFilings({ eventId: 'e' }),
      () => store.listAudit(1),
      () => store.putGroup(GROUP),
      () => store.removeGroup(GROUP.platform, GROUP.chatId),
      () => store.getGroup(GROUP.platform, GROUP.chatId),
      () => store.listGroups(),
      () => store.markUnreachable(UNREACHABLE),
      () => store.clearUnreachable(UNREACHABLE.platform, UNREACHABLE.chatId),
      () => store.listUnreachable(),
      () => store.putDeclaration(DECLARATION),
      () => store.removeDeclaration(DECLARATION.eventId, DECLARATION.district, DECLARATION.formId),
      () => store.listDeclarations(DECLARATION.eventId),
      () => store.claim('lease:dispatcher', 'instance-a', 1000),
      () => store.renewClaim('lease:dispatcher', 'instance-a', 1000),
      () => store.releaseClaim('lease:dispatcher', 'instance-a'),
      () => store.recordReminder(REMINDER),
      () => store.listReminders(1),
      () => store.countEvent(DECLARATION.eventId),
      () => store.purgeEvent(DECLARATION.eventId),
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
