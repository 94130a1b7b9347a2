/**
 * Outbound Bot API calls with the retries Telegram asks for: a 429 waits `retry_after`, a 5xx or a
 * network failure backs off and tries again, a 403 (blocked by the user, kicked from the group) is
 * recorded and not retried. Messages to one chat leave in order; different chats do not wait on
 * each other.
 */
import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import { PlatformApiError } from '../../core/errors.js';
import { createKeyedQueue } from '../../core/keyed-queue.js';
import type { Logger } from '../../core/logger.js';
import type { Reply } from '../../core/reply.js';
import type { SendOutcome } from '../adapter.js';
import { htmlToPlain, toTelegramMessages, type TelegramMessage } from './render.js';

/** What the sender needs. */
export interface SenderDeps {
  api: Api;
  botUsername: () => string;
  log: Logger;
  /** Called once when a chat turns out to be unreachable (403). */
  onUnreachable: (chatId: string, reason: string) => void;
  /** Attempts for 5xx and network failures (default 5). */
  maxAttempts?: number;
  /** First backoff delay; doubles each attempt (default 500 ms). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Sends replies, in order per chat. */
export interface TelegramSender {
  send(chatId: string, replies: readonly Reply[]): Promise<SendOutcome>;
  /** Resolves when every queued send has ended. */
  idle(): Promise<void>;
}

const MAX_RATE_LIMIT_WAITS = 5;

/** Converts a Bot API failure into our error type, keeping what the retry logic needs. */
export function toPlatformError(method: string, error: unknown): PlatformApiError {
  if (error instanceof GrammyError) {
    const init = { platform: 'telegram', method, status: error.error_code, message: error.description, cause: error };
    return new PlatformApiError(error.parameters.retry_after === undefined ? init : { ...init, retryAfterSeconds: error.parameters.retry_after });
  }
  return new PlatformApiError({ platform: 'telegram', method, message: error instanceof Error ? error.message : String(error), cause: error });
}

/** Creates the sender. */
export function createTelegramSender(deps: SenderDeps): TelegramSender {
  const queue = createKeyedQueue();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = deps.maxAttempts ?? 5;
  const baseDelayMs = deps.baseDelayMs ?? 500;
  const pending = new Set<Promise<void>>();

  async function call(chatId: string, message: TelegramMessage, plain: boolean): Promise<void> {
    if (message.kind === 'document') {
      const options = message.caption === undefined ? {} : { caption: message.caption };
      await deps.api.sendDocument(chatId, new InputFile(message.data, message.name), options);
      return;
    }
    const text = plain ? htmlToPlain(message.html) : message.html;
    await deps.api.sendMessage(chatId, text, {
      ...(plain ? {} : { parse_mode: 'HTML' as const }),
      link_preview_options: { is_disabled: true },
      ...(message.keyboard === undefined ? {} : { reply_markup: message.keyboard }),
    });
  }

  /** Sends one message with retries; false when the chat is unreachable (the rest is dropped). */
  async function deliver(chatId: string, message: TelegramMessage): Promise<boolean> {
    const method = message.kind === 'document' ? 'sendDocument' : 'sendMessage';
    let failures = 0;
    let rateLimited = 0;
    let plain = false;
    for (;;) {
      try {
        await call(chatId, message, plain);
        return true;
      } catch (raw) {
        const error = toPlatformError(method, raw);
        const status = error.status;
        if (status === 403) {
          deps.log.warn({ chatId, status, reason: error.message }, 'chat unreachable');
          deps.onUnreachable(chatId, `${status} ${error.message}`);
          return false;
        }
        if (status === 429 && rateLimited < MAX_RATE_LIMIT_WAITS) {
          rateLimited += 1;
          await sleep((error.retryAfterSeconds ?? 1) * 1000);
          continue;
        }
        if (status === 400 && !plain && /can't parse entities/i.test(error.message)) {
          deps.log.error({ chatId, err: error }, 'html rejected, sending as plain text');
          plain = true;
          continue;
        }
        const transient = raw instanceof HttpError || status === undefined || status >= 500;
        failures += 1;
        if (!transient || failures >= maxAttempts) throw error;
        await sleep(baseDelayMs * 2 ** (failures - 1));
      }
    }
  }

  return {
    send(chatId, replies) {
      const messages = replies.flatMap((reply) => toTelegramMessages(reply, deps.botUsername()));
      const run = queue.run(chatId, async (): Promise<SendOutcome> => {
        for (const message of messages) {
          if (!(await deliver(chatId, message))) return 'unreachable';
        }
        return 'sent';
      });
      const tracked = run.then(
        () => undefined,
        (err: unknown) => deps.log.error({ chatId, err }, 'reply not delivered'),
      );
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
      return run;
    },
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
