/**
 * What a purge leaves in the embedded store's files, read as raw bytes from disk (the .db, -wal and
 * -shm files): none of the purged event's values — not in live rows, not in the pages deleted rows
 * were in, not in the write-ahead log, not from a file an older version wrote without zeroing what it
 * deleted — while every value of the event kept is still there, and the bot's own connection on the
 * same file keeps working. What the store deletes in normal running is zeroed, not just unlinked. An
 * erase that another connection's open read holds up fails loudly.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { PURGED, PURGED_COUNTS, readExisting, seedForFiles, valuesIn } from '../support/purge-files.js';
import { createTestClock } from '../support/store-fixtures.js';

describe('sqlite purge: the files on disk', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function newFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sciweek-purge-files-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return join(dir, 'sciweek.db');
  }

  function open(file: string): Store {
    const store = createSqliteStore({ file, nowMs: createTestClock().nowMs });
    cleanups.push(() => store.close());
    return store;
  }

  const filesOf = (file: string) => [file, `${file}-wal`, `${file}-shm`];

  /** Writes and deletes a draft the way a version without secure_delete did, then moves it into the .db file. */
  function leaveOldRemnant(file: string, text: string): void {
    const raw = new Database(file);
    try {
      raw.pragma('busy_timeout = 5000');
      raw.pragma('secure_delete = OFF');
      raw.prepare('INSERT INTO sessions (key, version, envelope, expires_at) VALUES (?, 1, ?, 0)').run('["telegram","5001","5001"]', JSON.stringify({ v: 1, data: { draft: text } }));
      raw.prepare('DELETE FROM sessions WHERE expires_at = 0').run();
      raw.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      raw.close();
    }
  }

  it('leaves none of the purged values in the .db, -wal or -shm files, keeps every kept value, and the bot keeps working', async () => {
    const file = newFile();
    const bot = open(file);
    const seeded = await seedForFiles(bot);
    const oldDraft = `旧版草稿 ${PURGED.contact} ${PURGED.draftPhone}`;
    leaveOldRemnant(file, oldDraft);
    // The test can fail: before the purge every value is in the files, the old draft in the .db file itself.
    expect(valuesIn(readExisting(filesOf(file)), seeded.purgedValues)).toEqual(seeded.purgedValues);
    expect(valuesIn(readExisting([file]), [oldDraft])).toEqual([oldDraft]);

    const cli = open(file);
    expect(await cli.countEvent(seeded.purgedEvent)).toEqual(PURGED_COUNTS);
    expect(await cli.purgeEvent(seeded.purgedEvent)).toEqual(PURGED_COUNTS);
    expect(await cli.eraseRemnants()).toBe('rewritten');

    const bytes = readExisting(filesOf(file));
    expect(valuesIn(bytes, [...seeded.purgedValues, oldDraft])).toEqual([]);
    expect(valuesIn(bytes, seeded.keptValues)).toEqual(seeded.keptValues);
    expect(statSync(`${file}-wal`).size).toBe(0);
    // The bot's connection, open all along, reads and writes on.
    expect(await bot.getFiling(seeded.purged.receipt)).toBeUndefined();
    expect(await bot.getFiling(seeded.kept.receipt)).toEqual(seeded.kept);
    expect((await bot.listFilings({ eventId: seeded.keptEvent })).map((filing) => filing.receipt)).toEqual([seeded.kept.receipt]);
    expect(await bot.inboxDepth(1)).toEqual([1]);
    expect((await bot.outboxChats(10)).map((chat) => chat.chatId)).toEqual(['6001']);
    await bot.recordReminder({ at: '2025-05-20T01:00:00.000Z', ruleId: 'after-purge', platform: 'telegram', chatId: '-100', district: '市南区', outcome: 'sent' });
    expect(await cli.listReminders(1)).toHaveLength(1);
  });

  it('zeroes what it deletes in normal running: a submitted draft leaves no bytes once the WAL is checkpointed', async () => {
    const file = newFile();
    const store = open(file);
    const key = { platform: 'telegram', chatId: '5001', userId: '5001' };
    const draft = { locale: 'zh-CN' as const, district: `草稿里的电话 ${PURGED.draftPhone}` };
    expect((await store.commit({ key, expectedVersion: 0, data: draft, sessionTtlMs: 60_000 })).ok).toBe(true);
    expect((await store.commit({ key, expectedVersion: 1, data: null, sessionTtlMs: 60_000 })).ok).toBe(true);
    expect(valuesIn(readExisting(filesOf(file)), [PURGED.draftPhone])).toEqual([PURGED.draftPhone]);
    const checkpoint = new Database(file);
    checkpoint.pragma('wal_checkpoint(TRUNCATE)');
    checkpoint.close();
    expect(valuesIn(readExisting(filesOf(file)), [PURGED.draftPhone])).toEqual([]);
  });

  it('refuses to call the files clean while another connection keeps an old snapshot open, and finishes once it is closed', async () => {
    const file = newFile();
    const store = open(file);
    const seeded = await seedForFiles(store);
    const reader = new Database(file);
    cleanups.push(() => void reader.close());
    reader.exec('BEGIN');
    expect(reader.prepare('SELECT COUNT(*) AS n FROM filings').get()).toEqual({ n: 2 });
    await store.purgeEvent(seeded.purgedEvent);
    await expect(store.eraseRemnants()).rejects.toBeInstanceOf(StoreError);
    reader.exec('COMMIT');
    expect(await store.eraseRemnants()).toBe('rewritten');
    expect(valuesIn(readExisting(filesOf(file)), seeded.purgedValues)).toEqual([]);
  });
});
