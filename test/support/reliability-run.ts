/**
 * One kill scenario of the reliability tests, end to end: the Bot API stand-in, the service instances
 * on the test's store (its own Redis server, or SQLite in a temp directory), users filing key projects
 * over a webhook or long polling while instances are SIGKILLed and started again, then — once the
 * inbox and the outbox are empty — what each user got: their filings read from the store, their
 * chat read from the stand-in. The figures are printed before anything is asserted.
 */
import { onTestFailed } from 'vitest';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { makeDataDir } from './console-process.js';
import { until, type ServiceOptions } from './faults-service.js';
import { startRedisServer } from './redis-server.js';
import { filingScript, outcomes, type UserOutcome } from './reliability-answers.js';
import {
  answered, balancedWebhook, createCrowd, pollingTransport, runUsers, standInWebhook, type Crowd, type Transport,
} from './reliability-driver.js';
import { figures, inboxMeter, printFigures, type InboxMeter } from './reliability-figures.js';
import { createFleet, killOnProgress, type Fleet, type PlannedKill } from './reliability-fleet.js';
import { startBotApi, type BotApi } from './telegram-bot-api.js';

/** What a scenario runs. */
export interface Scenario {
  test: string;
  store: 'redis' | 'sqlite';
  mode: 'webhook' | 'polling';
  /** Instance names; several share the store behind a load balancer (webhook only). */
  instances: readonly string[];
  users: readonly number[];
  /** When to kill which instance; each is started again at once. */
  kills: readonly PlannedKill[];
  /** Registers a cleanup, run after the test even when it fails. */
  cleanup: (step: () => Promise<void> | void) => void;
}

/** What came of a scenario. */
export interface ScenarioResult {
  api: BotApi;
  crowd: Crowd;
  fleet: Fleet;
  /** Users who gave up on a message after typing it three times. */
  gaveUp: number[];
  outcomes: UserOutcome[];
  figures: Record<string, unknown>;
}

/** The scenario's store: how the service is pointed at it and how the test opens it. */
async function prepareStore(scenario: Scenario): Promise<{ options: NonNullable<ServiceOptions['store']>; open: () => Store; redis?: { url: string; prefix: string } }> {
  if (scenario.store === 'sqlite') {
    const data = makeDataDir();
    scenario.cleanup(data.remove);
    return { options: { dataDir: data.dir }, open: () => createSqliteStore({ file: `${data.dir}/sciweek.db` }) };
  }
  const server = await startRedisServer();
  scenario.cleanup(() => server.remove());
  const prefix = 'reliability:';
  return { options: { redisUrl: server.url, redisPrefix: prefix }, open: () => createRedisStore({ url: server.url, prefix }), redis: { url: server.url, prefix } };
}

/** Waits until no update waits in the inbox and no answer in the outbox. */
async function drained(store: Store): Promise<void> {
  await until(
    async () => (await store.inboxDepth(8)).every((depth) => depth === 0) && (await store.outboxChats(10)).length === 0,
    'the inbox and the outbox to be empty',
    30_000,
  );
}

/** Runs the scenario; see the module comment. */
export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const startedAt = Date.now();
  const api = await startBotApi();
  scenario.cleanup(() => api.close());
  // Telegram takes a moment to answer; a kill then more often falls between a commit and its send.
  api.delay('sendMessage', 20);
  const store = await prepareStore(scenario);
  const fleet = createFleet({ api, store: store.options });
  scenario.cleanup(() => fleet.killAll());
  onTestFailed(() => {
    console.log(`${scenario.test}: service logs in ${fleet.saveLogs(scenario.test)}\n${fleet.problems().join('\n')}`);
  });
  const webhook = scenario.mode === 'webhook';
  for (const name of scenario.instances) await fleet.add(name, webhook);
  let transport: Transport;
  if (!webhook) transport = pollingTransport(api);
  else if (scenario.instances.length === 1) transport = standInWebhook(api);
  else transport = balancedWebhook(fleet.instances.map((instance) => instance.port ?? 0));
  const crowd = createCrowd(api, transport);
  scenario.cleanup(async () => {
    crowd.watcher.stop();
    await transport.close();
  });
  let meter: InboxMeter | undefined;
  if (store.redis !== undefined) {
    meter = inboxMeter(store.redis.url, store.redis.prefix);
    meter.start(250);
    scenario.cleanup(() => meter?.close());
  }
  const reader = store.open();
  scenario.cleanup(() => reader.close());
  const total = scenario.users.length * filingScript(0).length;
  const users = runUsers(crowd, { users: scenario.users, script: filingScript });
  // A failure of the kills must not leave the users' promise unhandled.
  users.catch(() => undefined);
  await killOnProgress(fleet, scenario.kills, {
    progress: () => answered(crowd),
    total,
    depth: async () => (await reader.inboxDepth(8)).reduce((a, b) => a + b, 0),
    sample: () => meter?.sample() ?? Promise.resolve(),
  });
  const gaveUp = await users;
  for (const instance of fleet.instances) await fleet.ready(instance.name);
  await drained(reader);
  await meter?.sample();
  await meter?.close();
  // A late second answer (a doubled receipt) would show within this moment.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const result = await outcomes(reader, api, scenario.users);
  const values = figures({
    test: scenario.test,
    store: scenario.store,
    mode: scenario.mode,
    instances: scenario.instances.length,
    users: scenario.users.length,
    kills: fleet.killedAt.length,
    killedAt: fleet.killedAt,
    records: crowd.records,
    outcomes: result,
    transport,
    startedAt,
    ...(meter === undefined ? {} : { meter }),
  });
  printFigures(values);
  return { api, crowd, fleet, gaveUp, outcomes: result, figures: values };
}

/** Users whose outcome breaks a guarantee, described; [] when every user got exactly what they filed. */
export function brokenPromises(result: ScenarioResult): string[] {
  return result.outcomes.flatMap((o) => {
    const problems: string[] = [];
    const filing = o.filings[0];
    if (o.filings.length !== 1) problems.push(`${o.filings.length} filings`);
    if (filing !== undefined && filing.status !== 'submitted') problems.push(`filing ${filing.receipt} is ${filing.status}`);
    if (o.wrongFields.length > 0) problems.push(`fields not as typed: ${o.wrongFields.join(', ')}`);
    if (filing !== undefined && !o.receiptsShown.includes(filing.receipt)) problems.push(`receipt ${filing.receipt} never shown`);
    if (o.receiptsShown.length > 1) problems.push(`receipts shown: ${o.receiptsShown.join(', ')}`);
    if (o.toldToResend) problems.push('told to send a message again');
    return problems.length === 0 ? [] : [`user ${o.user}: ${problems.join('; ')}`];
  });
}

/** Messages that got no answer within the patience, described. */
export function unansweredMessages(result: ScenarioResult): string[] {
  return result.crowd.records
    .filter((r) => r.answeredAt === undefined)
    .map((r) => `user ${r.user} step ${r.step} (${JSON.stringify(r.text.slice(0, 20))}, update ${r.updateId}) sent at +${r.sentAt - (result.crowd.records[0]?.sentAt ?? 0)} ms`);
}
