/**
 * Our bot as a benchmark target, built by the production `createBot` (src/app/app.ts) and run as the
 * service runs it: the real Telegram adapter (grammY) keeps each update in the durable inbox, the
 * pipeline's worker handles it through the engine with every flow, commits the replies to the outbox
 * and the outbox sender delivers them; the Redis store on the production ioredis client settings, the
 * sessions behind the session cache — only the Bot API is the in-memory stub. An update counts as
 * handled once its chat's answer was delivered.
 */
import { Registry } from 'prom-client';
import { createTelegramAdapter } from '../../src/adapters/telegram/telegram-adapter.js';
import { createShiftedClock } from '../../src/kernel/clock.js';
import { createBot, loadContent } from '../../src/app/app.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { createHttpServer } from '../../src/http/server.js';
import { createRedisKeys } from '../../src/store/keys.js';
import { createRedisClient } from '../../src/store/redis-client.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { withSessionCache } from '../../src/store/session-cache.js';
import { createPipeline } from '../../src/delivery/pipeline.js';
import type { Deliver } from '../../src/delivery/outbox-sender.js';
import { STUB_API_ROOT, STUB_TOKEN, StubBotApi } from '../http-stub.js';
import { meterClient, type ClientMeter } from '../redis-meter.js';
import { WATCH, type TextUpdate } from '../workload.js';
import type { Target, TargetOptions } from './target.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PREFIX = 'bench:';
/** The filing period of the 2021 week, so the deadlines are as they were then. */
export const BENCH_NOW = new Date('2021-04-20T10:00:00+08:00');

/** Builds our bot on `options.redisUrl`. */
export function createOursTarget(options: TargetOptions): Target {
  const api = new StubBotApi(WATCH);
  const meter: ClientMeter = { writes: 0, commands: 0 };
  const redis = meterClient(createRedisClient(options.redisUrl), meter);
  const store = createRedisStore({ url: options.redisUrl, prefix: PREFIX, redis });
  // Built as the service builds it, minus the per-user rate limit (one bench user sends 19 updates fast).
  const bot = createBot({
    content: loadContent(),
    sessions: withSessionCache(store),
    store,
    clock: createShiftedClock(BENCH_NOW),
    log: silentLogger,
    defaultLocale: 'zh-CN',
    sessionTtlMs: 30 * DAY_MS,
  });
  // Each bench user is their own chat and waits for the answer before the next update.
  const answered = new Map<string, () => void>();
  const deliverers = new Map<string, Deliver>();
  const pipeline = createPipeline({
    store,
    handle: bot.durable,
    deliverers,
    notice: () => [],
    partitions: 8,
    consumer: 'bench',
    log: silentLogger,
  });
  const adapter = createTelegramAdapter({
    token: STUB_TOKEN,
    apiRoot: STUB_API_ROOT,
    client: { baseFetchConfig: { agent: api.agent('http:') } },
    accept: pipeline.accept,
    http: createHttpServer({ ready: () => store.ping(), registry: new Registry(), log: silentLogger }),
    log: silentLogger,
    menus: [],
    onUnreachable: () => undefined,
    onFatal: (error) => {
      throw error;
    },
  });
  deliverers.set('telegram', async (chatId, replies, route) => {
    const outcome = await adapter.deliver(chatId, replies, route);
    answered.get(chatId)?.();
    return outcome;
  });
  const keys = createRedisKeys(PREFIX);
  return {
    name: 'ours',
    api,
    meter,
    init: async () => {
      await store.ping();
      await adapter.bot.init();
      pipeline.start();
    },
    handle: (update: TextUpdate) => {
      const chatId = String(update.message.chat.id);
      const delivered = new Promise<void>((resolve) => answered.set(chatId, resolve));
      return adapter.bot.handleUpdate(update).then(() => delivered);
    },
    sessionKeys: (userId) => [keys.session({ platform: 'telegram', chatId: String(userId), userId: String(userId) })],
    close: async () => {
      await pipeline.stop(4_000);
      await adapter.stop();
      await store.close();
      await redis.quit();
    },
  };
}
