/**
 * The benchmark's report: the per-target figures (medians over the repetitions), the ratios ours/peer,
 * every performance target as met or missed, and a readable table of it all for the terminal.
 */
import { median } from './driver.js';
import type { ExtrasResult } from './extras.js';
import type { TargetRun } from './run-target.js';
import type { StartupResult } from './startup.js';
import type { TargetName } from './targets/target.js';

/** One target's figures in results.json. */
export interface TargetSummary {
  updatesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  redisCommandsPerUpdate: number;
  redisRoundTripsPerUpdate: number;
  redisWritesPerUpdateUnderLoad: number;
  redisBytesPerSession: number;
  peakRssMb: number;
  step15OverStep1: number;
  cpuPerUpdateUsStep1: number;
  cpuPerUpdateUsStep15: number;
  /** Commands the target's clients sent (a Lua script is one; the server-side count includes its inner calls). */
  redisClientCommandsPerUpdate: number;
  redisCommandsByName: Record<string, number>;
  botApiCallsPerUpdate: number;
  repetitions: { updatesPerSecond: number; p50Ms: number; p99Ms: number; step15OverStep1: number }[];
}

/** A performance target, checked. */
export interface Check {
  target: string;
  value: string;
  goal: string;
  met: boolean | null;
}

const NUMERIC_FIELDS = [
  'updatesPerSecond', 'p50Ms', 'p99Ms', 'redisCommandsPerUpdate', 'redisRoundTripsPerUpdate', 'redisWritesPerUpdateUnderLoad', 'redisBytesPerSession', 'peakRssMb',
  'step15OverStep1', 'cpuPerUpdateUsStep1', 'cpuPerUpdateUsStep15', 'redisClientCommandsPerUpdate', 'botApiCallsPerUpdate',
] as const;

/** Each figure is the median over the repetitions (the command counts of the median-throughput run). */
export function summarize(runs: readonly TargetRun[]): TargetSummary {
  const byThroughput = [...runs].sort((a, b) => a.updatesPerSecond - b.updatesPerSecond);
  const middle = byThroughput[Math.floor((byThroughput.length - 1) / 2)];
  const summary = {} as Record<(typeof NUMERIC_FIELDS)[number], number>;
  for (const field of NUMERIC_FIELDS) summary[field] = Number(median(runs.map((run) => run[field])).toFixed(3));
  return {
    ...summary,
    redisCommandsByName: middle?.redisCommandsByName ?? {},
    repetitions: runs.map((run) => ({ updatesPerSecond: run.updatesPerSecond, p50Ms: run.p50Ms, p99Ms: run.p99Ms, step15OverStep1: run.step15OverStep1 })),
  };
}

function ratio(ours: TargetSummary | undefined, peer: TargetSummary | undefined): number | null {
  return ours === undefined || peer === undefined || peer.updatesPerSecond === 0 ? null : Number((ours.updatesPerSecond / peer.updatesPerSecond).toFixed(2));
}

/** The ratios ours / peer of updates per second (null when a side was not run). */
export function ratios(targets: Partial<Record<TargetName, TargetSummary>>): { vsTelegraf: number | null; vsGrammyConversations: number | null } {
  return { vsTelegraf: ratio(targets.ours, targets.telegraf), vsGrammyConversations: ratio(targets.ours, targets.grammyConversations) };
}

function check(target: string, value: number | null | undefined, goal: string, ok: (v: number) => boolean, unit = ''): Check {
  if (value === null || value === undefined) return { target, value: 'not measured', goal, met: null };
  return { target, value: `${value}${unit}`, goal, met: ok(value) };
}

/** Every performance target, as met or missed. */
export function checks(
  targets: Partial<Record<TargetName, TargetSummary>>,
  extras: ExtrasResult | undefined,
  startup: { source: StartupResult; dist: StartupResult | undefined } | undefined,
): Check[] {
  const r = ratios(targets);
  const ours = targets.ours;
  const list = [
    check('updates/s ours / Telegraf', r.vsTelegraf, '≥ 1.0×', (v) => v >= 1, '×'),
    check('updates/s ours / grammY conversations', r.vsGrammyConversations, '≥ 5×', (v) => v >= 5, '×'),
    check('Redis round trips per update (ours)', ours?.redisRoundTripsPerUpdate, '≤ 2', (v) => v <= 2),
    check('Redis bytes per in-progress session (ours)', ours?.redisBytesPerSession, '≤ 1024 B', (v) => v <= 1024, ' B'),
    check('CPU per update, step 15 / step 1 (ours)', ours?.step15OverStep1, '≤ 1.3', (v) => v <= 1.3),
    check('Q&A median answer time', extras?.qa.qaMedianMs, '≤ 1 ms', (v) => v <= 1, ' ms'),
    check('reminder planning, 1,000 groups × 10 rules', extras?.planning.medianMs, '≤ 50 ms', (v) => v <= 50, ' ms'),
    check('start-up to ready (npm start, tsx)', startup?.source.medianMs, '≤ 1000 ms', (v) => v <= 1000, ' ms'),
  ];
  if (startup?.dist !== undefined) list.push(check('start-up to ready (dist/, SCIWEEK_USE_DIST=1)', startup.dist.medianMs, '≤ 1000 ms', (v) => v <= 1000, ' ms'));
  return list;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => [...(row[col] ?? '')].length))) ?? [];
  return rows.map((row) => row.map((cell, col) => cell + ' '.repeat((widths[col] ?? 0) - [...cell].length)).join('  ')).join('\n');
}

/** The terminal report: figures per target side by side, then the targets. */
export function formatReport(targets: Partial<Record<TargetName, TargetSummary>>, list: readonly Check[], header: string): string {
  const names = (['ours', 'telegraf', 'grammyConversations'] as const).filter((name) => targets[name] !== undefined);
  const rows: string[][] = [['', ...names]];
  const line = (label: string, pick: (s: TargetSummary) => number | string): void => {
    rows.push([label, ...names.map((name) => {
      const summary = targets[name];
      return summary === undefined ? '' : String(pick(summary));
    })]);
  };
  line('updates/s (median)', (s) => s.updatesPerSecond);
  line('p50 ms / update', (s) => s.p50Ms);
  line('p99 ms / update', (s) => s.p99Ms);
  line('Redis commands / update (server)', (s) => s.redisCommandsPerUpdate);
  line('Redis commands / update (client)', (s) => s.redisClientCommandsPerUpdate);
  line('Redis round trips / update (1 in flight)', (s) => s.redisRoundTripsPerUpdate);
  line('Redis socket writes / update (64 in flight)', (s) => s.redisWritesPerUpdateUnderLoad);
  line('Redis bytes / in-progress session', (s) => s.redisBytesPerSession);
  line('peak RSS MB', (s) => s.peakRssMb);
  line('CPU µs / update, step 1', (s) => s.cpuPerUpdateUsStep1);
  line('CPU µs / update, step 15', (s) => s.cpuPerUpdateUsStep15);
  line('step 15 / step 1', (s) => s.step15OverStep1);
  line('Bot API calls / update', (s) => s.botApiCallsPerUpdate);
  line('updates/s per repetition', (s) => s.repetitions.map((rep) => rep.updatesPerSecond).join(' '));
  const checkRows = [['target', 'value', 'goal', ''], ...list.map((c) => [c.target, c.value, c.goal, c.met === null ? 'n/a' : c.met ? 'met' : 'MISSED'])];
  return `${header}\n\n${table(rows)}\n\n${table(checkRows)}\n`;
}
