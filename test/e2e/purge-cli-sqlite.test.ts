/**
 * `sciweek purge --event <id>` end to end on the embedded store: a real SQLite file in a temp
 * DATA_DIR, seeded through the store API and the console chat, its .db, -wal and -shm files read
 * after the purge (cases in test/support/purge-cli-harness.ts).
 */
import path from 'node:path';
import { describe } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { makeDataDir } from '../support/console-process.js';
import { readExisting } from '../support/purge-files.js';
import { registerPurgeCliCases } from '../support/purge-cli-harness.js';

describe('sciweek purge (SQLite)', () => {
  registerPurgeCliCases(() => {
    const data = makeDataDir();
    const file = path.join(data.dir, 'sciweek.db');
    return Promise.resolve({
      env: { DATA_DIR: data.dir },
      open: () => createSqliteStore({ file }),
      remove: () => Promise.resolve(data.remove()),
      erased: "The store's files were rewritten: the deleted data is no longer in them.",
      files: () => readExisting([file, `${file}-wal`, `${file}-shm`]),
    });
  });
});
