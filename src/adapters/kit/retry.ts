/**
 * The retry loop every platform's sends go through. A platform supplies the call that sends one
 * message and `classify`, which says what a failure means: the chat refuses the bot (unreachable:
 * recorded once, the chat's other messages of the send dropped), the platform asked us to wait
 * (retryAfter: waited out, a few times), the platform is unavailable (transient: backoff, doubling and
 * capped, until the attempts or the window run out), or the call will never work (fatal). Whatever
 * fails leaves here as a PlatformApiError, whichever platform it came from.
 */
import { PlatformApiError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { SendAbandonedError, type OutboundLedger } from './ledger.js';

/** When and how often a failing send is tried again. */
export interface RetryPolicy {
  /** Attempts before a message is given up (Infinity: only the window bounds it). */
  maxAttempts: number;
  /** A message failing for longer than this is given up (Infinity: only the attempts bound it). */
  retryWindowMs: number;
  /** The first wait; it doubles with each failure. */
  baseDelayMs: number;
  /** The longest single wait. */
  maxDelayMs: number;
  /** Waits a platform may ask for (retryAfter) on one message before it is given up. */
  maxRateLimitWaits: number;
}

/** The wait after the `failures`-th failure in a row (1-based): base · 2^(failures−1), at most maxDelayMs. */
export function backoffMs(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, failures - 1), policy.maxDelayMs);
}

/** True when a message that has failed `failures` times since `firstFailureMs` is to be given up. */
export function exhausted(policy: RetryPolicy, failures: number, firstFailureMs: number, nowMs: number): boolean {
  return failures >= policy.maxAttempts || nowMs - firstFailureMs >= policy.retryWindowMs;
}

/** The retry settings a sender takes; each has a default (tests shorten them). */
export interface RetrySettings {
  /** Attempts for a failing message (Infinity leaves the bound to the window). */
  maxAttempts?: number;
  /** A message failing for longer than this is given up. */
  retryWindowMs?: number;
  /** First backoff delay; doubles each attempt (default 500 ms). */
  baseDelayMs?: number;
  /** The longest wait between attempts (default 30 s). */
  maxDelayMs?: number;
  /** Messages waiting across all chats before new replies are refused (default 10 000). */
  maxQueuedMessages?: number;
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
}

/** The policy of `settings`, with the sender's own defaults for the attempts and the window. */
export function retryPolicyOf(settings: RetrySettings, defaults: { maxAttempts: number; retryWindowMs: number }): RetryPolicy {
  return {
    maxAttempts: settings.maxAttempts ?? defaults.maxAttempts,
    retryWindowMs: settings.retryWindowMs ?? defaults.retryWindowMs,
    baseDelayMs: settings.baseDelayMs ?? 500,
    maxDelayMs: settings.maxDelayMs ?? 30_000,
    maxRateLimitWaits: 5,
  };
}

/** What a platform makes of a failed call: what to do, and what to say about it. */
export type Failure = {
  /** The HTTP status or the platform's error number; undefined when nothing answered. */
  status: number | undefined;
  /** What the platform (or the network) said. */
  message: string;
} & (
  | { kind: 'unreachable'; reason: string }
  | { kind: 'retryAfter'; seconds: number }
  | { kind: 'transient' }
  | { kind: 'fatal' }
);

/** A platform's half of sending: one call per message, and what a failed call means. */
export interface PlatformCalls<M> {
  /** `telegram`, `slack`: named in every error. */
  readonly platform: string;
  /** Sends one message to a chat; rejects with what the platform's client throws. */
  call(chatId: string, message: M): Promise<unknown>;
  /** The API method a message goes out by. */
  method(message: M): string;
  /** What a failure thrown by `call` means. */
  classify(error: unknown): Failure;
}

/** What the retry loop reports to and waits with. */
export interface RetryContext {
  ledger: Pick<OutboundLedger, 'pause' | 'abandoned'>;
  log: Logger;
  /** Called once when a chat turns out to refuse the bot. */
  onUnreachable: (chatId: string, reason: string) => void;
  nowMs: () => number;
}

/**
 * The sending of one message with retries: resolves true once sent, false when the chat refuses the
 * bot; rejects with a PlatformApiError (a SendAbandonedError once the ledger is abandoned).
 */
export function sendWithRetry<M>(calls: PlatformCalls<M>, policy: RetryPolicy, context: RetryContext): (chatId: string, message: M) => Promise<boolean> {
  const { ledger, log } = context;
  const abandoned = (chatId: string, message: M): SendAbandonedError =>
    new SendAbandonedError({ platform: calls.platform, method: calls.method(message), chatId });

  return async (chatId, message) => {
    let failures = 0;
    let firstFailureMs = 0;
    let rateLimited = 0;
    for (;;) {
      if (ledger.abandoned) throw abandoned(chatId, message);
      try {
        await calls.call(chatId, message);
        return true;
      } catch (raw) {
        const failure = calls.classify(raw);
        if (failure.kind === 'unreachable') {
          log.warn({ chatId, status: failure.status, reason: failure.reason }, 'chat unreachable');
          context.onUnreachable(chatId, failure.reason);
          return false;
        }
        if (failure.kind === 'retryAfter' && rateLimited < policy.maxRateLimitWaits) {
          rateLimited += 1;
          if (!(await ledger.pause(failure.seconds * 1000))) throw abandoned(chatId, message);
          continue;
        }
        failures += 1;
        if (failures === 1) firstFailureMs = context.nowMs();
        const method = calls.method(message);
        if (failure.kind !== 'transient' || exhausted(policy, failures, firstFailureMs, context.nowMs())) {
          throw new PlatformApiError({
            platform: calls.platform,
            method,
            status: failure.status,
            retryAfterSeconds: failure.kind === 'retryAfter' ? failure.seconds : undefined,
            transient: failure.kind === 'transient',
            message: failure.message,
            cause: raw,
          });
        }
        log.warn({ chatId, method, status: failure.status, failures }, 'send failed, retrying');
        if (!(await ledger.pause(backoffMs(policy, failures)))) throw abandoned(chatId, message);
      }
    }
  };
}
