/**
 * `sciweek purge --event <id>` end to end on the Redis store, seeded through the store API and the
 * console chat (cases in test/support/purge-cli-harness.ts): each case on a redis-server of its own
 * that persists with an AOF, whose files are read after the purge has had them rewritten; plus, on the
 * shared Redis (REDIS_URL, else 127.0.0.1:6379): a purge under one prefix leaves the same event under
 * another prefix alone.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis-store.js';
import { makeDataDir } from '../support/console-process.js';
import { readDirectory } from '../support/purge-files.js';
import { deleteKeysByPrefix, startRedisServer } from '../support/redis-server.js';
import { makeFiling } from '../support/store-fixtures.js';
import { registerPurgeCliCases, runCli, SERVED, type PurgeBackend } from '../support/purge-cli-harness.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function makeBackend(): Promise<PurgeBackend> {
  const data = makeDataDir();
  const prefix = `test:purge-cli:${randomUUID().slice(0, 12)}:`;
  return Promise.resolve({
    env: { DATA_DIR: data.dir, REDIS_URL, REDIS_KEY_PREFIX: prefix },
    open: () => createRedisStore({ url: REDIS_URL, prefix }),
    remove: async () => {
      data.remove();
      await deleteKeysByPrefix(REDIS_URL, prefix);
    },
    erased: '',
  });
}

/** A redis-server of the case's own, with an AOF stored uncompressed (so values can be looked for). */
async function makePrivateBackend(): Promise<PurgeBackend> {
  const data = makeDataDir();
  const server = await startRedisServer({ appendOnly: true });
  const admin = new Redis(server.url);
  await admin.config('SET', 'rdbcompression', 'no');
  await admin.quit();
  return {
    env: { DATA_DIR: data.dir, REDIS_URL: server.url },
    open: () => createRedisStore({ url: server.url }),
    remove: async () => {
      data.remove();
      await server.remove();
    },
    erased: "The store's files were rewritten: the deleted data is no longer in them.",
    files: () => readDirectory(path.join(server.dir, 'appendonlydir')),
  };
}

describe('sciweek purge (Redis)', () => {
  registerPurgeCliCases(makePrivateBackend);

  it('leaves the same event under another key prefix alone', async () => {
    const mine = await makeBackend();
    const theirs = await makeBackend();
    try {
      const filing = makeFiling({ eventId: SERVED });
      for (const backend of [mine, theirs]) {
        const store = backend.open();
        await store.commit({ key: { platform: 'seed', chatId: 's', userId: 's' }, expectedVersion: 0, data: null, sessionTtlMs: 1, filings: [{ filing, expectedVersion: 0 }] });
        await store.close();
      }
      const run = await runCli(['purge', '--event', SERVED, '--yes', '--lang', 'en'], mine);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Removed for event ${SERVED}: 1 filings, 0 audit entries`);
      const [gone, kept] = [mine.open(), theirs.open()];
      expect(await gone.getFiling(filing.receipt)).toBeUndefined();
      expect(await kept.getFiling(filing.receipt)).toEqual(filing);
      await Promise.all([gone.close(), kept.close()]);
    } finally {
      await mine.remove();
      await theirs.remove();
    }
  }, 60_000);
});
