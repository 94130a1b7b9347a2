/**
 * The adapter kit's outbound queues over a scripted platform: a chat's replies leave in the order its
 * updates arrived even when a later one is answered first, other chats never wait, a send of known
 * messages does not wait for an update still in the engine, and every failure (classified by the
 * platform) leaves as a PlatformApiError — retried while transient until the window is over, waited
 * out when the platform asks, not retried when fatal, unreachable chats reported once, the waiting
 * messages bounded, and all of them abandoned at once on shutdown.
 */
import { describe, expect, it } from 'vitest';
import { textReply, toPlainText, type ChatReply } from '../../../../src/domain/reply.js';
import { silentLogger } from '../../../../src/kernel/logger.js';
import { createOutbound, type Outbound } from '../../../../src/adapters/kit/outbound.js';
import type { Failure, PlatformCalls, RetrySettings } from '../../../../src/adapters/kit/retry.js';

/** A promise and its resolver, to answer updates in a chosen order. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** What the scripted platform throws: the failure it stands for. */
class ScriptedError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

interface Platform {
  calls: PlatformCalls<string>;
  /** Every attempt, `chat:message`, in order. */
  attempts: string[];
  /** What was delivered, `chat:message`, in order. */
  delivered: string[];
  /** Failures for the next attempts, in order (any chat). */
  failNext(...failures: Failure[]): void;
}

function scriptedPlatform(): Platform {
  const attempts: string[] = [];
  const delivered: string[] = [];
  const script: Failure[] = [];
  return {
    attempts,
    delivered,
    failNext: (...failures) => script.push(...failures),
    calls: {
      platform: 'fake',
      method: () => 'post',
      classify: (error) => (error instanceof ScriptedError ? error.failure : { kind: 'fatal', status: undefined, message: String(error) }),
      call: (chatId, message) => {
        attempts.push(`${chatId}:${message}`);
        const failure = script.shift();
        if (failure !== undefined) return Promise.reject(new ScriptedError(failure));
        delivered.push(`${chatId}:${message}`);
        return Promise.resolve();
      },
    },
  };
}

const TRANSIENT: Failure = { kind: 'transient', status: 503, message: 'Service Unavailable' };
const render = (replies: readonly ChatReply[]): string[] => replies.map((reply) => toPlainText(reply));

function outboundOn(platform: Platform, settings: RetrySettings & { unreachable?: string[] } = {}): Outbound<string> {
  return createOutbound({
    calls: platform.calls,
    defaults: { maxAttempts: Number.POSITIVE_INFINITY, retryWindowMs: 180_000 },
    log: silentLogger,
    onUnreachable: (chatId, reason) => settings.unreachable?.push(`${chatId} ${reason}`),
    ...settings,
  });
}

describe('kit outbound: order', () => {
  it('delivers a chat’s replies in the order its updates arrived, the later one answered first; other chats go on', async () => {
    const platform = scriptedPlatform();
    const outbound = outboundOn(platform);
    const slow = deferred<ChatReply[]>();
    const fast = deferred<ChatReply[]>();
    const other = deferred<ChatReply[]>();
    outbound.sendLater('A', slow.promise, render);
    outbound.sendLater('A', fast.promise, render);
    outbound.sendLater('B', other.promise, render);
    expect(outbound.busyChats()).toBe(2);

    fast.resolve([textReply('second')]);
    other.resolve([textReply('b')]);
    const freed = outbound.freed();
    await freed;
    // B is done while A still waits for its first update's answer; nothing of A went out.
    expect(platform.delivered).toEqual(['B:b']);
    expect(outbound.busyChats()).toBe(1);

    slow.resolve([textReply('first'), textReply('first, part 2')]);
    await outbound.idle();
    expect(platform.delivered).toEqual(['B:b', 'A:first', 'A:first, part 2', 'A:second']);
    expect(outbound.busyChats()).toBe(0);
  });

  it('sends known messages to a chat while an update of that chat is still in the engine', async () => {
    const platform = scriptedPlatform();
    const outbound = outboundOn(platform);
    const answer = deferred<ChatReply[]>();
    let settled = false;
    outbound.sendLater('A', answer.promise, render, () => (settled = true));
    // A handler that itself waits on a send to its own chat (a staff member's /remind send) gets it.
    expect(await outbound.send('A', ['reminder'])).toBe('sent');
    expect(settled).toBe(false);
    answer.resolve([textReply('wave done')]);
    await outbound.idle();
    expect(settled).toBe(true);
    expect(platform.delivered).toEqual(['A:reminder', 'A:wave done']);
  });

  it('keeps known sends in order behind the messages already handed over', async () => {
    const platform = scriptedPlatform();
    let now = 0;
    const outbound = outboundOn(platform, { baseDelayMs: 10, nowMs: () => now, sleep: (ms) => Promise.resolve(void (now += ms)) });
    platform.failNext(TRANSIENT);
    const first = outbound.send('A', ['1', '2']);
    const second = outbound.send('A', ['3']);
    expect(await Promise.all([first, second])).toEqual(['sent', 'sent']);
    expect(platform.attempts).toEqual(['A:1', 'A:1', 'A:2', 'A:3']);
  });

  it('passes over an update that failed in the engine and goes on with the chat', async () => {
    const platform = scriptedPlatform();
    const outbound = outboundOn(platform);
    let settled = 0;
    outbound.sendLater('A', Promise.reject(new Error('engine failed')), render, () => (settled += 1));
    outbound.sendLater('A', Promise.resolve([textReply('next')]), render, () => (settled += 1));
    await outbound.idle();
    expect(settled).toBe(2);
    expect(platform.delivered).toEqual(['A:next']);
  });
});

describe('kit outbound: failures', () => {
  function timed(platform: Platform, settings: RetrySettings & { unreachable?: string[] } = {}): { outbound: Outbound<string>; waits: number[] } {
    let now = 0;
    const waits: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    };
    return { outbound: outboundOn(platform, { baseDelayMs: 100, nowMs: () => now, sleep, ...settings }), waits };
  }

  it('backs off on transient failures and delivers on a later attempt', async () => {
    const platform = scriptedPlatform();
    const { outbound, waits } = timed(platform);
    platform.failNext(TRANSIENT, TRANSIENT, { kind: 'transient', status: undefined, message: 'connect ECONNREFUSED' });
    expect(await outbound.send('A', ['x'])).toBe('sent');
    expect(waits).toEqual([100, 200, 400]);
    expect(platform.attempts).toHaveLength(4);
  });

  it('gives a transient failure up after the window as a PlatformApiError the dispatcher reads as down', async () => {
    const platform = scriptedPlatform();
    const { outbound } = timed(platform, { retryWindowMs: 1_000 });
    platform.failNext(...Array.from({ length: 50 }, () => TRANSIENT));
    await expect(outbound.send('A', ['x'])).rejects.toMatchObject({
      name: 'PlatformApiError',
      code: 'platform_api_failed',
      platform: 'fake',
      method: 'post',
      status: 503,
      transient: true,
    });
    // 100 + 200 + 400 + 800 ms of backoff: the fifth failure is past the window.
    expect(platform.attempts).toHaveLength(5);
  });

  it('does not retry a fatal failure, and says it is not the platform being down', async () => {
    const platform = scriptedPlatform();
    const { outbound, waits } = timed(platform);
    platform.failNext({ kind: 'fatal', status: 400, message: 'Bad Request' });
    await expect(outbound.send('A', ['x', 'y'])).rejects.toMatchObject({ status: 400, transient: false, message: 'Bad Request' });
    expect(platform.attempts).toEqual(['A:x']);
    expect(waits).toEqual([]);
  });

  it('waits out what the platform asks for, a few times at most', async () => {
    const platform = scriptedPlatform();
    const { outbound, waits } = timed(platform);
    platform.failNext({ kind: 'retryAfter', status: 429, message: 'Too Many Requests', seconds: 3 });
    expect(await outbound.send('A', ['x'])).toBe('sent');
    expect(waits).toEqual([3000]);
    platform.failNext(...Array.from({ length: 6 }, (): Failure => ({ kind: 'retryAfter', status: 429, message: 'Too Many Requests', seconds: 1 })));
    await expect(outbound.send('A', ['y'])).rejects.toMatchObject({ status: 429, retryAfterSeconds: 1, transient: false });
    expect(waits).toEqual([3000, 1000, 1000, 1000, 1000, 1000]);
  });

  it('reports an unreachable chat once and drops the rest of that send', async () => {
    const platform = scriptedPlatform();
    const unreachable: string[] = [];
    const { outbound } = timed(platform, { unreachable });
    platform.failNext({ kind: 'unreachable', status: 403, message: 'Forbidden', reason: '403 Forbidden' });
    expect(await outbound.send('A', ['x', 'y'])).toBe('unreachable');
    expect(unreachable).toEqual(['A 403 Forbidden']);
    expect(platform.attempts).toEqual(['A:x']);
    // The chat's next send is tried again (the platform may have been told otherwise since).
    expect(await outbound.send('A', ['z'])).toBe('sent');
  });

  it('refuses a send past the bound on waiting messages, as a platform not keeping up', async () => {
    const platform = scriptedPlatform();
    const outbound = outboundOn(platform, { maxQueuedMessages: 2, baseDelayMs: 60_000 });
    platform.failNext(TRANSIENT);
    const waiting = outbound.send('A', ['1', '2']);
    await expect(outbound.send('B', ['3'])).rejects.toMatchObject({ code: 'outbound_queue_full', platform: 'fake', transient: true });
    expect(outbound.abandon()).toEqual({ chats: 1, messages: 2, byChat: { A: 2 } });
    await expect(waiting).rejects.toMatchObject({ code: 'send_abandoned' });
  });

  it('abandons every waiting send at once on shutdown, and what comes later too', async () => {
    const platform = scriptedPlatform();
    const outbound = outboundOn(platform, { baseDelayMs: 60_000 });
    platform.failNext(TRANSIENT);
    const backingOff = outbound.send('A', ['1', '2']);
    const behind = outbound.send('A', ['3']);
    const answer = deferred<ChatReply[]>();
    outbound.sendLater('B', answer.promise, render);
    await new Promise((resolve) => setImmediate(resolve));
    expect(platform.attempts).toEqual(['A:1']);

    expect(outbound.abandon()).toEqual({ chats: 1, messages: 3, byChat: { A: 3 } });
    await expect(backingOff).rejects.toMatchObject({ code: 'send_abandoned', platform: 'fake', method: 'post', transient: true });
    await expect(behind).rejects.toMatchObject({ code: 'send_abandoned' });
    answer.resolve([textReply('late')]);
    await outbound.idle();
    await expect(outbound.send('C', ['after'])).rejects.toMatchObject({ code: 'send_abandoned' });
    expect(platform.attempts).toEqual(['A:1']);
    expect(outbound.busyChats()).toBe(0);
  });
});
