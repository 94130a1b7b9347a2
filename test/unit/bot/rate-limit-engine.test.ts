/**
 * The rate limit in front of the real engine on SQLite: a user who sends a whole form's
 * answers and more in one burst gets them applied in order (the slowed ones too), the messages over
 * the limit are answered once and counted with the next message read, the draft is intact, and
 * another user is answered meanwhile.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT, withRateLimit } from '../../../src/bot/rate-limit.js';
import { createHarness, i18n, KEY_PROJECT_ANSWERS, KEY_PROJECT_VALUES, toTurn, translate, type Harness } from '../../support/engine-harness.js';

const zh = translate('zh-CN');

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.cleanup();
});

describe('rate limit in front of the engine', () => {
  it('applies a burst of answers in order, refuses beyond the backlog once, and loses nothing entered', async () => {
    const h = createHarness();
    harnesses.push(h);
    // The limiter's waits move the harness clock, as time would pass.
    const sleep = (ms: number): Promise<void> => {
      h.clock.set(new Date(h.clock.now().getTime() + ms));
      return Promise.resolve();
    };
    const handle = withRateLimit(h.handle, { policy: DEFAULT_RATE_LIMIT, clock: h.clock, i18n, defaultLocale: 'zh-CN', sleep });
    const burst = ['/file key-project', ...KEY_PROJECT_ANSWERS];
    const extra = 40 - burst.length;
    const messages = [...burst, ...Array.from({ length: extra }, () => '/my')].map((text) => h.inbound({ text }));
    const other = h.inbound({ text: '/start' }, { userId: 'u2', chatId: 'c2' });
    const [otherReplies, ...turns] = await Promise.all([handle(other), ...messages.map((m) => handle(m))]);

    expect(toTurn(otherReplies ?? []).buttons.map((b) => b.label)).toContain(zh('menu.ask'));
    const read = DEFAULT_RATE_LIMIT.burst + DEFAULT_RATE_LIMIT.maxWaiting;
    turns.slice(0, read).forEach((replies) => expect(replies.length).toBeGreaterThan(0));
    expect(toTurn(turns[read] ?? []).text).toBe(zh('limits.too_fast'));
    for (const replies of turns.slice(read + 1)) expect(replies).toEqual([]);
    // Every answer landed in its own field, in order: the summary of a complete draft.
    const begun = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'test', chatId: 'c1', userId: 'u1' } });
    expect(begun.session?.data.flow?.values).toEqual(KEY_PROJECT_VALUES);
    expect(begun.session?.data.flow?.cursor).toEqual({ kind: 'summary' });

    // A moment later: submitted, with the count of messages not read.
    h.clock.set(new Date(h.clock.now().getTime() + 10_000));
    const submitted = await handle(h.inbound({ text: '提交' }));
    const text = toTurn(submitted).text;
    expect(text).toContain(zh('limits.not_read', { count: messages.length - read }));
    expect(text).toMatch(/回执号：KP-/u);
  });
});
