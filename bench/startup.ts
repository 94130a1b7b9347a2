/**
 * Start-up time to ready: spawns what `npm start` runs (`node bin/sciweek.js`) with a Telegram token,
 * the Bot API stand-in of the tests over real HTTP, Redis and a free port, and polls `/readyz` until it
 * answers 200. Reports the milliseconds from spawn to ready (median of a few starts, after one uncounted
 * start that warms the caches); with `SCIWEEK_USE_DIST=1` too when a build (`dist/`) exists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/redis-server.js';
import { startBotApi } from '../test/support/telegram-bot-api.js';
import { median } from './driver.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

/** Ready times of one way of starting. */
export interface StartupResult {
  medianMs: number;
  samplesMs: number[];
}

function readyzStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/readyz', timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.on('timeout', () => request.destroy());
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startOnce(redisUrl: string, apiRoot: string, token: string, useDist: boolean): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: apiRoot,
    REDIS_URL: redisUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SCIWEEK_USE_DIST: useDist ? '1' : '0',
  };
  delete env['SLACK_BOT_TOKEN'];
  delete env['TELEGRAM_WEBHOOK_URL'];
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/sciweek.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    while (performance.now() - started < READY_TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`bin/sciweek.js exited with ${child.exitCode} before ready: ${stderr.slice(-500)}`);
      if ((await readyzStatus(port)) === 200) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`bin/sciweek.js was not ready within ${READY_TIMEOUT_MS} ms: ${stderr.slice(-500)}`);
  } finally {
    await stopChild(child);
  }
}

/** Start-up times from source (tsx) and, when `dist/` exists, from the build; `redisUrl` names a db of its own. */
export async function measureStartup(redisUrl: string, runs = 3): Promise<{ source: StartupResult; dist: StartupResult | undefined }> {
  const api = await startBotApi();
  try {
    const measure = async (useDist: boolean): Promise<StartupResult> => {
      // One start first, not counted: tsx's transform cache and the OS file cache warm, as after a deploy.
      await startOnce(redisUrl, api.apiRoot, api.token, useDist);
      const samplesMs: number[] = [];
      for (let i = 0; i < runs; i += 1) samplesMs.push(Math.round(await startOnce(redisUrl, api.apiRoot, api.token, useDist)));
      return { medianMs: median(samplesMs), samplesMs };
    };
    const source = await measure(false);
    const dist = existsSync(`${ROOT}dist/src/cli.js`) ? await measure(true) : undefined;
    return { source, dist };
  } finally {
    await api.close();
  }
}
