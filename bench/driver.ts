/**
 * The load driver shared by every target: all users' updates interleaved round-robin (user 0 step 0,
 * user 1 step 0, …, then step 1 of each, …), at most 64 updates in flight, and a user's next update sent
 * only once their previous one resolved. It measures each update's latency, the throughput, and the
 * process's CPU per update while the wave of step 1 and the wave of step 15 are handled.
 */
import { performance } from 'node:perf_hooks';
import type { Target } from './targets/target.js';
import { BASELINE_STEP, LATE_STEP, type TextUpdate } from './workload.js';

/** Updates handled at once. */
export const IN_FLIGHT = 64;

/** What one drive measured. */
export interface DriveResult {
  updates: number;
  elapsedMs: number;
  updatesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU (user + system) per update, in µs, over the wave of each compared step. */
  cpuPerUpdateUs: { step1: number; step15: number } | undefined;
}

/** The value at quantile `q` of sorted numbers. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * CPU per update over the wave of one step: from the dispatch of its first update to the completion
 * of its last, divided by the updates completed meanwhile (any step: with 64 in flight the wave's
 * edges overlap the neighbouring steps by at most 64 updates).
 */
class WaveCpu {
  private cpuAtStart = 0;
  private completedAtStart = 0;
  private done = 0;
  perUpdateUs = 0;

  constructor(
    readonly step: number,
    private readonly users: number,
  ) {}

  dispatched(step: number, indexInWave: number, completed: number): void {
    if (step !== this.step || indexInWave !== 0) return;
    this.cpuAtStart = cpuMicros();
    this.completedAtStart = completed;
  }

  finished(step: number, completed: number): void {
    if (step !== this.step) return;
    this.done += 1;
    if (this.done === this.users) this.perUpdateUs = (cpuMicros() - this.cpuAtStart) / Math.max(1, completed - this.completedAtStart);
  }
}

/** Drives `scripts` (`scripts[user][step]`) through `target`, `inFlight` at most at once; rejects if any update fails. */
export async function drive(target: Target, scripts: readonly (readonly TextUpdate[])[], inFlightLimit = IN_FLIGHT): Promise<DriveResult> {
  const users = scripts.length;
  const steps = Math.max(0, ...scripts.map((script) => script.length));
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const last: (Promise<void> | undefined)[] = Array.from({ length: users }, () => undefined);
  const waves = [new WaveCpu(BASELINE_STEP, users), new WaveCpu(LATE_STEP, users)];
  let completed = 0;
  let failure: Error | undefined;
  const started = performance.now();
  for (let step = 0; step < steps; step += 1) {
    for (let user = 0; user < users; user += 1) {
      const update = scripts[user]?.[step];
      if (update === undefined) continue;
      while (inFlight.size >= inFlightLimit) await Promise.race(inFlight);
      const previous = last[user];
      if (previous !== undefined) await previous;
      if (failure !== undefined) throw failure;
      for (const wave of waves) wave.dispatched(step, user, completed);
      const sentAt = performance.now();
      const run = target.handle(update).then(
        () => {
          latencies.push(performance.now() - sentAt);
          completed += 1;
          for (const wave of waves) wave.finished(step, completed);
        },
        (error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      );
      last[user] = run;
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const [step1, step15] = waves;
  return {
    updates: latencies.length,
    elapsedMs,
    updatesPerSecond: latencies.length / (elapsedMs / 1000),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuPerUpdateUs: steps > LATE_STEP && step1 !== undefined && step15 !== undefined ? { step1: step1.perUpdateUs, step15: step15.perUpdateUs } : undefined,
  };
}
