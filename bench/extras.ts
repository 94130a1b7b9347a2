/**
 * The measurements beside the filing workload, in their own process (`tsx bench/extras.ts`, one JSON
 * line on stdout): the Q&A median answer time over the whole question set, and the reminder planning
 * time for 1,000 bound groups × the 10 shipped rules (data/reminders.json).
 */
import { performance } from 'node:perf_hooks';
import { loadEvent } from '../src/domain/event.js';
import { EVENT_FILE, REMINDERS_FILE } from '../src/app/paths.js';
import { planReminders } from '../src/reminders/planner.js';
import { loadReminderRules } from '../src/reminders/rules.js';
import type { GroupBinding } from '../src/domain/records.js';
import { median } from './driver.js';
import { measureQa } from './qa-timing.js';

/** What bench/run.ts reads. */
export interface ExtrasResult {
  qa: ReturnType<typeof measureQa>;
  planning: { groups: number; rules: number; due: number; medianMs: number; runs: number };
}

const GROUPS = 1000;
const PLAN_RUNS = 21;
/** Three days before the forms deadline, after 09:00: every group's district still owes its forms. */
const PLAN_AT = new Date('2021-04-27T09:30:00+08:00');

function measurePlanning(): ExtrasResult['planning'] {
  const event = loadEvent(EVENT_FILE);
  const rules = loadReminderRules(REMINDERS_FILE, event);
  const groups: GroupBinding[] = Array.from({ length: GROUPS }, (_, i) => ({
    platform: 'telegram',
    chatId: String(-1_000_000_000 - i),
    district: event.districts[i % event.districts.length]?.id ?? 'shinan',
    title: `区市群 ${i}`,
    boundBy: 'telegram:1',
    boundAt: '2021-04-01T00:00:00.000Z',
  }));
  const input = { event, rules, groups, filings: [], declarations: [], now: PLAN_AT };
  let due = 0;
  for (let i = 0; i < 5; i += 1) due = planReminders(input).length;
  const samples: number[] = [];
  for (let i = 0; i < PLAN_RUNS; i += 1) {
    const started = performance.now();
    due = planReminders(input).length;
    samples.push(performance.now() - started);
  }
  return { groups: GROUPS, rules: rules.rules.length, due, medianMs: Number(median(samples).toFixed(3)), runs: PLAN_RUNS };
}

const result: ExtrasResult = { qa: measureQa(Number(process.env['QA_BENCH_ROUNDS'] ?? 50)), planning: measurePlanning() };
process.stdout.write(`${JSON.stringify(result)}\n`);
