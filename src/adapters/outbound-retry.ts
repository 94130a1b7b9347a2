/**
 * What the platform senders share about failing sends: how long to back off before the next attempt
 * (doubling, capped), when to give a message up (after so many attempts, or once it has been failing
 * for so long), and the shutdown switch — a stopping service abandons the sends still waiting for a
 * platform that is down, so SIGTERM stays bounded, and says which chats lost what.
 */
import { BotError } from '../kernel/errors.js';
import { createKeyedQueue } from '../kernel/keyed-queue.js';
import type { Logger } from '../kernel/logger.js';
import type { SendOutcome } from '../domain/platform.js';

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
  };
}

/** A send given up because the service is stopping. */
export class SendAbandonedError extends BotError {
  constructor(chatId: string) {
    super('send_abandoned', `reply to chat ${chatId} abandoned: the service is stopping`);
  }
}

/** A send refused because too many messages already wait for the platform. */
export class OutboundQueueFullError extends BotError {
  constructor(limit: number) {
    super('outbound_queue_full', `more than ${limit} messages wait for the platform; reply not queued`);
  }
}

/** Counts the messages waiting per chat, refuses past a limit, and abandons them all on shutdown. */
export interface OutboundLedger {
  /** Reserves room for `count` messages of a chat; throws OutboundQueueFullError past the limit. */
  reserve(chatId: string, count: number): void;
  /** Gives back room once messages are sent or given up. */
  release(chatId: string, count: number): void;
  /** Waits `ms` (by `sleep`), or rejects with SendAbandonedError as soon as the ledger is abandoned. */
  pause(chatId: string, ms: number): Promise<void>;
  /** Throws SendAbandonedError once abandoned. */
  check(chatId: string): void;
  /** Abandons every waiting send; returns what was waiting, per chat. */
  abandon(): { chats: number; messages: number; byChat: Record<string, number> };
  readonly abandoned: boolean;
}

/**
 * Creates a ledger holding at most `maxQueued` messages across chats. Pauses use `sleep` when given
 * (tests), else a timer that abandoning clears, so a stopped service keeps no timer alive.
 */
export function createOutboundLedger(maxQueued: number, sleep?: (ms: number) => Promise<void>): OutboundLedger {
  const waiting = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let total = 0;
  let abandoned = false;
  let wake: () => void = () => undefined;
  const gone = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const wait =
    sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }));
  return {
    reserve(chatId, count) {
      if (abandoned) throw new SendAbandonedError(chatId);
      if (total + count > maxQueued) throw new OutboundQueueFullError(maxQueued);
      total += count;
      waiting.set(chatId, (waiting.get(chatId) ?? 0) + count);
    },
    release(chatId, count) {
      total -= count;
      const left = (waiting.get(chatId) ?? 0) - count;
      if (left > 0) waiting.set(chatId, left);
      else waiting.delete(chatId);
    },
    async pause(chatId, ms) {
      if (abandoned) throw new SendAbandonedError(chatId);
      await Promise.race([wait(ms), gone]);
      if (abandoned) throw new SendAbandonedError(chatId);
    },
    check(chatId) {
      if (abandoned) throw new SendAbandonedError(chatId);
    },
    abandon() {
      abandoned = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      wake();
      return { chats: waiting.size, messages: total, byChat: Object.fromEntries(waiting) };
    },
    get abandoned() {
      return abandoned;
    },
  };
}

/**
 * A bounded stop: waits for `drained` (the in-flight work and the sends), at most `graceMs`; then
 * abandons the sends still waiting (logged, with how many per chat) and waits for the rest to end.
 */
export async function drainOrAbandon(options: {
  drained: Promise<void>;
  graceMs: number;
  abandon: () => { chats: number; messages: number; byChat: Record<string, number> };
  log: { warn(obj: object, msg: string): void };
}): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), options.graceMs)));
  const late = (await Promise.race([options.drained, grace])) === 'late';
  clearTimeout(timer);
  if (late) {
    options.log.warn(options.abandon(), 'replies abandoned at shutdown');
    await options.drained;
  }
}

/** Sends a chat's messages in order, each through `deliver` (which retries as its platform needs). */
export interface OutboundQueue {
  /**
   * Queues `messages` behind the chat's earlier ones; `deliver` answers false when the chat refuses
   * the bot (the rest is dropped: 'unreachable'). Rejects at once when too many messages wait.
   */
  send<M>(chatId: string, messages: readonly M[], deliver: (message: M) => Promise<boolean>): Promise<SendOutcome>;
  /** Resolves when every queued send has ended. */
  idle(): Promise<void>;
  ledger: OutboundLedger;
}

/** Creates the per-chat queue of a sender, counting its messages in one ledger. */
export function createOutboundQueue(settings: RetrySettings, log: Logger): OutboundQueue {
  const queue = createKeyedQueue();
  const ledger = createOutboundLedger(settings.maxQueuedMessages ?? 10_000, settings.sleep);
  const pending = new Set<Promise<unknown>>();
  return {
    ledger,
    send(chatId, messages, deliver) {
      try {
        ledger.reserve(chatId, messages.length);
      } catch (error) {
        log.error({ chatId, err: error, messages: messages.length }, 'reply not queued');
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const run = queue.run(chatId, async (): Promise<SendOutcome> => {
        let left = messages.length;
        try {
          for (const message of messages) {
            if (!(await deliver(message))) return 'unreachable';
            left -= 1;
            ledger.release(chatId, 1);
          }
          return 'sent';
        } finally {
          ledger.release(chatId, left);
        }
      });
      const tracked = run.then(undefined, (err: unknown) => log.error({ chatId, err }, 'reply not delivered'));
      pending.add(tracked);
      void tracked.then(() => pending.delete(tracked));
      return run;
    },
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
