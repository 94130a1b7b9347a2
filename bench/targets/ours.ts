/**
 * Our bot as a benchmark target, built by the production `createBot` (src/app/app.ts): the real Telegram adapter
 * (grammY, `handleUpdate` resolving once the replies are sent), the engine with every flow, and the
 * Redis store on the production ioredis client settings, the sessions behind the session cache — only
 * the Bot API is the in-memory stub.
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
  const handler = createBot({
    content: loadContent(),
    sessions: withSessionCache(store),
    store,
    clock: createShiftedClock(BENCH_NOW),
    log: silentLogger,
    defaultLocale: 'zh-CN',
    sessionTtlMs: 30 * DAY_MS,
  });
  const adapter = createTelegramAdapter({
    token: STUB_TOKEN,
    apiRoot: STUB_API_ROOT,
    client: { baseFetchConfig: { agent: api.agent('http:') } },
    awaitUpdates: true,
    handler,
    http: createHttpServer({ ready: () => store.ping(), registry: new Registry(), log: silentLogger }),
    log: silentLogger,
    menus: [],
    onUnreachable: () => undefined,
    onFatal: (error) => {
      throw error;
    },
  });
  const keys = createRedisKeys(PREFIX);
  return {
    name: 'ours',
    api,
    meter,
    init: async () => {
      await store.ping();
      await adapter.bot.init();
    },
    handle: (update: TextUpdate) => adapter.bot.handleUpdate(update),
    sessionKeys: (userId) => [keys.session({ platform: 'telegram', chatId: String(userId), userId: String(userId) })],
    close: async () => {
      await adapter.stop();
      await store.close();
      await redis.quit();
    },
  };
}
