/**
 * A first measurement of the filing path (issue 10 builds the full comparison with the peers): N users
 * each file the key-project form (/file, 16 answers, 提交) through the engine, users interleaved,
 * 64 messages in flight, on the embedded SQLite store and on Redis (db 15, flushed before and after).
 * Prints JSON: updates per second, p50/p99 per update, store calls per update, Redis bytes per draft.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { allFlows } from '../flows/index.js';
import { createSystemClock } from '../src/core/clock.js';
import { createEngine } from '../src/core/engine.js';
import { loadEvent } from '../src/core/event.js';
import { loadI18n } from '../src/core/i18n.js';
import type { Inbound } from '../src/core/inbound.js';
import { silentLogger } from '../src/core/logger.js';
import { EVENT_FILE, LOCALES_DIR } from '../src/paths.js';
import { instrumentStore } from '../src/store/instrumented-store.js';
import { createRedisStore } from '../src/store/redis-store.js';
import { createSqliteStore } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/store.js';

const USERS = Number(process.env['BENCH_USERS'] ?? 300);
const IN_FLIGHT = 64;
const ANSWERS = ['市南', '海洋科普嘉年华', '青岛市科协', '青岛市科技局', '五四广场', '5月22日-28日', '张三', '李四', '香港中路11号', '266071', '0532-85911893', '跳过', 'kp@example.cn', '5万元', '约300人', '活动面向青少年开放，内容包括海洋科普展览、科学家讲座和互动实验，通过公众号宣传。', '提交'];

async function run(name: string, store: Store): Promise<Record<string, number | string>> {
  let calls = 0;
  const counted = instrumentStore(store, () => (calls += 1));
  const event = loadEvent(EVENT_FILE);
  const engine = createEngine({ store: counted, event, flows: allFlows, i18n: loadI18n(LOCALES_DIR), clock: createSystemClock(), log: silentLogger, defaultLocale: 'zh-CN', sessionTtlMs: 86_400_000, dedupeTtlMs: 86_400_000 });
  const script = ['/file key-project', ...ANSWERS];
  const queues = Array.from({ length: USERS }, (_, u) => script.map((text, i): Inbound => ({ platform: 'bench', chat: { id: `c${u}`, kind: 'private' }, user: { id: `u${u}`, displayName: 'b' }, text, deliveryId: `${u}-${i}`, receivedAt: new Date() })));
  const latencies: number[] = [];
  const order: Inbound[][] = [];
  for (let step = 0; step < script.length; step += 1) order.push(queues.map((q) => q[step] as Inbound));
  const started = performance.now();
  for (const wave of order) {
    for (let i = 0; i < wave.length; i += IN_FLIGHT) {
      await Promise.all(
        wave.slice(i, i + IN_FLIGHT).map(async (inbound) => {
          const t0 = performance.now();
          await engine.handle(inbound);
          latencies.push(performance.now() - t0);
        }),
      );
    }
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const updates = USERS * script.length;
  return {
    store: name,
    users: USERS,
    updates,
    updatesPerSecond: Math.round(updates / (elapsed / 1000)),
    p50Ms: Number((latencies[Math.floor(updates * 0.5)] ?? 0).toFixed(2)),
    p99Ms: Number((latencies[Math.floor(updates * 0.99)] ?? 0).toFixed(2)),
    storeCallsPerUpdate: Number((calls / updates).toFixed(2)),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-bench-'));
const results = [await run('sqlite', createSqliteStore({ file: path.join(dir, 'bench.db') }))];
rmSync(dir, { recursive: true, force: true });
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/15';
const raw = new Redis(url);
try {
  await raw.flushdb();
  const redisStore = createRedisStore({ url, prefix: 'bench:' });
  results.push(await run('redis', redisStore));
  // A draft in progress: one more user halfway through, measured with MEMORY USAGE of its session key.
  const keys = await raw.keys('bench:session:*');
  const sizes = await Promise.all(keys.slice(0, 20).map((key) => raw.memory('USAGE', key)));
  const bytes = sizes.filter((s): s is number => typeof s === 'number');
  results.push({ store: 'redis', redisBytesPerSession: bytes.length === 0 ? 0 : Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length) });
  await redisStore.close();
  await raw.flushdb();
} finally {
  raw.disconnect();
}
process.stdout.write(`${JSON.stringify(results)}\n`);
