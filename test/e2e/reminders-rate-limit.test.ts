/**
 * Acceptance — pacing: 200 bound groups due in one wave stay within Telegram's 30 messages a
 * second, as the Bot API stand-in sees them. This runs in real time (the pacing is the dispatcher's own,
 * on the system clock; only the planning clock is fake): 200 messages at 30 a second take about 7 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../src/domain/platform.js';
import {
  bindGroups,
  chatOf,
  deliveredCalls,
  event,
  fakeTime,
  groupBinding,
  openStore,
  reminderDispatcher,
  telegramAdapterOn,
} from '../support/reminders-harness.js';
import { startBotApi } from '../support/telegram-bot-api.js';

const GROUPS = 200;
const PER_SECOND = 30;
const WINDOW_MS = 1_000;
/** How much shorter than a second the wave's total span may be measured against (arrival jitter). */
const ARRIVAL_JITTER_MS = 20;

/** The most arrival times (sorted) that fall inside any window [t, t + windowMs). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('reminder pacing on Telegram', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('the window counter sees a burst', () => {
    expect(busiestWindow([0, 10, 999, 1000, 1998, 1999], WINDOW_MS)).toBe(3);
    expect(busiestWindow([0, 1000, 2000], WINDOW_MS)).toBe(1);
  });

  it('sends 200 groups’ reminders of one wave paced to 30 messages a second at the Bot API', { timeout: 20_000 }, async () => {
    const api = await startBotApi();
    cleanups.push(() => api.close());
    const time = fakeTime('2021-04-23 09:00');
    const opened = openStore('redis', time.nowMs);
    cleanups.push(() => opened.cleanup());
    const chats = Array.from({ length: GROUPS }, (_, i) => String(-1005000000 - i));
    await bindGroups(
      opened.store,
      chats.map((chatId, i) => groupBinding(event.districts[i % event.districts.length]?.id ?? 'shinan', chatId)),
    );
    const adapter = await telegramAdapterOn(api);
    const dispatcher = reminderDispatcher({ store: opened.store, clock: time.clock, adapters: new Map<string, Pick<PlatformAdapter, 'send'>>([['telegram', adapter]]) });
    cleanups.push(() => dispatcher.stop());

    expect(await dispatcher.tick()).toMatchObject({ due: GROUPS, sent: GROUPS, failed: 0 });

    const delivered = deliveredCalls(api);
    expect(new Set(delivered.map(chatOf))).toEqual(new Set(chats));
    expect(delivered).toHaveLength(GROUPS);
    const times = delivered.map((call) => call.at).sort((a, b) => a - b);
    // As the Bot API sees it: no second holds more than 30 messages.
    expect(busiestWindow(times, WINDOW_MS)).toBeLessThanOrEqual(PER_SECOND);
    // Never more than 30 in a second, so the last of 200 arrives at least six windows after the first.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(6 * (WINDOW_MS - ARRIVAL_JITTER_MS));
  });
});
