/**
 * The per-user rate limit on a manual clock: the bucket's decisions (burst, slowed
 * messages, refusals, rest, forgetting idle users), and the handler wrapper: slowed messages reach
 * the engine in order, one refusal answered once and counted with the next message read, other users
 * never wait, forms are never held, and the replies speak the user's language.
 */
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/kernel/clock.js';
import type { Inbound } from '../../../src/domain/inbound.js';
import {
  CONSOLE_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  createUserBuckets,
  withRateLimit,
  type RateLimitPolicy,
} from '../../../src/bot/rate-limit.js';
import { textReply, toPlainText, type Reply } from '../../../src/domain/reply.js';
import { i18n, translate } from '../../support/engine-harness.js';

const T0 = new Date('2021-04-20T10:00:00+08:00');
const zh = translate('zh-CN');
const en = translate('en');

function message(userId: string, text: string, receivedAt: Date, extra: Partial<Inbound> = {}): Inbound {
  return { platform: 'test', chat: { id: `c-${userId}`, kind: 'private' }, user: { id: userId, displayName: userId }, text, receivedAt, ...extra };
}

/** An echoing handler that records the order it was called in. */
function recorder(): { calls: string[]; handler: (inbound: Inbound) => Promise<Reply[]> } {
  const calls: string[] = [];
  return {
    calls,
    handler: (inbound) => {
      calls.push(`${inbound.user.id}:${inbound.text ?? ''}`);
      return Promise.resolve([textReply(`echo ${inbound.text ?? ''}`)]);
    },
  };
}

const texts = (replies: Reply[]): string[] => replies.map(toPlainText);

describe('user buckets', () => {
  it('takes a burst at once, slows the next maxWaiting by one interval each, and refuses the rest', () => {
    const buckets = createUserBuckets(DEFAULT_RATE_LIMIT);
    const t = T0.getTime();
    const decisions = Array.from({ length: 33 }, () => buckets.admit('a', t, t));
    const waits = decisions.map((d) => (d.kind === 'go' ? d.waitMs : -1));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits.slice(10, 30).map(Math.round)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 200));
    expect(decisions.slice(30)).toEqual([
      { kind: 'refuse', first: true },
      { kind: 'refuse', first: false },
      { kind: 'refuse', first: false },
    ]);
    // Another user at the same instant is not affected.
    expect(buckets.admit('b', t, t)).toEqual({ kind: 'go', waitMs: 0, notRead: 0 });
    // Rested (every slot passed): the next message goes at once and carries the count not read.
    expect(buckets.admit('a', t + 10_000, t + 10_000)).toEqual({ kind: 'go', waitMs: 0, notRead: 3 });
    expect(buckets.admit('a', t + 10_001, t + 10_001)).toEqual({ kind: 'go', waitMs: 0, notRead: 0 });
  });

  it('counts by arrival: messages queued one after the other upstream are still seen as the flood they were', () => {
    const buckets = createUserBuckets(DEFAULT_RATE_LIMIT);
    const arrival = T0.getTime();
    let now = arrival;
    let read = 0;
    let refused = 0;
    for (let i = 0; i < 100; i += 1) {
      const decision = buckets.admit('a', arrival, now);
      if (decision.kind === 'refuse') refused += 1;
      else {
        read += 1;
        now += decision.waitMs; // a serial caller waits before handing over the next one
      }
    }
    expect({ read, refused }).toEqual({ read: 30, refused: 70 });
  });

  it('keeps a steady typist at five a second without a wait, and forgets idle users', () => {
    const buckets = createUserBuckets(DEFAULT_RATE_LIMIT);
    let t = T0.getTime();
    for (let i = 0; i < 200; i += 1, t += 200) expect(buckets.admit('typist', t, t)).toMatchObject({ kind: 'go', waitMs: 0 });
    for (let u = 0; u < 5_000; u += 1, t += 2) buckets.admit(`user-${u}`, t, t);
    // Only the users of the last few seconds are remembered.
    expect(buckets.size()).toBeLessThan(1_200);
    t += 5_000;
    buckets.admit('late', t, t);
    expect(buckets.size()).toBe(1);
  });

  it('remembers a refused user until told, then forgets them', () => {
    const buckets = createUserBuckets({ burst: 1, perSecond: 1, maxWaiting: 0 });
    const t = T0.getTime();
    buckets.admit('a', t, t);
    expect(buckets.admit('a', t, t)).toEqual({ kind: 'refuse', first: true });
    buckets.admit('b', t + 5_000, t + 5_000);
    expect(buckets.size()).toBe(2);
    expect(buckets.admit('a', t + 6_000, t + 6_000)).toEqual({ kind: 'go', waitMs: 0, notRead: 1 });
  });

  it('refuses a policy with no room for a message', () => {
    const bad: RateLimitPolicy[] = [
      { burst: 0, perSecond: 5, maxWaiting: 1 },
      { burst: 1, perSecond: 0, maxWaiting: 1 },
      { burst: 1, perSecond: 5, maxWaiting: -1 },
      { burst: Number.NaN, perSecond: 5, maxWaiting: 1 },
    ];
    for (const policy of bad) expect(() => createUserBuckets(policy)).toThrow(RangeError);
  });
});

describe('withRateLimit', () => {
  function setup(policy: RateLimitPolicy = DEFAULT_RATE_LIMIT) {
    const clock = createManualClock(T0);
    const slept: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      slept.push(ms);
      clock.set(new Date(clock.now().getTime() + ms));
      return Promise.resolve();
    };
    const rec = recorder();
    const handle = withRateLimit(rec.handler, { policy, clock, i18n, defaultLocale: 'zh-CN', sleep });
    return { clock, slept, rec, handle };
  }

  it('slows a flood in order, answers the first refusal once, and counts the refused with the next message read', async () => {
    const { clock, slept, rec, handle } = setup();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => handle(message('a', `m${i + 1}`, T0))));
    expect(rec.calls).toEqual(Array.from({ length: 30 }, (_, i) => `a:m${i + 1}`));
    results.slice(0, 30).forEach((replies, i) => expect(texts(replies)).toEqual([`echo m${i + 1}`]));
    expect(texts(results[30] ?? [])).toEqual([zh('limits.too_fast')]);
    for (const replies of results.slice(31)) expect(replies).toEqual([]);
    expect(slept.length).toBe(20);
    const next = await handle(message('a', 'again', new Date(clock.now().getTime() + 5_000)));
    expect(texts(next)).toEqual([zh('limits.not_read', { count: 10 }), 'echo again']);
    expect(zh('limits.not_read', { count: 10 })).toContain('10');
  });

  it('never makes another user wait for a flooder', async () => {
    const clock = createManualClock(T0);
    const pending: (() => void)[] = [];
    const sleep = (): Promise<void> => new Promise((resolve) => pending.push(resolve));
    const rec = recorder();
    const handle = withRateLimit(rec.handler, { policy: DEFAULT_RATE_LIMIT, clock, i18n, defaultLocale: 'zh-CN', sleep });
    const flood = Array.from({ length: 25 }, (_, i) => handle(message('a', `m${i + 1}`, T0)));
    const other = await handle(message('b', 'hello', T0));
    expect(texts(other)).toEqual(['echo hello']);
    await new Promise((resolve) => setImmediate(resolve));
    // The flooder's burst was read, the eleventh still waits for its slot (a sleep nobody ended),
    // and the other user was answered meanwhile.
    expect(rec.calls.filter((c) => c.startsWith('a:'))).toHaveLength(10);
    expect(pending).toHaveLength(1);
    expect(rec.calls).toContain('b:hello');
    while (pending.length > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(flood);
    expect(rec.calls.filter((c) => c.startsWith('a:'))).toEqual(Array.from({ length: 25 }, (_, i) => `a:m${i + 1}`));
  });

  it('answers in the language of the user: the platform hint, else what they wrote', async () => {
    const { handle } = setup({ burst: 1, perSecond: 1, maxWaiting: 0 });
    await handle(message('en-user', 'first', T0));
    const hinted = await handle(message('en-user', '第二', T0, { user: { id: 'en-user', displayName: 'x', localeHint: 'en' } }));
    expect(texts(hinted)).toEqual([en('limits.too_fast')]);
    await handle(message('writer', 'hello there', T0));
    expect(texts(await handle(message('writer', 'please read this', T0)))).toEqual([en('limits.too_fast')]);
    await handle(message('zh-user', 'hi', T0));
    expect(texts(await handle(message('zh-user', '你好', T0)))).toEqual([zh('limits.too_fast')]);
  });

  it('never holds a whole form submitted at once (a Slack modal must be acknowledged within 3 s)', async () => {
    const { rec, handle, slept } = setup({ burst: 1, perSecond: 1, maxWaiting: 0 });
    await handle(message('a', 'one', T0));
    const form = await handle(message('a', '', T0, { form: { flowId: 'key-project', values: {} } }));
    expect(texts(form)).toEqual(['echo ']);
    expect(rec.calls).toHaveLength(2);
    expect(slept).toEqual([]);
  });

  it('trusts an arrival time only within a minute, and takes a broken one as now', async () => {
    const { clock, rec, handle } = setup({ burst: 1, perSecond: 1, maxWaiting: 0 });
    const yearAgo = new Date(T0.getTime() - 365 * 24 * 3600 * 1000);
    // Two messages 2 s apart that both claim the same old arrival: read as 2 s apart, both read.
    await handle(message('a', 'one', yearAgo));
    clock.set(new Date(T0.getTime() + 2_000));
    await handle(message('a', 'two', yearAgo));
    clock.set(new Date(T0.getTime() + 4_000));
    await handle(message('a', 'three', new Date(Number.NaN)));
    expect(texts(await handle(message('a', 'four', new Date(Number.NaN))))).toEqual([zh('limits.too_fast')]);
    expect(rec.calls).toEqual(['a:one', 'a:two', 'a:three']);
  });

  it('lets the console run a long piped script at full speed', async () => {
    const { rec, handle, slept } = setup(CONSOLE_RATE_LIMIT);
    for (let i = 0; i < 500; i += 1) await handle(message('console', `line ${i}`, T0));
    expect(rec.calls).toHaveLength(500);
    expect(slept).toEqual([]);
  });
});
