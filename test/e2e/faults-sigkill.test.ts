/**
 * Faults — SIGKILL of the service mid-update, on the Redis store and on the embedded SQLite
 * store. 20 users file key projects over Telegram (360 updates, replies slowed a little) and the
 * process is killed in the middle. On the store the killed process left behind: every filing is whole
 * (submitted, every field of the form), every draft is consistent (its answers are exactly the fields
 * before its cursor), nothing fails to parse; and a restarted service on the same store goes on:
 * a draft resumes where it stopped and a filer's receipt is listed by /my.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allFlows } from '../../flows/index.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { makeDataDir } from '../support/console-process.js';
import { FILING_SCRIPT, spawnService, until, type ServiceOptions } from '../support/faults-service.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';
import { startBotApi } from '../support/telegram-bot-api.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const USERS = Array.from({ length: 20 }, (_, i) => 6901 + i);
const FIELDS = allFlows.find((flow) => flow.id === 'key-project')?.fields.map((field) => field.id) ?? [];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Checks every user's filings and draft are whole; returns users with a filing and users with a draft. */
async function expectWhole(store: Store): Promise<{ filed: number[]; drafting: number[] }> {
  const filed: number[] = [];
  const drafting: number[] = [];
  for (const user of USERS) {
    const filings = await store.listFilings({ eventId: 'qingdao-2021', ownerKey: `telegram:${user}` });
    expect(filings.length, `user ${user}`).toBeLessThanOrEqual(1);
    for (const filing of filings) {
      expect(filing.status).toBe('submitted');
      expect(Object.keys(filing.values).sort(), `filing of ${user}`).toEqual([...FIELDS].sort());
      filed.push(user);
    }
    const begun = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'telegram', chatId: String(user), userId: String(user) } });
    const flow = begun.session?.data.flow;
    if (flow === undefined) continue;
    drafting.push(user);
    expect(filings, `user ${user} has a draft and no filing`).toEqual([]);
    const cursor = flow.cursor;
    const answered = cursor.kind === 'field' ? FIELDS.slice(0, FIELDS.indexOf(cursor.fieldId)) : FIELDS;
    expect(Object.keys(flow.values).sort(), `draft of ${user} at ${JSON.stringify(cursor)}`).toEqual([...answered].sort());
  }
  return { filed, drafting };
}

describe.each(['redis', 'sqlite'] as const)('SIGKILL of the service mid-update (%s store)', (kind) => {
  it('leaves no half-written filing or draft, and a restart goes on from what was stored', async () => {
    const api = await startBotApi();
    cleanups.push(() => api.close());
    let store: ServiceOptions['store'];
    let open: () => Store;
    if (kind === 'redis') {
      const prefix = `faults-kill-${process.pid}-${Date.now()}:`;
      cleanups.push(() => deleteKeysByPrefix(REDIS_URL, prefix));
      store = { redisUrl: REDIS_URL, redisPrefix: prefix };
      open = () => createRedisStore({ url: REDIS_URL, prefix });
    } else {
      const data = makeDataDir();
      cleanups.push(data.remove);
      store = { dataDir: data.dir };
      open = () => createSqliteStore({ file: `${data.dir}/sciweek.db` });
    }
    api.delay('sendMessage', 15);
    const service = spawnService({ api, store });
    cleanups.push(() => service.kill());
    await until(() => api.callsOf('getUpdates').length > 0, 'the bot to poll');
    for (const text of FILING_SCRIPT) for (const user of USERS) api.pushUpdate(api.textMessage({ chatId: user, fromId: user, text }));
    await until(() => api.sentMessages().length >= 120, 'the burst to be under way', 30_000);
    service.child.kill('SIGKILL');
    expect((await service.exited).signal).toBe('SIGKILL');

    const left = open();
    const { filed, drafting } = await expectWhole(left);
    await left.close();
    expect(drafting.length + filed.length).toBeGreaterThan(0);

    // A restart on the same store: a draft resumes where it stopped, a filer's receipt is listed.
    api.delay('sendMessage', 0);
    const again = spawnService({ api, store });
    cleanups.push(() => again.kill());
    await until(() => api.pendingUpdates().length === 0, 'the resent updates to be taken', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = open();
    cleanups.push(() => after.close());
    const whole = await expectWhole(after);
    const user = whole.drafting[0] ?? whole.filed[0] ?? USERS[0] ?? 0;
    const sent = api.sentMessages(user).length;
    api.pushUpdate(api.textMessage({ chatId: user, fromId: user, text: whole.drafting.includes(user) ? '/file key-project' : '/my' }));
    await until(() => api.sentMessages(user).slice(sent).some((m) => /继续填写|KP-/u.test(m.plainText)), 'a resume or a receipt');
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  }, 90_000);
});
