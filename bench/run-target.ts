/**
 * One repetition of one target, in its own process (fair RSS, no shared heap):
 * `tsx bench/run-target.ts <ours|telegraf|grammyConversations> <redisUrl>`. It flushes the target's
 * Redis db, warms up, runs the timed workload, then stops a few more users half-way to measure an
 * in-progress session, checks that every timed user filed (one rejection, one receipt each), flushes
 * the db again and prints the measurement as one JSON line on stdout. Anything wrong exits 1.
 */
import { Redis } from 'ioredis';
import { drive } from './driver.js';
import { commandStats, commandsBetween, meanBytesPerUser } from './redis-meter.js';
import { createTarget, isTargetName } from './targets/index.js';
import type { TargetName } from './targets/target.js';
import { userId, userScripts } from './workload.js';

/** What a repetition reports to bench/run.ts. */
export interface TargetRun {
  name: TargetName;
  users: number;
  updates: number;
  updatesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  redisCommandsPerUpdate: number;
  redisCommandsByName: Record<string, number>;
  redisClientCommandsPerUpdate: number;
  /** Socket writes per update with one update in flight: the round trips on one update's path. */
  redisRoundTripsPerUpdate: number;
  /** Socket writes per update under the timed load (auto-pipelining merges concurrent updates' commands). */
  redisWritesPerUpdateUnderLoad: number;
  redisBytesPerSession: number;
  peakRssMb: number;
  cpuPerUpdateUsStep1: number;
  cpuPerUpdateUsStep15: number;
  step15OverStep1: number;
  botApiCallsPerUpdate: number;
}

const USERS = Number(process.env['BENCH_USERS'] ?? 1000);
const WARM_UP_USERS = Math.min(100, USERS);
const HALF_WAY_USERS = 100;
/** Users filed one update at a time, to count the round trips of one update's path. */
const SERIAL_USERS = 20;
/** The half-way users stop after /start and 8 answers. */
const HALF_WAY_STEPS = 9;

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

async function main(): Promise<void> {
  const [name, redisUrl] = process.argv.slice(2);
  if (name === undefined || !isTargetName(name) || redisUrl === undefined) {
    throw new Error('usage: tsx bench/run-target.ts <ours|telegraf|grammyConversations> <redis url with db>');
  }
  const admin = new Redis(redisUrl);
  await admin.flushdb();
  const target = await createTarget(name, { redisUrl });
  try {
    await target.init();
    let nextUser = 0;
    const take = (count: number): number => ((nextUser += count), nextUser - count);
    await drive(target, userScripts(take(WARM_UP_USERS), WARM_UP_USERS));

    const receiptsBefore = target.api.count('receipts');
    const rejectionsBefore = target.api.count('rejections');
    const callsBefore = target.api.totalCalls();
    const meterBefore = { ...target.meter };
    const statsBefore = await commandStats(admin);
    const timed = await drive(target, userScripts(take(USERS), USERS));
    const statsAfter = await commandStats(admin);
    const receipts = target.api.count('receipts') - receiptsBefore;
    const rejections = target.api.count('rejections') - rejectionsBefore;
    if (receipts !== USERS || rejections !== USERS) {
      throw new Error(`${name}: ${receipts} of ${USERS} users got a receipt and ${rejections} the one rejection — the workload did not run as scripted`);
    }
    const commands = commandsBetween(statsBefore, statsAfter);
    const roundTrips = target.meter.writes - meterBefore.writes;
    const clientCommands = target.meter.commands - meterBefore.commands;
    const apiCalls = target.api.totalCalls() - callsBefore;

    const serialBefore = target.meter.writes;
    const serial = await drive(target, userScripts(take(SERIAL_USERS), SERIAL_USERS), 1);
    const serialRoundTrips = target.meter.writes - serialBefore;

    const halfWayFirst = take(HALF_WAY_USERS);
    await drive(target, userScripts(halfWayFirst, HALF_WAY_USERS, HALF_WAY_STEPS));
    const halfWayKeys = Array.from({ length: HALF_WAY_USERS }, (_, u) => target.sessionKeys(userId(halfWayFirst + u)));
    const session = await meanBytesPerUser(admin, halfWayKeys);
    if (session.usersWithKeys !== HALF_WAY_USERS) throw new Error(`${name}: only ${session.usersWithKeys} of ${HALF_WAY_USERS} half-way users have a session in Redis`);

    const cpu = timed.cpuPerUpdateUs;
    const result: TargetRun = {
      name,
      users: USERS,
      updates: timed.updates,
      updatesPerSecond: Math.round(timed.updatesPerSecond),
      p50Ms: round(timed.p50Ms, 3),
      p99Ms: round(timed.p99Ms, 3),
      redisCommandsPerUpdate: round(commands.total / timed.updates),
      redisCommandsByName: commands.byCommand,
      redisClientCommandsPerUpdate: round(clientCommands / timed.updates),
      redisRoundTripsPerUpdate: round(serialRoundTrips / serial.updates),
      redisWritesPerUpdateUnderLoad: round(roundTrips / timed.updates),
      redisBytesPerSession: session.bytes,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
      cpuPerUpdateUsStep1: round(cpu?.step1 ?? 0, 1),
      cpuPerUpdateUsStep15: round(cpu?.step15 ?? 0, 1),
      step15OverStep1: cpu === undefined || cpu.step1 === 0 ? 0 : round(cpu.step15 / cpu.step1),
      botApiCallsPerUpdate: round(apiCalls / timed.updates),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await target.close();
    await admin.flushdb();
    admin.disconnect();
  }
}

await main();
