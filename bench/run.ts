/**
 * `npm run bench`: our bot against two peers — Telegraf 4 wizard scenes and grammY with
 * @grammyjs/conversations — on the same key-project workload, the same in-memory Bot API, the same Redis
 * and machine, in one run; plus Q&A, reminder planning and start-up time. Each repetition of each target
 * runs in its own process (bench/run-target.ts), repetitions interleaved across targets. Prints a table
 * with every performance target as met or missed, and writes bench/results.json. It is a report, not a
 * test: it exits 0 when targets are missed, and 1 only when a measurement could not be made.
 *
 * Environment: BENCH_USERS (1000), BENCH_REPS (3), BENCH_ONLY=ours|telegraf|grammyConversations (one
 * target, no extras, results.json left alone unless BENCH_WRITE=1), BENCH_REDIS_URL (a Redis to use;
 * by default a private redis-server is started, so no other client skews `INFO commandstats`).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.js';
import { IN_FLIGHT } from './driver.js';
import type { ExtrasResult } from './extras.js';
import { checks, formatReport, ratios, summarize, type TargetSummary } from './report.js';
import type { TargetRun } from './run-target.js';
import { measureStartup } from './startup.js';
import { isTargetName, TARGET_NAMES } from './targets/index.js';
import type { TargetName } from './targets/target.js';
import { STEPS_PER_USER, WORKLOAD_DESCRIPTION } from './workload.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL('results.json', import.meta.url));
const USERS = Number(process.env['BENCH_USERS'] ?? 1000);
const REPS = Number(process.env['BENCH_REPS'] ?? 3);
const ONLY = process.env['BENCH_ONLY'];
/** Each target gets a Redis db of its own (flushed before and after); start-up uses another. */
const DB: Record<TargetName, number> = { ours: 15, telegraf: 14, grammyConversations: 13 };
const STARTUP_DB = 12;

function withDb(url: string, db: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${db}`;
  return parsed.toString();
}

/** Runs `tsx <script> ...args` in a child process; resolves with the last stdout line parsed as JSON. */
function runChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || last === '') {
        reject(new Error(`${script} ${args.join(' ')} failed (exit ${code})`));
        return;
      }
      resolve(JSON.parse(last) as T);
    });
  });
}

/** A Redis for the whole run: BENCH_REDIS_URL, else a private redis-server, else REDIS_URL or 6379. */
async function openRedis(): Promise<{ url: string; server: RedisServer | undefined; kind: string }> {
  const given = process.env['BENCH_REDIS_URL'];
  if (given !== undefined) return { url: given, server: undefined, kind: 'BENCH_REDIS_URL' };
  try {
    const server = await startRedisServer();
    return { url: server.url, server, kind: 'private redis-server (no other clients)' };
  } catch {
    return { url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', server: undefined, kind: 'shared (REDIS_URL): other clients may add to INFO commandstats' };
  }
}

async function redisVersion(url: string): Promise<string> {
  const admin = new Redis(url);
  try {
    return /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
  } finally {
    admin.disconnect();
  }
}

async function main(): Promise<void> {
  if (ONLY !== undefined && !isTargetName(ONLY)) throw new Error(`BENCH_ONLY must be one of ${TARGET_NAMES.join(', ')}`);
  const names = ONLY === undefined ? TARGET_NAMES : TARGET_NAMES.filter((name) => name === ONLY);
  const wallStarted = performance.now();
  const redis = await openRedis();
  try {
    const runs = new Map<TargetName, TargetRun[]>(names.map((name) => [name, []]));
    for (let rep = 1; rep <= REPS; rep += 1) {
      for (const name of names) {
        process.stderr.write(`bench: ${name}, repetition ${rep} of ${REPS}, ${USERS} users…\n`);
        const run = await runChild<TargetRun>('bench/run-target.ts', [name, withDb(redis.url, DB[name])]);
        runs.get(name)?.push(run);
      }
    }
    const targets: Partial<Record<TargetName, TargetSummary>> = {};
    for (const [name, list] of runs) targets[name] = summarize(list);

    let extras: ExtrasResult | undefined;
    let startup: Awaited<ReturnType<typeof measureStartup>> | undefined;
    if (ONLY === undefined || process.env['BENCH_EXTRAS'] === '1') {
      process.stderr.write('bench: Q&A and reminder planning…\n');
      extras = await runChild<ExtrasResult>('bench/extras.ts', []);
      process.stderr.write('bench: start-up to ready…\n');
      startup = await measureStartup(withDb(redis.url, STARTUP_DB));
    }
    const list = checks(targets, extras, startup);
    const wallSeconds = Math.round((performance.now() - wallStarted) / 1000);
    const header = `sciweek-bot benchmark — ${USERS} users × ${STEPS_PER_USER} updates, ${IN_FLIGHT} in flight, ${REPS} repetition(s), ${wallSeconds} s`;
    process.stdout.write(formatReport(targets, list, header));
    if (extras !== undefined) {
      process.stdout.write(`\nQ&A: median ${extras.qa.qaMedianMs} ms, p95 ${extras.qa.qaP95Ms} ms over ${extras.qa.answers} answers\n`);
      process.stdout.write(`planning: ${extras.planning.groups} groups × ${extras.planning.rules} rules → ${extras.planning.due} reminders, median ${extras.planning.medianMs} ms\n`);
    }
    if (startup !== undefined) {
      process.stdout.write(`start-up to ready (npm start): median ${startup.source.medianMs} ms (${startup.source.samplesMs.join(', ')})\n`);
      process.stdout.write(startup.dist === undefined ? 'start-up from dist/: skipped (no build; run npm run build)\n' : `start-up to ready (dist/): median ${startup.dist.medianMs} ms (${startup.dist.samplesMs.join(', ')})\n`);
    }
    const { ours, ...peers } = targets;
    const results = {
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform, date: new Date().toISOString() },
      workload: { description: WORKLOAD_DESCRIPTION, users: USERS, updatesPerUser: STEPS_PER_USER, inFlight: IN_FLIGHT, repetitions: REPS, warmUpUsers: Math.min(100, USERS), halfWayUsers: 100, halfWaySteps: 9 },
      redis: { kind: redis.kind, version: await redisVersion(redis.url) },
      wallSeconds,
      ours: ours ?? null,
      peers,
      ratios: ratios(targets),
      qa: extras?.qa ?? null,
      planning: extras?.planning ?? null,
      startup: startup ?? null,
      targets: list,
    };
    if (ONLY === undefined || process.env['BENCH_WRITE'] === '1') {
      writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
      process.stdout.write(`\nwrote ${RESULTS_FILE}\n`);
    }
  } finally {
    await redis.server?.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
