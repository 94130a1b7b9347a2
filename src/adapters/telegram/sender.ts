/**
 * Outbound Bot API calls with the retries Telegram asks for: a 429 waits `retry_after`, a 5xx or a
 * network failure backs off (doubling, capped) and tries again — a few attempts by default, or for a
 * time window while the Bot API is down (the adapter asks for minutes) —, a 403 (blocked by the user,
 * kicked from the group) is recorded and not retried. Messages to one chat leave in order; different
 * chats do not wait on each other. The waiting messages are capped, and a stopping service abandons
 * them (see outbound-retry.ts).
 */
import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import { PlatformApiError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import type { Reply } from '../../domain/reply.js';
import type { SendOutcome } from '../../domain/platform.js';
import { backoffMs, createOutboundQueue, exhausted, retryPolicyOf, type RetrySettings } from '../outbound-retry.js';
import { htmlToPlain, toTelegramMessages, type TelegramMessage } from './render.js';

/**
 * What the sender needs. Retries for 5xx and network failures: 5 attempts and no window by default
 * (the adapter asks for a window of minutes instead).
 */
export interface SenderDeps extends RetrySettings {
  api: Api;
  botUsername: () => string;
  log: Logger;
  /** Called once when a chat turns out to be unreachable (403). */
  onUnreachable: (chatId: string, reason: string) => void;
}

/** Sends replies, in order per chat. */
export interface TelegramSender {
  send(chatId: string, replies: readonly Reply[]): Promise<SendOutcome>;
  /** Resolves when every queued send has ended. */
  idle(): Promise<void>;
  /** Gives up every waiting send at once (shutdown); returns what was waiting. */
  abandon(): { chats: number; messages: number; byChat: Record<string, number> };
}

const MAX_RATE_LIMIT_WAITS = 5;
/** Text Telegram could turn into a link preview: a scheme, `www.`, or a dotted name (example.cn, t.me/x). */
const MAY_PREVIEW = /:\/\/|www\.|[\p{L}\p{N}-]\.[\p{L}]{2,}/iu;

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
  const nowMs = deps.nowMs ?? Date.now;
  const policy = retryPolicyOf(deps, { maxAttempts: 5, retryWindowMs: Number.POSITIVE_INFINITY });
  const outbound = createOutboundQueue(deps, deps.log);
  const ledger = outbound.ledger;

  async function call(chatId: string, message: TelegramMessage, plain: boolean): Promise<void> {
    if (message.kind === 'document') {
      const options = message.caption === undefined ? {} : { caption: message.caption };
      await deps.api.sendDocument(chatId, new InputFile(message.data, message.name), options);
      return;
    }
    const text = plain ? htmlToPlain(message.html) : message.html;
    await deps.api.sendMessage(chatId, text, {
      ...(plain ? {} : { parse_mode: 'HTML' as const }),
      // Telegram previews only what reads as a web address; most replies have none.
      ...(MAY_PREVIEW.test(text) ? { link_preview_options: { is_disabled: true } } : {}),
      ...(message.keyboard === undefined ? {} : { reply_markup: message.keyboard }),
    });
  }

  /** Sends one message with retries; false when the chat is unreachable (the rest is dropped). */
  async function deliver(chatId: string, message: TelegramMessage): Promise<boolean> {
    const method = message.kind === 'document' ? 'sendDocument' : 'sendMessage';
    let failures = 0;
    let firstFailureMs = 0;
    let rateLimited = 0;
    let plain = false;
    for (;;) {
      ledger.check(chatId);
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
          await ledger.pause(chatId, (error.retryAfterSeconds ?? 1) * 1000);
          continue;
        }
        if (status === 400 && !plain && /can't parse entities/i.test(error.message)) {
          deps.log.error({ chatId, err: error }, 'html rejected, sending as plain text');
          plain = true;
          continue;
        }
        const transient = raw instanceof HttpError || status === undefined || status >= 500;
        failures += 1;
        if (failures === 1) firstFailureMs = nowMs();
        if (!transient || exhausted(policy, failures, firstFailureMs, nowMs())) throw error;
        deps.log.warn({ chatId, method, status, failures }, 'send failed, retrying');
        await ledger.pause(chatId, backoffMs(policy, failures));
      }
    }
  }

  return {
    send(chatId, replies) {
      const messages = replies.flatMap((reply) => toTelegramMessages(reply, deps.botUsername()));
      return outbound.send(chatId, messages, (message) => deliver(chatId, message));
    },
    idle: () => outbound.idle(),
    abandon: () => ledger.abandon(),
  };
}
