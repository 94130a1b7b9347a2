/**
 * Per-user rate limiting of inbound messages, keyed by platform + user id. A token bucket in its
 * "virtual scheduling" form (GCRA): each user may send `burst` messages at once, then `perSecond`
 * more a second. A message over the limit is slowed — it waits for its slot, in order, nothing
 * lost — as long as at most `maxWaiting` are ahead of it; beyond that it is not read, and the user
 * is told so once (and, with their next message, how many were not read). Other users never wait
 * for one user's flood. Accounting is by arrival time (`Inbound.receivedAt`): an adapter that queues
 * a chat's updates one after the other still shows the flood as it came. Idle users are forgotten,
 * so memory stays bounded by the users active in the last moments.
 */
import type { Clock } from '../kernel/clock.js';
import type { DurableHandler, HandleResult, MessageHandler } from './engine.js';
import type { I18n, Translate } from '../kernel/i18n.js';
import type { Inbound } from '../domain/inbound.js';
import { createKeyedQueue } from '../kernel/keyed-queue.js';
import { toLocale, type Locale } from '../kernel/locale.js';
import { textReply, type Reply } from '../domain/reply.js';

/** How fast one user may send. */
export interface RateLimitPolicy {
  /** Messages taken at once from a rested user. */
  burst: number;
  /** Messages a second after the burst. */
  perSecond: number;
  /** Messages that may wait for their slot; further ones are not read. */
  maxWaiting: number;
}

/**
 * The platforms' limit. A person types well under one message a second, but a Telegram album of 9
 * photos with a caption arrives as 10 messages at once and a Word table may be pasted in a few
 * parts: a burst of 10 takes those whole. 5 a second after that is faster than any typing, and
 * 20 waiting means a slowed message waits 4 s at most. A flood of 100 at once: 30 read, in order,
 * over 4 s; 70 not read, and the user told.
 */
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { burst: 10, perSecond: 5, maxWaiting: 20 };

/**
 * The console chat's limit: one local person or a script piped in by them, who floods no one else.
 * Same code path, but a piped script of any length runs at full speed.
 */
export const CONSOLE_RATE_LIMIT: RateLimitPolicy = { burst: 1000, perSecond: 1000, maxWaiting: 1000 };

/** A message's arrival is trusted this far back (an adapter's queue); older claims count as now minus this. */
const MAX_ARRIVAL_LAG_MS = 60_000;
/** Users who were refused messages are remembered this long, to tell them how many were not read. */
const NOT_READ_MEMORY_MS = 10 * 60_000;
/** Idle users are looked for at most this often. */
const SWEEP_EVERY_MS = 1_000;

/** What the bucket decides for one message: go (after `waitMs`), or not read. */
export type Admission =
  | { kind: 'go'; waitMs: number; notRead: number }
  | { kind: 'refuse'; first: boolean };

/** The buckets of every user; pure, the caller says what time it is. */
export interface UserBuckets {
  /** Decides one message of `key` that arrived at `arrivalMs`, seen at `nowMs` (≥ arrival). */
  admit(key: string, arrivalMs: number, nowMs: number): Admission;
  /** Users remembered; for tests and metrics. */
  size(): number;
}

interface Bucket {
  /** The theoretical arrival time of the next message (GCRA): a rested user has it in the past. */
  tatMs: number;
  /** Messages not read since the last one that was. */
  notRead: number;
  lastSeenMs: number;
}

/** Creates empty buckets under a policy; a policy without room for a message is a programming error. */
export function createUserBuckets(policy: RateLimitPolicy): UserBuckets {
  const { burst, perSecond, maxWaiting } = policy;
  if (!(burst >= 1 && perSecond > 0 && maxWaiting >= 0)) throw new RangeError(`bad rate limit policy: ${JSON.stringify(policy)}`);
  const intervalMs = 1000 / perSecond;
  const toleranceMs = (burst - 1) * intervalMs;
  const maxWaitMs = maxWaiting * intervalMs;
  const buckets = new Map<string, Bucket>();
  let sweptAtMs = Number.NEGATIVE_INFINITY;

  function sweep(nowMs: number): void {
    if (nowMs - sweptAtMs < SWEEP_EVERY_MS) return;
    sweptAtMs = nowMs;
    for (const [key, bucket] of buckets) {
      const rested = bucket.tatMs <= nowMs && bucket.notRead === 0;
      if (rested || nowMs - bucket.lastSeenMs > NOT_READ_MEMORY_MS) buckets.delete(key);
    }
  }

  return {
    admit(key, arrivalMs, nowMs) {
      sweep(nowMs);
      const bucket = buckets.get(key) ?? { tatMs: arrivalMs, notRead: 0, lastSeenMs: nowMs };
      buckets.set(key, bucket);
      bucket.lastSeenMs = nowMs;
      const tatMs = Math.max(bucket.tatMs, arrivalMs);
      const slotMs = tatMs - toleranceMs;
      if (slotMs - arrivalMs > maxWaitMs + 1e-6) {
        bucket.notRead += 1;
        return { kind: 'refuse', first: bucket.notRead === 1 };
      }
      bucket.tatMs = tatMs + intervalMs;
      const notRead = bucket.notRead;
      bucket.notRead = 0;
      return { kind: 'go', waitMs: Math.max(0, slotMs - nowMs), notRead };
    },
    size: () => buckets.size,
  };
}

/** What {@link withRateLimit} needs. */
export interface RateLimitDeps {
  policy: RateLimitPolicy;
  /** The machine's time (adapters stamp `receivedAt` with it), not the event clock of SCIWEEK_NOW. */
  clock: Clock;
  i18n: I18n;
  defaultLocale: Locale;
  /** Waits; tests pass one that moves a manual clock. */
  sleep?: (ms: number) => Promise<void>;
}

const CJK = /[\u3400-\u9fff]/u;
const LATIN_WORDS = /\b[A-Za-z]{2,}\b.*\b[A-Za-z]{2,}\b/su;

/** The language of a refusal, without the session: the platform's hint, else what the message is written in. */
function localeOf(inbound: Inbound, fallback: Locale): Locale {
  const hinted = toLocale(inbound.user.localeHint);
  if (hinted !== undefined) return hinted;
  const text = inbound.text ?? '';
  if (CJK.test(text)) return 'zh-CN';
  return LATIN_WORDS.test(text) ? 'en' : fallback;
}

/** When the message arrived, as far as it can be trusted. */
function arrivalOf(inbound: Inbound, nowMs: number): number {
  const receivedMs = inbound.receivedAt instanceof Date ? inbound.receivedAt.getTime() : Number.NaN;
  if (!Number.isFinite(receivedMs)) return nowMs;
  return Math.min(nowMs, Math.max(receivedMs, nowMs - MAX_ARRIVAL_LAG_MS));
}

/** A handler with the rate limit in front of it; `users()` tells how many users are remembered. */
export type RateLimitedHandler = MessageHandler & { users(): number };

/** How a limited handler's answers are made from the limiter's own words. */
export interface LimitedAnswers<R> {
  /** The answer to a message that is not read (the refusal, or nothing after the first). */
  refused(replies: Reply[]): R;
  /** The handler's answer, with a note said before it (how many messages were not read). */
  noted(result: R, note: Reply): R;
}

/**
 * Puts the rate limit in front of any handler of a message (and what comes with it). A whole form
 * submitted at once (a Slack modal, which must be acknowledged within 3 s) is never held. Never
 * rejects when `handler` does not.
 */
export function limitHandler<A extends unknown[], R>(
  handler: (inbound: Inbound, ...rest: A) => Promise<R>,
  deps: RateLimitDeps,
  answers: LimitedAnswers<R>,
): ((inbound: Inbound, ...rest: A) => Promise<R>) & { users(): number } {
  const buckets = createUserBuckets(deps.policy);
  // Starts of one user's slowed messages, in order: each waits for its slot behind the one before.
  const starts = createKeyedQueue();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limited = async (inbound: Inbound, ...rest: A): Promise<R> => {
    if (inbound.form !== undefined) return handler(inbound, ...rest);
    const nowMs = deps.clock.now().getTime();
    const key = JSON.stringify([inbound.platform, inbound.user.id]);
    const admission = buckets.admit(key, arrivalOf(inbound, nowMs), nowMs);
    const t = (): Translate => deps.i18n.forLocale(localeOf(inbound, deps.defaultLocale));
    if (admission.kind === 'refuse') return answers.refused(admission.first ? [textReply(t()('limits.too_fast'))] : []);
    const startAtMs = nowMs + admission.waitMs;
    // Within the limit and nobody of this user waiting (the common case): no queue to pass.
    if (admission.waitMs > 0 || starts.busy(key)) {
      await starts.run(key, async () => {
        const leftMs = startAtMs - deps.clock.now().getTime();
        if (leftMs > 0) await sleep(leftMs);
      });
    }
    const result = await handler(inbound, ...rest);
    return admission.notRead > 0 ? answers.noted(result, textReply(t()('limits.not_read', { count: admission.notRead }))) : result;
  };
  return Object.assign(limited, { users: () => buckets.size() });
}

/** Puts the rate limit in front of a message handler (see {@link limitHandler}). */
export function withRateLimit(handler: MessageHandler, deps: RateLimitDeps): RateLimitedHandler {
  return limitHandler(handler, deps, { refused: (replies) => replies, noted: (replies, note) => [note, ...replies] });
}

/**
 * Puts the rate limit in front of the durable inbox's handler: a refusal is said at once and the
 * message is done; the note of messages not read is said at once, before the stored replies.
 */
export function withDurableRateLimit(handler: DurableHandler, deps: RateLimitDeps): DurableHandler {
  return limitHandler(handler, deps, {
    refused: (replies): HandleResult => ({ outcome: 'limited', replies }),
    noted: (result, note): HandleResult => ({ ...result, notices: [note, ...(result.notices ?? [])] }),
  });
}
