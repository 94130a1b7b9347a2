/**
 * Faults — SIGTERM during traffic. The service runs as `npm start` runs it (a child process)
 * on a private redis-server and the Bot API stand-in, whose sendMessage is slowed so the signal lands
 * mid-burst. Polling: 80 users start a key project, 3 updates each (240); webhook: 12 users file one
 * each, typing on as the replies come. Asserted: exit 0 within 10 s; the Redis connection closed with
 * QUIT; what the stopped service answered is exactly what its store shows (each question asked once);
 * every update it took (polling: offset confirmed; webhook: answered 200) is kept — handled before the
 * exit or waiting in the inbox — and what came after intake stopped was not taken (webhook: 503 or
 * refused; polling: left unconfirmed for Telegram to resend). A restart then handles the rest, each
 * update once.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import {
  FILING_SCRIPT, expectedAfter, lastText, spawnService, until, type ServiceProcess,
} from '../support/faults-service.js';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startBotApi, type BotApi } from '../support/telegram-bot-api.js';

const POLLING_USERS = Array.from({ length: 80 }, (_, i) => 6101 + i);
const POLLING_SCRIPT = FILING_SCRIPT.slice(0, 3);
const WEBHOOK_USERS = Array.from({ length: 12 }, (_, i) => 6301 + i);
const PREFIX = 'faults-sigterm:';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  api: BotApi;
  redis: RedisServer;
  /** Commands the redis-server saw after the SIGTERM, as `name` (lower case). */
  commandsAfterSignal: () => string[];
  markSignal: () => void;
}

async function world(): Promise<World> {
  const redis = await startRedisServer();
  cleanups.push(() => redis.remove());
  const api = await startBotApi();
  cleanups.push(() => api.close());
  // Slow replies (as a loaded Bot API): the burst takes seconds, so the signal lands in it.
  api.delay('sendMessage', 60);
  const admin = new Redis(redis.url);
  const monitor = await admin.monitor();
  monitor.on('error', () => undefined);
  admin.on('error', () => undefined);
  cleanups.push(() => {
    monitor.disconnect();
    admin.disconnect();
  });
  const seen: { atMs: number; command: string }[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => seen.push({ atMs: Date.now(), command: (args[0] ?? '').toLowerCase() }));
  let signalAt = Number.POSITIVE_INFINITY;
  return {
    api,
    redis,
    commandsAfterSignal: () => seen.filter((entry) => entry.atMs >= signalAt).map((entry) => entry.command),
    markSignal: () => {
      signalAt = Date.now();
    },
  };
}

function start(w: World, webhookPort?: number): ServiceProcess {
  const service = spawnService({ api: w.api, redisUrl: w.redis.url, redisPrefix: PREFIX, ...(webhookPort === undefined ? {} : { webhookPort }) });
  cleanups.push(() => service.kill());
  return service;
}

/** Sends SIGTERM and returns how long the exit took and its code. */
async function terminate(w: World, service: ServiceProcess): Promise<{ code: number | null; elapsedMs: number }> {
  w.markSignal();
  const sentAt = Date.now();
  service.child.kill('SIGTERM');
  const { code, atMs } = await service.exited;
  return { code, elapsedMs: atMs - sentAt };
}

/** How many of the filing script's updates a user's chat shows answered: the questions asked, or the summary, or the receipt. */
function questionsAsked(api: BotApi, user: number): number {
  for (let k = FILING_SCRIPT.length; k > 0; k -= 1) {
    if ((expectedAfter(k) ?? /never/u).test(lastText(api, user) ?? '')) return k;
  }
  return 0;
}

/** Updates waiting in the service's inbox (every partition's stream). */
async function inboxDepth(w: World): Promise<number> {
  const client = new Redis(w.redis.url);
  try {
    const keys = await client.keys(`${PREFIX}inbox:*`);
    let depth = 0;
    for (const key of keys) depth += await client.xlen(key);
    return depth;
  } finally {
    client.disconnect();
  }
}

/** For each user, checks that the chat and the store show exactly the first `handled` updates of the filing, once. */
async function expectHandled(api: BotApi, store: Store, handled: Map<number, number>): Promise<void> {
  for (const [user, k] of handled) {
    const pattern = expectedAfter(k);
    if (pattern === undefined) expect(api.sentMessages(user), `user ${user}`).toEqual([]);
    else expect(lastText(api, user), `user ${user} after ${k} updates`).toMatch(pattern);
    const filings = await store.listFilings({ eventId: 'qingdao-2021', ownerKey: `telegram:${user}` });
    const begun = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'telegram', chatId: String(user), userId: String(user) } });
    const flow = begun.session?.data.flow;
    if (k === FILING_SCRIPT.length) {
      expect(filings, `user ${user}`).toHaveLength(1);
      expect(flow).toBeUndefined();
    } else {
      expect(filings, `user ${user}`).toHaveLength(0);
      // The draft holds exactly the answers taken: k − 1 (the first update was /file).
      expect(Object.keys(flow?.values ?? {}), `user ${user}`).toHaveLength(Math.max(0, Math.min(k - 1, 16)));
    }
    // Each question was asked once: no update was handled twice.
    for (let step = 1; step <= Math.min(k, 16); step += 1) {
      expect(api.sentMessages(user).filter((m) => m.plainText.includes(`（${step}/16）`)), `user ${user} question ${step}`).toHaveLength(1);
    }
  }
}

describe('SIGTERM during traffic', () => {
  it('polling: finishes every confirmed update, leaves the rest to Telegram, quits Redis, exits 0 in 10 s; a restart takes the rest', async () => {
    const w = await world();
    const service = start(w);
    await until(() => w.api.callsOf('getUpdates').length > 0, 'the bot to poll');

    const ids = new Map<number, number[]>(POLLING_USERS.map((user) => [user, []]));
    for (const text of POLLING_SCRIPT) {
      for (const user of POLLING_USERS) ids.get(user)?.push(w.api.pushUpdate(w.api.textMessage({ chatId: user, fromId: user, text })).update_id);
    }
    await until(() => w.api.sentMessages().length >= 40, 'the burst to be under way');
    const { code, elapsedMs } = await terminate(w, service);
    expect(code, service.logs().slice(-3000)).toBe(0);
    expect(elapsedMs).toBeLessThan(10_000);

    // What the stopped service answered, its store shows: per user the first k updates, once.
    const store = createRedisStore({ url: w.redis.url, prefix: PREFIX });
    cleanups.push(() => store.close());
    const answered = new Map(POLLING_USERS.map((user) => [user, questionsAsked(w.api, user)]));
    await expectHandled(w.api, store, answered);
    expect(w.commandsAfterSignal()).toContain('quit');
    expect(service.logLines('store closed')).toHaveLength(1);
    expect(service.logLines('stopped')).toHaveLength(1);
    // Everything confirmed to Telegram and not answered waits in the inbox: nothing taken is lost.
    const pending = new Set(w.api.pendingUpdates().map((update) => update.update_id));
    const confirmedUnanswered = POLLING_USERS.reduce((sum, user) => sum + (ids.get(user) ?? []).filter((id) => !pending.has(id)).length - (answered.get(user) ?? 0), 0);
    expect(await inboxDepth(w)).toBe(confirmedUnanswered);

    // The next instance handles the inbox and Telegram resends the unconfirmed rest: nothing lost, nothing doubled.
    const again = start(w);
    const last = expectedAfter(POLLING_SCRIPT.length) ?? /never/u;
    await until(() => POLLING_USERS.every((user) => last.test(lastText(w.api, user) ?? '')), 'every user’s third reply', 30_000);
    // The first instance may have answered everything: the signal must still find this one started.
    await until(() => again.logLines('adapter started').length > 0, 'the restart to start', 30_000);
    const done = await terminate(w, again);
    expect(done.code).toBe(0);
    await expectHandled(w.api, store, new Map(POLLING_USERS.map((user) => [user, POLLING_SCRIPT.length])));
    expect(await inboxDepth(w)).toBe(0);
  }, 90_000);

  it('webhook: every update answered 200 is handled, later ones get 503 or a refused connection, exit 0 in 10 s', async () => {
    const w = await world();
    const port = await freePort();
    const service = start(w, port);
    await until(() => w.api.webhook() !== undefined, 'the webhook to be set');

    const handled = new Map<number, number>(WEBHOOK_USERS.map((user) => [user, 0]));
    const refusals: string[] = [];
    let exited = false;
    void service.exited.then(() => (exited = true));
    // Each user types the next message once the bot answered the last, as people do.
    const users = WEBHOOK_USERS.map(async (user) => {
      for (const text of FILING_SCRIPT) {
        const before = w.api.sentMessages(user).length;
        const status = await w.api.deliverWebhook(w.api.textMessage({ chatId: user, fromId: user, text })).catch(() => 'refused' as const);
        if (status !== 200) {
          refusals.push(String(status));
          return;
        }
        handled.set(user, (handled.get(user) ?? 0) + 1);
        await until(() => w.api.sentMessages(user).length > before || exited, `a reply to ${user}`, 20_000);
      }
    });
    await until(() => w.api.sentMessages().length >= 40, 'the burst to be under way');
    const { code, elapsedMs } = await terminate(w, service);
    await Promise.all(users);
    expect(code, service.logs().slice(-3000)).toBe(0);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((status) => status === '503' || status === 'refused'), refusals.join(',')).toBe(true);

    // What the stopped service answered, its store shows; the rest of what got a 200 waits in the inbox.
    const store = createRedisStore({ url: w.redis.url, prefix: PREFIX });
    cleanups.push(() => store.close());
    const answered = new Map(WEBHOOK_USERS.map((user) => [user, questionsAsked(w.api, user)]));
    await expectHandled(w.api, store, answered);
    expect(w.commandsAfterSignal()).toContain('quit');
    expect(service.logLines('stopped')).toHaveLength(1);
    const kept = WEBHOOK_USERS.reduce((sum, user) => sum + (handled.get(user) ?? 0) - (answered.get(user) ?? 0), 0);
    expect(await inboxDepth(w)).toBe(kept);

    // The next instance answers every update that got a 200, once.
    const again = start(w, await freePort());
    await until(() => WEBHOOK_USERS.every((user) => (expectedAfter(handled.get(user) ?? 0) ?? /never/u).test(lastText(w.api, user) ?? '')), 'every kept update answered', 30_000);
    await until(() => again.logLines('adapter started').length > 0, 'the restart to start', 30_000);
    expect((await terminate(w, again)).code).toBe(0);
    await expectHandled(w.api, store, handled);
    expect(await inboxDepth(w)).toBe(0);
  }, 60_000);
});
