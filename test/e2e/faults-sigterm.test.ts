/**
 * Faults — SIGTERM during traffic. The service runs as `npm start` runs it (a child process)
 * on a private redis-server and the Bot API stand-in, whose sendMessage is slowed so the signal lands
 * mid-burst. Polling: 80 users (more chats than the adapter takes at once) start a key project, 3
 * updates each (240); webhook: 12 users file one each, typing on as the replies come. Asserted: exit 0 within 10 s; every
 * update the bot took (polling: offset confirmed; webhook: answered 200) got its reply and its effect
 * in Redis; what came after intake stopped was not taken (polling: left unconfirmed for Telegram to
 * resend; webhook: 503 or refused); the Redis connection was closed with QUIT. In polling mode a
 * restart then handles the resent rest, each once.
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

    // Taken = confirmed (no longer pending); per user a prefix of what they sent.
    const pending = new Set(w.api.pendingUpdates().map((update) => update.update_id));
    expect(pending.size).toBeGreaterThan(0);
    const handled = new Map<number, number>();
    for (const user of POLLING_USERS) {
      const mine = ids.get(user) ?? [];
      const k = mine.filter((id) => !pending.has(id)).length;
      expect(mine.slice(k).every((id) => pending.has(id)), `user ${user}: taken updates are a prefix`).toBe(true);
      handled.set(user, k);
    }
    expect([...handled.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    const store = createRedisStore({ url: w.redis.url, prefix: PREFIX });
    cleanups.push(() => store.close());
    await expectHandled(w.api, store, handled);
    expect(w.commandsAfterSignal()).toContain('quit');
    expect(service.logLines('store closed')).toHaveLength(1);
    expect(service.logLines('stopped')).toHaveLength(1);

    // Telegram resends the unconfirmed updates to the next instance: nothing is lost, nothing doubled.
    const again = start(w);
    const last = expectedAfter(POLLING_SCRIPT.length) ?? /never/u;
    await until(() => POLLING_USERS.every((user) => last.test(lastText(w.api, user) ?? '')), 'every user’s third reply', 30_000);
    const done = await terminate(w, again);
    expect(done.code).toBe(0);
    await expectHandled(w.api, store, new Map(POLLING_USERS.map((user) => [user, POLLING_SCRIPT.length])));
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

    const store = createRedisStore({ url: w.redis.url, prefix: PREFIX });
    cleanups.push(() => store.close());
    await expectHandled(w.api, store, handled);
    expect(w.commandsAfterSignal()).toContain('quit');
    expect(service.logLines('stopped')).toHaveLength(1);
  }, 60_000);
});
