import { describe, expect, it } from 'vitest';
import { createRateLimiter, PLATFORM_LIMITS } from '../../../src/reminders/rate-limit.js';

/** A fake clock whose sleep moves time on, so pacing is measured exactly. */
function fakeTime(): { nowMs: () => number; sleep: (ms: number) => Promise<void> } {
  let now = 1_000_000;
  return {
    nowMs: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('rate limiter', () => {
  it('keeps Telegram to 30 messages in any second across chats', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(PLATFORM_LIMITS['telegram'] ?? [], time.nowMs, time.sleep);
    const at: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      await limiter.wait(`group-${i}`);
      at.push(time.nowMs());
    }
    for (let i = 30; i < at.length; i += 1) expect((at[i] ?? 0) - (at[i - 30] ?? 0)).toBeGreaterThanOrEqual(1000);
    // 200 messages at 30 a second take at least six full seconds, and no more than they need.
    expect((at[199] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(6000);
    expect((at[199] ?? 0) - (at[0] ?? 0)).toBeLessThan(7000);
  });

  it('keeps one Telegram group to 20 messages a minute', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(PLATFORM_LIMITS['telegram'] ?? [], time.nowMs, time.sleep);
    const at: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      await limiter.wait('one-group');
      at.push(time.nowMs());
    }
    expect((at[20] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect((at[19] ?? 0) - (at[0] ?? 0)).toBeLessThan(1000);
  });

  it('keeps a Slack channel to one message a second, other channels unaffected', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(PLATFORM_LIMITS['slack'] ?? [], time.nowMs, time.sleep);
    await limiter.wait('C1');
    const start = time.nowMs();
    await limiter.wait('C2');
    expect(time.nowMs()).toBe(start);
    await limiter.wait('C1');
    expect(time.nowMs() - start).toBeGreaterThanOrEqual(1000);
  });
});
