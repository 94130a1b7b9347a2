/**
 * The count of messages waiting for a platform, across chats: it bounds them (past the limit a send
 * is refused rather than held in memory while the platform is down), and it is the shutdown switch —
 * abandoning it ends every wait at once, so a stopping service is not held by a platform that is
 * down, and says which chats lost how many messages.
 */
import { PlatformApiError } from '../../kernel/errors.js';

/** What was still waiting when the sends were abandoned, per chat. */
export interface AbandonReport {
  chats: number;
  messages: number;
  byChat: Record<string, number>;
}

/** A send given up because the service is stopping (the platform did not take it in time). */
export class SendAbandonedError extends PlatformApiError {
  constructor(init: { platform: string; method: string; chatId: string }) {
    super({
      code: 'send_abandoned',
      platform: init.platform,
      method: init.method,
      transient: true,
      message: `reply to chat ${init.chatId} abandoned: the service is stopping`,
    });
  }
}

/** A send refused because too many messages already wait for the platform (it is not keeping up). */
export class OutboundQueueFullError extends PlatformApiError {
  constructor(init: { platform: string; method: string; limit: number }) {
    super({
      code: 'outbound_queue_full',
      platform: init.platform,
      method: init.method,
      transient: true,
      message: `more than ${init.limit} messages wait for the platform; reply not queued`,
    });
  }
}

/** Counts the messages waiting per chat, refuses past a limit, and abandons them all on shutdown. */
export interface OutboundLedger {
  /** Takes room for `count` messages of a chat; false (nothing taken) past the limit. */
  reserve(chatId: string, count: number): boolean;
  /** Gives back room once messages are sent or given up. */
  release(chatId: string, count: number): void;
  /** Waits `ms`; resolves false at once (and from then on) when the ledger is abandoned. */
  pause(ms: number): Promise<boolean>;
  /** Abandons every waiting send; returns what was waiting, per chat. */
  abandon(): AbandonReport;
  readonly abandoned: boolean;
  readonly limit: number;
}

/**
 * Creates a ledger holding at most `limit` messages across chats. Pauses use `sleep` when given
 * (tests), else a timer that abandoning clears, so a stopped service keeps no timer alive.
 */
export function createOutboundLedger(limit: number, sleep?: (ms: number) => Promise<void>): OutboundLedger {
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
    limit,
    reserve(chatId, count) {
      if (total + count > limit) return false;
      total += count;
      waiting.set(chatId, (waiting.get(chatId) ?? 0) + count);
      return true;
    },
    release(chatId, count) {
      total -= count;
      const left = (waiting.get(chatId) ?? 0) - count;
      if (left > 0) waiting.set(chatId, left);
      else waiting.delete(chatId);
    },
    async pause(ms) {
      if (abandoned) return false;
      await Promise.race([wait(ms), gone]);
      return !abandoned;
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
