/**
 * Reliability — Redis stalls for 7 s (DEBUG SLEEP on the test's own redis-server), longer than the
 * service's 5 s command timeout, so a command sent meanwhile fails with an unknown outcome: the server
 * runs it when it wakes. One user's message reaches the webhook during the stall (the webhook call
 * times out, Telegram sends the update again); another user's message was kept just before it, so the
 * worker meets the stall while handling it. Either way the message is handled once, where it belongs,
 * and the user is never told to send it again (a notice that it is kept may come). At the summary:
 * exactly one filing with the typed values and its receipt shown, and a submit typed again after the
 * stall adds nothing. Mid-form: the answer lands in its field and the next question comes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { until } from '../support/faults-service.js';
import { RECEIPT, filingScript, outcomes, type UserOutcome } from '../support/reliability-answers.js';
import { createCrowd, say, standInWebhook, type Crowd } from '../support/reliability-driver.js';
import { figures, printFigures } from '../support/reliability-figures.js';
import { createFleet } from '../support/reliability-fleet.js';
import { startStallableRedis, type StallableRedis } from '../support/reliability-redis.js';
import { startBotApi, type BotApi } from '../support/telegram-bot-api.js';

const STALL_SECONDS = 7;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  api: BotApi;
  redis: StallableRedis;
  crowd: Crowd;
  store: Store;
  startedAt: number;
}

/** The stand-in, a stallable Redis, one webhook instance on it, and a reader of its store. */
async function setUp(): Promise<Setup> {
  const startedAt = Date.now();
  const api = await startBotApi();
  cleanups.push(() => api.close());
  const redis = await startStallableRedis();
  cleanups.push(() => redis.remove());
  const prefix = 'reliability-stall:';
  const fleet = createFleet({ api, store: { redisUrl: redis.url, redisPrefix: prefix } });
  cleanups.push(() => fleet.killAll());
  await fleet.add('A', true);
  const transport = standInWebhook(api);
  const crowd = createCrowd(api, transport);
  cleanups.push(async () => {
    crowd.watcher.stop();
    await transport.close();
  });
  const store = createRedisStore({ url: redis.url, prefix });
  cleanups.push(() => store.close());
  return { api, redis, crowd, store, startedAt };
}

/** Types the user's script from step `from` up to (not including) step `to`, each answered. */
async function typeSteps(crowd: Crowd, user: number, from: number, to: number): Promise<void> {
  const script = filingScript(user);
  for (let step = from; step < to; step += 1) {
    const ok = await say(crowd, user, step, script[step] ?? { text: '', expect: /./u });
    if (!ok) throw new Error(`user ${user}: no answer to step ${step}`);
  }
}

/**
 * At step `step`: `keptBefore`'s message is kept, then Redis stalls, then `during` types theirs.
 * Resolves with whether each was answered, when the first was typed, and the webhook calls of both.
 */
async function stallAt(setup: Setup, step: number, keptBefore: number, during: number): Promise<Stalled> {
  const { crowd, redis } = setup;
  let stalled: (value: { woke: Promise<void> }) => void = () => undefined;
  const asleep = new Promise<{ woke: Promise<void> }>((resolve) => (stalled = resolve));
  const armed = await redis.armStall(STALL_SECONDS);
  const faultAt = Date.now();
  const typed = crowd.records.length;
  const first = say(crowd, keptBefore, step, filingScript(keptBefore)[step] ?? { text: '', expect: /./u }, {
    taken: () => void armed.fire().then(stalled),
  });
  const { woke } = await asleep;
  const second = say(crowd, during, step, filingScript(during)[step] ?? { text: '', expect: /./u });
  const answered = await Promise.all([first, second]);
  await woke;
  const ids = new Set(crowd.records.slice(typed).map((r) => r.updateId));
  return { answered, faultAt, calls: crowd.transport.history.filter((call) => ids.has(call.updateId)) };
}

interface Stalled {
  answered: boolean[];
  faultAt: number;
  /** The webhook calls of the two messages: outcome and how long each took. */
  calls: { updateId: number; outcome: string; ms: number }[];
}

/** Waits until the inbox and the outbox are empty, and a moment more for a late doubled answer. */
async function settle(store: Store): Promise<void> {
  await until(
    async () => (await store.inboxDepth(8)).every((depth) => depth === 0) && (await store.outboxChats(10)).length === 0,
    'the inbox and the outbox to be empty',
    30_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

function report(setup: Setup, test: string, users: number[], all: UserOutcome[], stall: Stalled): void {
  printFigures({
    ...figures({
      test, store: 'redis', mode: 'webhook', instances: 1, users: users.length, kills: 0, killedAt: [stall.faultAt],
      records: setup.crowd.records, outcomes: all, transport: setup.crowd.transport, startedAt: setup.startedAt,
    }),
    stalls: 1,
    stallSeconds: STALL_SECONDS,
    webhookCallsAtStall: stall.calls,
  });
}

/** The exact guarantees for one user: one submitted filing as typed, its receipt shown once, never "send again". */
function expectFiledOnce(o: UserOutcome): void {
  expect(o.filings.map((f) => f.status), `filings of user ${o.user}`).toEqual(['submitted']);
  expect(o.wrongFields, `fields of user ${o.user} not as typed`).toEqual([]);
  expect(o.receiptsShown, `receipts shown to user ${o.user}`).toEqual([o.filings[0]?.receipt]);
  expect(o.toldToResend, `user ${o.user} told to send again`).toBe(false);
}

describe(`Redis stalls for ${STALL_SECONDS} s (longer than the command timeout)`, () => {
  it('a submit kept just before it and one sent during it: one filing each, as typed, its receipt shown; submitting again adds nothing', async () => {
    const setup = await setUp();
    const [before, during] = [750_001, 750_002];
    await Promise.all([typeSteps(setup.crowd, before, 0, 17), typeSteps(setup.crowd, during, 0, 17)]);
    const stall = await stallAt(setup, 17, before, during);
    expect(stall.answered).toEqual([true, true]);

    // After the stall each user types 提交 again: answered (by the Q&A: no draft is open), with no
    // receipt and no second filing.
    const again = { text: '提交', expect: /^(?![\s\S]*(回执号|您的消息已收到并保存))/u };
    expect(await Promise.all([say(setup.crowd, before, 18, again), say(setup.crowd, during, 18, again)])).toEqual([true, true]);
    await settle(setup.store);
    const all = await outcomes(setup.store, setup.api, [before, during]);
    report(setup, 'redis-stall-submit', [before, during], all, stall);
    for (const o of all) expectFiledOnce(o);
    for (const user of [before, during]) {
      expect(setup.api.sentMessages(user).filter((m) => RECEIPT.test(m.plainText)).length, `receipt messages to ${user}`).toBeGreaterThan(0);
    }
    expect(setup.crowd.records.filter((r) => r.answeredAt === undefined)).toEqual([]);
  }, 90_000);

  it('an answer kept just before it and one sent during it, mid-form: each lands in its field, the next question comes', async () => {
    const setup = await setUp();
    const [before, during] = [750_011, 750_012];
    // Both users have answered district … venue; the stall meets their answer to 举办时间 (step 6).
    await Promise.all([typeSteps(setup.crowd, before, 0, 6), typeSteps(setup.crowd, during, 0, 6)]);
    const stall = await stallAt(setup, 6, before, during);
    // Answered with the question of field 7 (（7/16）): the answer was taken once, for 举办时间.
    expect(stall.answered).toEqual([true, true]);
    await Promise.all([typeSteps(setup.crowd, before, 7, 18), typeSteps(setup.crowd, during, 7, 18)]);
    await settle(setup.store);
    const all = await outcomes(setup.store, setup.api, [before, during]);
    report(setup, 'redis-stall-mid-form', [before, during], all, stall);
    for (const o of all) expectFiledOnce(o);
    expect(setup.crowd.records.filter((r) => r.answeredAt === undefined)).toEqual([]);
  }, 90_000);
});
