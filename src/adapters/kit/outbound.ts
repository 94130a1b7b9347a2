/**
 * One outbound queue per chat, for every platform: a chat's messages leave in order, each through the
 * retrying send (retry.ts), and chats never wait on each other. An update takes its place in its
 * chat's line when it arrives (`sendLater`), before the engine has answered it; its replies join the
 * messages to deliver once every earlier update of the chat has handed over its own, so a quick
 * answer never overtakes a slow one and the adapter needs no queue of its own. A send whose messages
 * are known (`send`: reminders, a modal's verdict) joins the messages to deliver at once, behind
 * those handed over but not behind updates still in the engine — a handler that waits on a send to
 * its own chat (/remind send reaching staff) never waits on itself. The messages waiting are counted
 * in one ledger (ledger.ts): bounded, and abandoned all at once at shutdown.
 */
import type { SendOutcome } from '../../domain/platform.js';
import type { ChatReply } from '../../domain/reply.js';
import type { Logger } from '../../kernel/logger.js';
import { createOutboundLedger, OutboundQueueFullError, SendAbandonedError, type AbandonReport } from './ledger.js';
import { retryPolicyOf, sendWithRetry, type PlatformCalls, type RetrySettings } from './retry.js';

/** What a platform's outbound queue is built from. */
export interface OutboundOptions<M> extends RetrySettings {
  calls: PlatformCalls<M>;
  /** The platform's attempts and retry window when the settings leave them out. */
  defaults: { maxAttempts: number; retryWindowMs: number };
  log: Logger;
  /** Called once when a chat turns out to refuse the bot. */
  onUnreachable: (chatId: string, reason: string) => void;
}

/** The per-chat outbound queues of one platform. */
export interface Outbound<M> {
  /**
   * Sends messages after the chat's messages already handed over: 'unreachable' when the chat
   * refuses the bot (the rest is dropped); rejects with a PlatformApiError when they cannot go.
   */
  send(chatId: string, messages: readonly M[]): Promise<SendOutcome>;
  /**
   * Takes the chat's place now for the replies of an update being handled; `render` turns them into
   * messages once they come. Failures are logged; `settled` hears when the replies are sent or given up.
   */
  sendLater(chatId: string, replies: Promise<readonly ChatReply[]>, render: (replies: readonly ChatReply[]) => readonly M[], settled?: () => void): void;
  /** Chats with an update in the engine or messages to deliver. */
  busyChats(): number;
  /** Resolves the next time a chat stops being busy. */
  freed(): Promise<void>;
  /** Resolves when every send and every update taken has ended. */
  idle(): Promise<void>;
  /** Gives up every waiting message at once (shutdown); returns what was waiting. */
  abandon(): AbandonReport;
}

/** A send in a chat's line, and who hears how it ended. */
interface Entry<M> {
  /** Undefined while the update it answers is in the engine. */
  messages: readonly M[] | undefined;
  resolve: (outcome: SendOutcome) => void;
  reject: (error: Error) => void;
}

/** One busy chat. */
interface Line<M> {
  /** Updates still in the engine, in arrival order, with any answered after them. */
  waiting: Entry<M>[];
  /** Sends whose messages are known and counted, in order; the first is being delivered. */
  ready: Entry<M>[];
  delivering: boolean;
}

const DONE: Promise<void> = Promise.resolve();
const ignore = (): void => undefined;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Creates a platform's outbound queues, counting their messages in one ledger. */
export function createOutbound<M>(options: OutboundOptions<M>): Outbound<M> {
  const { calls, log } = options;
  const none: readonly M[] = [];
  const ledger = createOutboundLedger(options.maxQueuedMessages ?? 10_000, options.sleep);
  const deliver = sendWithRetry(calls, retryPolicyOf(options, options.defaults), {
    ledger,
    log,
    onUnreachable: options.onUnreachable,
    nowMs: options.nowMs ?? Date.now,
  });
  const lines = new Map<string, Line<M>>();
  /** Sends and updates taken and not yet ended. */
  let active = 0;
  let idleWaiters: (() => void)[] = [];
  let freeWaiters: (() => void)[] = [];

  function lineOf(chatId: string): Line<M> {
    let line = lines.get(chatId);
    if (line === undefined) {
      line = { waiting: [], ready: [], delivering: false };
      lines.set(chatId, line);
    }
    return line;
  }

  function ended(): void {
    active -= 1;
    if (active > 0 || idleWaiters.length === 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Forgets an idle chat, or starts delivering what it has. */
  function advance(chatId: string, line: Line<M>): void {
    if (line.delivering) return;
    if (line.ready.length > 0) {
      void pump(chatId, line);
      return;
    }
    if (line.waiting.length > 0 || lines.get(chatId) !== line) return;
    lines.delete(chatId);
    if (freeWaiters.length === 0) return;
    const waiters = freeWaiters;
    freeWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Counts a send's messages and puts it in line; ends it at once when empty, or refused. */
  function admit(chatId: string, line: Line<M>, entry: Entry<M>): void {
    const messages = entry.messages ?? none;
    const first = messages[0];
    if (first === undefined) {
      entry.resolve('sent');
      ended();
      return;
    }
    const method = calls.method(first);
    const refusal = ledger.abandoned
      ? new SendAbandonedError({ platform: calls.platform, method, chatId })
      : ledger.reserve(chatId, messages.length)
        ? undefined
        : new OutboundQueueFullError({ platform: calls.platform, method, limit: ledger.limit });
    if (refusal === undefined) {
      line.ready.push(entry);
      return;
    }
    log.error({ chatId, err: refusal, messages: messages.length }, 'reply not queued');
    entry.reject(refusal);
    ended();
  }

  /** Moves the answered updates at the head of the line, in order, to the messages to deliver. */
  function handOver(chatId: string, line: Line<M>): void {
    for (let head = line.waiting[0]; head?.messages !== undefined; head = line.waiting[0]) {
      line.waiting.shift();
      admit(chatId, line, head);
    }
    advance(chatId, line);
  }

  /** Delivers a chat's ready sends one after the other, each message in order. */
  async function pump(chatId: string, line: Line<M>): Promise<void> {
    line.delivering = true;
    for (let entry = line.ready.shift(); entry !== undefined; entry = line.ready.shift()) {
      const messages = entry.messages ?? none;
      let done = 0;
      try {
        let outcome: SendOutcome = 'sent';
        for (; done < messages.length; done += 1) {
          if (!(await deliver(chatId, messages[done] as M))) {
            outcome = 'unreachable';
            break;
          }
          ledger.release(chatId, 1);
        }
        entry.resolve(outcome);
      } catch (error) {
        log.error({ chatId, err: error }, 'reply not delivered');
        entry.reject(asError(error));
      } finally {
        if (done < messages.length) ledger.release(chatId, messages.length - done);
        ended();
      }
    }
    line.delivering = false;
    advance(chatId, line);
  }

  return {
    send(chatId, messages) {
      return new Promise<SendOutcome>((resolve, reject) => {
        active += 1;
        const line = lineOf(chatId);
        admit(chatId, line, { messages, resolve, reject });
        advance(chatId, line);
      });
    },
    sendLater(chatId, replies, render, settled = ignore) {
      active += 1;
      const line = lineOf(chatId);
      const entry: Entry<M> = { messages: undefined, resolve: settled, reject: settled };
      line.waiting.push(entry);
      replies.then(
        (answered) => {
          try {
            entry.messages = render(answered);
          } catch (err) {
            log.error({ chatId, err }, 'replies not rendered');
            entry.messages = none;
          }
          handOver(chatId, line);
        },
        (err: unknown) => {
          log.error({ chatId, err }, 'update failed');
          entry.messages = none;
          handOver(chatId, line);
        },
      );
    },
    busyChats: () => lines.size,
    freed: () => new Promise<void>((resolve) => freeWaiters.push(resolve)),
    idle: () => (active === 0 ? DONE : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    abandon: () => ledger.abandon(),
  };
}
