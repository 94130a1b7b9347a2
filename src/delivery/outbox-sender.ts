/**
 * The outbox's sender: delivers each chat's answers in order through its platform's adapter and
 * removes an entry from the store's outbox once the platform took it. Answers just committed come in
 * memory (`stored`), so the common case reads nothing back; a sweep reads what the store still holds
 * for a chat (after a crash, a takeover of the chat's partition, a delivery that failed) and sends it
 * in commit order. An entry is sent at least once: a crash between the platform's answer and the
 * removal sends it again, a window of one store round trip. Notices that were never stored (`direct`)
 * share the chat's line, so they keep their place among the answers.
 */
import type { SendOutcome } from '../domain/platform.js';
import type { Reply } from '../domain/reply.js';
import { decodeReplies } from '../domain/wire.js';
import type { Logger } from '../kernel/logger.js';
import type { Outbox } from '../store/store.js';

/** Sends one message's replies to a chat of one platform (the adapter's ordered, retrying queue). */
export type Deliver = (chatId: string, replies: readonly Reply[], route: string) => Promise<SendOutcome>;

/** One delivery in a chat's line. */
interface Item {
  /** The outbox entry's id; undefined for a notice that was never stored. */
  id: string | undefined;
  route: string;
  replies: readonly Reply[];
}

interface Line {
  platform: string;
  chatId: string;
  items: Item[];
  /** Ids queued or being delivered, so a sweep never queues an entry twice. */
  ids: Set<string>;
  running: boolean;
}

/** What the sender is built from. */
export interface OutboxSenderOptions {
  outbox: Outbox;
  /** The delivery of each platform, by platform name. */
  deliverers: ReadonlyMap<string, Deliver>;
  log: Logger;
  /** How many entries a sweep reads at a time. */
  sweepBatch?: number;
}

/** The per-chat lines of answers. */
export interface OutboxSender {
  /** Queues the replies committed in the chat's outbox entry `id`. */
  stored(platform: string, chatId: string, id: string, route: string, replies: readonly Reply[]): void;
  /** Queues replies that were not stored (a notice); lost if the process dies first. */
  direct(platform: string, chatId: string, route: string, replies: readonly Reply[]): void;
  /** Reads the chat's entries still in the store and queues those not queued yet; resolves once queued. */
  sweep(platform: string, chatId: string): Promise<void>;
  /** Chats with answers queued or being delivered. */
  busy(platform: string, chatId: string): boolean;
  /** Resolves when every line is empty, or after `graceMs`; undelivered stored entries stay in the store. */
  drain(graceMs: number): Promise<void>;
}

const keyOf = (platform: string, chatId: string): string => JSON.stringify([platform, chatId]);

/** Creates the sender. */
export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { outbox, deliverers, log } = options;
  const lines = new Map<string, Line>();
  let idleWaiters: (() => void)[] = [];
  let stopped = false;

  function lineOf(platform: string, chatId: string): Line {
    const key = keyOf(platform, chatId);
    let line = lines.get(key);
    if (line === undefined) {
      line = { platform, chatId, items: [], ids: new Set(), running: false };
      lines.set(key, line);
    }
    return line;
  }

  function enqueue(line: Line, item: Item): void {
    if (item.id !== undefined) {
      if (line.ids.has(item.id)) return;
      line.ids.add(item.id);
    }
    line.items.push(item);
    if (!line.running && !stopped) void pump(line);
  }

  /** Removals waiting for the next batch: delivered entries of any chats, removed in one store call. */
  let removals: { platform: string; chatId: string; id: string; removed: () => void }[] = [];

  function flushRemovals(): void {
    const batch = removals;
    removals = [];
    outbox
      .outboxDoneMany(batch)
      .catch((err: unknown) => log.warn({ err, entries: batch.length }, 'delivered answers not removed from the outbox; they may be sent again'))
      .finally(() => {
        for (const entry of batch) entry.removed();
      });
  }

  /**
   * Removes a delivered entry from the store, batched with the other chats' removals of the same
   * moment; a failure only means it may be sent again later. Resolves once the removal was tried.
   */
  function done(line: Line, id: string): Promise<void> {
    return new Promise<void>((removed) => {
      if (removals.length === 0) setImmediate(flushRemovals);
      removals.push({ platform: line.platform, chatId: line.chatId, id, removed });
    });
  }

  async function pump(line: Line): Promise<void> {
    line.running = true;
    const deliver = deliverers.get(line.platform);
    for (let item = line.items.shift(); item !== undefined && !stopped; item = line.items.shift()) {
      try {
        if (deliver === undefined) throw new Error(`no adapter for ${line.platform}`);
        const outcome = await deliver(line.chatId, item.replies, item.route);
        if (outcome === 'unreachable') log.warn({ chatId: line.chatId }, 'answer dropped: the chat refuses the bot');
        if (item.id !== undefined) await done(line, item.id);
      } catch (err) {
        // The platform did not take it within its retry window: what was stored stays in the store
        // for a later sweep; a notice is lost.
        log.error({ err, chatId: line.chatId, stored: item.id !== undefined, waiting: line.items.length }, 'answer not delivered');
        for (const left of line.items) if (left.id !== undefined) line.ids.delete(left.id);
        line.items = [];
      }
      if (item.id !== undefined) line.ids.delete(item.id);
    }
    line.running = false;
    if (line.items.length === 0) lines.delete(keyOf(line.platform, line.chatId));
    if (lines.size === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  return {
    stored(platform, chatId, id, route, replies) {
      enqueue(lineOf(platform, chatId), { id, route, replies });
    },
    direct(platform, chatId, route, replies) {
      if (replies.length > 0) enqueue(lineOf(platform, chatId), { id: undefined, route, replies });
    },
    async sweep(platform, chatId) {
      const entries = await outbox.outboxPeek(platform, chatId, options.sweepBatch ?? 100);
      if (entries.length === 0) return;
      const line = lineOf(platform, chatId);
      for (const entry of entries) {
        let replies: Reply[];
        try {
          replies = decodeReplies(entry.body);
        } catch (err) {
          log.error({ err, chatId }, 'unreadable outbox entry dropped');
          await done(line, entry.id);
          continue;
        }
        enqueue(line, { id: entry.id, route: entry.route, replies });
      }
    },
    busy: (platform, chatId) => lines.has(keyOf(platform, chatId)),
    async drain(graceMs) {
      if (lines.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => idleWaiters.push(resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
        ]);
        clearTimeout(timer);
      }
      stopped = true;
    },
  };
}
