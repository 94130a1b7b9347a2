/**
 * The figures a reliability test prints for the README: how many messages, kills, unanswered, lost
 * and doubled; answer latency (p50, p99) overall and during recovery (messages typed within 15 s after
 * a kill); and, on Redis, what a waiting update costs in the inbox's streams. One JSON line per test,
 * prefixed `RELIABILITY`. Latencies are measured and printed, never asserted.
 */
import { Redis } from 'ioredis';
import { createRedisKeys } from '../../src/store/keys.js';
import type { MessageRecord, Transport } from './reliability-driver.js';
import { doubledUsers, lostUsers, type UserOutcome } from './reliability-answers.js';

/** A message typed this long after a kill counts as typed during recovery. */
export const RECOVERY_WINDOW_MS = 15_000;

/** The p-th percentile (0–100) of the values, nearest rank; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50 and p99 of the answered messages' latencies, and how many there were. */
function latency(records: readonly MessageRecord[]): { messages: number; p50: number | undefined; p99: number | undefined } {
  const ms = records.flatMap((r) => (r.answeredAt === undefined ? [] : [r.answeredAt - r.sentAt]));
  return { messages: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** The messages typed within the recovery window after any kill. */
export function duringRecovery(records: readonly MessageRecord[], killedAt: readonly number[]): MessageRecord[] {
  return records.filter((r) => killedAt.some((k) => r.sentAt >= k && r.sentAt < k + RECOVERY_WINDOW_MS));
}

/** Samples of the inbox's Redis streams: entries waiting and the memory the streams take. */
export interface InboxMeter {
  /** Reads XLEN and MEMORY USAGE of every partition's stream now. */
  sample(): Promise<void>;
  /** Samples every `everyMs` until closed. */
  start(everyMs: number): void;
  /** Bytes a waiting update adds: the least-squares slope of memory over entries; undefined without spread. */
  bytesPerUpdate(): number | undefined;
  /** The sample with the most entries waiting: how many, and the bytes of all the streams then. */
  fullest(): { entries: number; bytes: number } | undefined;
  close(): Promise<void>;
}

/** Meters the inbox streams of `prefix` on the Redis at `url` (8 partitions unless told). */
export function inboxMeter(url: string, prefix: string, partitions = 8): InboxMeter {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const keys = createRedisKeys(prefix);
  const samples: { entries: number; bytes: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  async function sample(): Promise<void> {
    if (closed) return;
    const pipeline = redis.pipeline();
    for (let partition = 0; partition < partitions; partition += 1) {
      pipeline.xlen(keys.inbox(partition));
      pipeline.call('MEMORY', 'USAGE', keys.inbox(partition), 'SAMPLES', '0');
    }
    const replies = (await pipeline.exec()) ?? [];
    const numbers = replies.map(([error, value]) => (error === null ? Number(value ?? 0) : 0));
    samples.push({
      entries: numbers.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0),
      bytes: numbers.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0),
    });
  }
  return {
    sample,
    start(everyMs) {
      timer = setInterval(() => void sample().catch(() => undefined), everyMs);
    },
    bytesPerUpdate() {
      const n = samples.length;
      const meanX = samples.reduce((sum, s) => sum + s.entries, 0) / n;
      const meanY = samples.reduce((sum, s) => sum + s.bytes, 0) / n;
      const sxx = samples.reduce((sum, s) => sum + (s.entries - meanX) ** 2, 0);
      const sxy = samples.reduce((sum, s) => sum + (s.entries - meanX) * (s.bytes - meanY), 0);
      return n < 2 || sxx === 0 ? undefined : Math.round(sxy / sxx);
    },
    fullest: () => samples.reduce<{ entries: number; bytes: number } | undefined>((best, s) => (best === undefined || s.entries > best.entries ? s : best), undefined),
    close: async () => {
      closed = true;
      clearInterval(timer);
      redis.disconnect();
      await Promise.resolve();
    },
  };
}

/** For each kill, how long until the first answer to any message typed after it (ms). */
export function recoveryTimes(records: readonly MessageRecord[], killedAt: readonly number[]): (number | null)[] {
  return killedAt.map((kill) => {
    const first = Math.min(...records.flatMap((r) => (r.answeredAt !== undefined && r.sentAt >= kill ? [r.answeredAt] : [])));
    return Number.isFinite(first) ? first - kill : null;
  });
}

/** What a test tells about its run. */
export interface RunFacts {
  test: string;
  store: 'redis' | 'sqlite';
  mode: 'webhook' | 'polling';
  instances: number;
  users: number;
  kills: number;
  killedAt: readonly number[];
  records: readonly MessageRecord[];
  outcomes: readonly UserOutcome[];
  transport: Transport;
  startedAt: number;
  meter?: InboxMeter;
}

/** The figures of a run, as printed. */
export function figures(facts: RunFacts): Record<string, unknown> {
  const { records, outcomes } = facts;
  const recovery = duringRecovery(records, facts.killedAt);
  return {
    test: facts.test,
    store: facts.store,
    mode: facts.mode,
    instances: facts.instances,
    users: facts.users,
    messages: records.length,
    kills: facts.kills,
    unanswered: records.filter((r) => r.answeredAt === undefined).length,
    lost: lostUsers(outcomes).length,
    duplicated: doubledUsers(outcomes).length,
    answersSentTwice: outcomes.reduce((sum, o) => sum + o.repeatedAnswers, 0),
    keptNotices: outcomes.reduce((sum, o) => sum + o.keptNotices, 0),
    webhookCalls: facts.transport.calls,
    latencyMs: latency(records),
    recoveryLatencyMs: latency(recovery),
    steadyLatencyMs: latency(records.filter((r) => !recovery.includes(r))),
    firstAnswerAfterKillMs: recoveryTimes(records, facts.killedAt),
    ...(facts.meter === undefined ? {} : { inboxBytesPerWaitingUpdate: facts.meter.bytesPerUpdate() ?? null, inboxFullest: facts.meter.fullest() ?? null }),
    durationMs: Date.now() - facts.startedAt,
  };
}

/** Prints the figures as one `RELIABILITY {json}` line. */
export function printFigures(values: Record<string, unknown>): void {
  console.log(`RELIABILITY ${JSON.stringify(values)}`);
}
