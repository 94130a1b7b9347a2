/**
 * Reliability — kill -9 of the service while users file. Users file key projects over Telegram, each
 * waiting for the answer to a message before typing the next (and typing it again after 20 s
 * without one), while the service is SIGKILLed and started again on the same store: three times on
 * Redis (over the webhook, then over long polling), twice on the embedded SQLite store; one kill of
 * each run falls while the restarted instance works off the updates kept while it was down. Every update
 * Telegram was told arrived is in the inbox, so in the end: every message was answered, every user
 * has exactly one submitted filing holding exactly what they typed, field by field, and saw its
 * receipt; nobody was shown a second receipt or told to send a message again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { brokenPromises, runScenario, unansweredMessages, type Scenario } from '../support/reliability-run.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const cleanup = (step: () => Promise<void> | void): void => void cleanups.push(step);

/** Users 710001…: private chats, ids that differ in every answer. */
const usersFrom = (first: number, count: number): number[] => Array.from({ length: count }, (_, i) => first + i);

/**
 * The first and the last kill come while users type; the second as soon as the instance started
 * after the first has acknowledged the first of the updates that piled up in the inbox while it was
 * down, so the rest of them are in hand when it dies.
 */
const THREE_KILLS = [{ at: 0.2, name: 'A' }, { at: 0.2, name: 'A', inBurst: true }, { at: 0.7, name: 'A' }] as const;

async function expectEveryPromiseKept(scenario: Omit<Scenario, 'cleanup'>): Promise<void> {
  const result = await runScenario({ ...scenario, cleanup });
  expect(result.fleet.killedAt).toHaveLength(scenario.kills.length);
  expect(unansweredMessages(result)).toEqual([]);
  expect(result.gaveUp).toEqual([]);
  expect(brokenPromises(result)).toEqual([]);
}

describe('kill -9 while 80 users file (Redis)', () => {
  it('over the webhook: three kills, every message answered, one whole filing and its receipt each', async () => {
    await expectEveryPromiseKept({
      test: 'kill-redis-webhook', store: 'redis', mode: 'webhook', instances: ['A'], users: usersFrom(710_001, 80), kills: THREE_KILLS,
    });
  }, 120_000);

  it('over long polling: three kills, every message answered, one whole filing and its receipt each', async () => {
    await expectEveryPromiseKept({
      test: 'kill-redis-polling', store: 'redis', mode: 'polling', instances: ['A'], users: usersFrom(720_001, 80), kills: THREE_KILLS,
    });
  }, 120_000);
});

describe('kill -9 while 30 users file (SQLite)', () => {
  it('over the webhook: two kills, every message answered, one whole filing and its receipt each', async () => {
    await expectEveryPromiseKept({
      test: 'kill-sqlite-webhook', store: 'sqlite', mode: 'webhook', instances: ['A'], users: usersFrom(730_001, 30),
      kills: [{ at: 0.3, name: 'A' }, { at: 0.3, name: 'A', inBurst: true }],
    });
  }, 120_000);
});
