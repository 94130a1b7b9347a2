/**
 * Reliability — two service instances on one Redis behind a load balancer, killed in turn while users
 * file. Each webhook call goes to one instance, the next try of the same update to the other (so while
 * one is down the other takes everything); the survivor takes the dead one's inbox partitions once
 * their leases expire and sends what their outbox holds. A, then B, then A, then B is SIGKILLed and
 * started again at once. Asserted as for one instance: every message answered, every user exactly one
 * submitted filing holding what they typed, its receipt shown, no second receipt, never "send again".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { brokenPromises, runScenario, unansweredMessages } from '../support/reliability-run.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('two instances on one Redis, killed in turn while 40 users file', () => {
  it('loses and doubles nothing: every message answered, one whole filing and its receipt each', async () => {
    const result = await runScenario({
      test: 'kill-redis-two-instances',
      store: 'redis',
      mode: 'webhook',
      instances: ['A', 'B'],
      users: Array.from({ length: 40 }, (_, i) => 740_001 + i),
      kills: [
        { at: 0.2, name: 'A' },
        { at: 0.4, name: 'B' },
        { at: 0.6, name: 'A' },
        { at: 0.8, name: 'B' },
      ],
      cleanup: (step) => void cleanups.push(step),
    });
    expect(result.fleet.killedAt).toHaveLength(4);
    expect(unansweredMessages(result)).toEqual([]);
    expect(result.gaveUp).toEqual([]);
    expect(brokenPromises(result)).toEqual([]);
  }, 120_000);
});
