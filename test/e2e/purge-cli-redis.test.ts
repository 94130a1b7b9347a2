/**
 * `sciweek purge --event <id>` end to end on the Redis store (REDIS_URL, else 127.0.0.1:6379) under a
 * fresh key prefix per case, seeded through the store API and the console chat (cases in
 * test/support/purge-cli-harness.ts); plus: a purge under one prefix leaves the same event under
 * another prefix alone.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis-store.js';
import { makeDataDir } from '../support/console-process.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';
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
  });
}

describe('sciweek purge (Redis)', () => {
  registerPurgeCliCases(makeBackend);

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
