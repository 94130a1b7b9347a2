/**
 * Telegram's half of the outbound kit: how one message goes out over the Bot API, and what a failed
 * call means — a 403 (blocked by the user, kicked from the group) makes the chat unreachable, a 429
 * waits `retry_after`, a 5xx or a network failure (no answer, the client's timeout) is transient, any
 * other answer is fatal. HTML that Telegram cannot parse is sent again as plain text. Order per chat,
 * retries, the bound on waiting messages and shutdown are the kit's (../kit/outbound.ts).
 */
import { GrammyError, InputFile, type Api } from 'grammy';
import type { Logger } from '../../kernel/logger.js';
import type { ChatReply } from '../../domain/reply.js';
import type { SendOutcome } from '../../domain/platform.js';
import type { Failure, PlatformCalls, RetrySettings } from '../kit/retry.js';
import { createOutbound, type Outbound } from '../kit/outbound.js';
import { htmlToPlain, toTelegramMessages, type TelegramMessage } from './render.js';
import { TELEGRAM } from './to-inbound.js';
import type { JsonCall } from './bot-api-json.js';

/**
 * What the sender needs. Retries for 5xx and network failures: 5 attempts and no window by default
 * (the adapter asks for a window of minutes instead).
 */
export interface SenderDeps extends RetrySettings {
  /** grammY's API, for uploads. */
  api: Api;
  /** The plain JSON calls, for text messages. */
  json: JsonCall;
  botUsername: () => string;
  log: Logger;
  /** Called once when a chat turns out to be unreachable (403). */
  onUnreachable: (chatId: string, reason: string) => void;
}

/** Sends replies, in order per chat (the kit's outbound queues over Bot API messages). */
export interface TelegramSender extends Omit<Outbound<TelegramMessage>, 'send' | 'sendLater'> {
  /** Sends replies after the chat's messages already handed over. */
  send(chatId: string, replies: readonly ChatReply[]): Promise<SendOutcome>;
  /** Takes the chat's place now for the replies of an update being handled (see the kit). */
  sendLater(chatId: string, replies: Promise<readonly ChatReply[]>, settled?: () => void): void;
}

/** Text Telegram could turn into a link preview: a scheme, `www.`, or a dotted name (example.cn, t.me/x). */
const MAY_PREVIEW = /:\/\/|www\.|[\p{L}\p{N}-]\.[\p{L}]{2,}/iu;

/** What a failed Bot API call means. */
export function classifyTelegramError(error: unknown): Failure {
  if (error instanceof GrammyError) {
    const status = error.error_code;
    const message = error.description;
    if (status === 403) return { kind: 'unreachable', status, message, reason: `${status} ${message}` };
    if (status === 429) return { kind: 'retryAfter', status, message, seconds: error.parameters.retry_after ?? 1 };
    return { kind: status >= 500 ? 'transient' : 'fatal', status, message };
  }
  // grammY's HttpError (no answer, the client's timeout) or anything else that never got an answer.
  return { kind: 'transient', status: undefined, message: error instanceof Error ? error.message : String(error) };
}

/** The Bot API calls that send messages. */
export function telegramCalls(api: Api, json: JsonCall, log: Logger): PlatformCalls<TelegramMessage> {
  /** Messages whose HTML Telegram refused: they (and their retries) go as plain text. */
  const plainOnly = new WeakSet<TelegramMessage>();

  function sendText(chatId: string, message: TelegramMessage & { kind: 'text' }, plain: boolean): Promise<unknown> {
    const text = plain ? htmlToPlain(message.html) : message.html;
    return json('sendMessage', {
      chat_id: chatId,
      text,
      ...(plain ? {} : { parse_mode: 'HTML' }),
      // Telegram previews only what reads as a web address; most replies have none.
      ...(MAY_PREVIEW.test(text) ? { link_preview_options: { is_disabled: true } } : {}),
      ...(message.keyboard === undefined ? {} : { reply_markup: message.keyboard }),
    });
  }

  return {
    platform: TELEGRAM,
    method: (message) => (message.kind === 'document' ? 'sendDocument' : 'sendMessage'),
    classify: classifyTelegramError,
    call(chatId, message) {
      if (message.kind === 'document') {
        return api.sendDocument(chatId, new InputFile(message.data, message.name), message.caption === undefined ? {} : { caption: message.caption });
      }
      if (plainOnly.has(message)) return sendText(chatId, message, true);
      return sendText(chatId, message, false).catch((error: unknown) => {
        if (!(error instanceof GrammyError && error.error_code === 400 && /can't parse entities/i.test(error.description))) throw error;
        log.error({ chatId, err: error }, 'html rejected, sending as plain text');
        plainOnly.add(message);
        return sendText(chatId, message, true);
      });
    },
  };
}

/** Creates the sender. */
export function createTelegramSender(deps: SenderDeps): TelegramSender {
  const outbound = createOutbound({
    ...deps,
    calls: telegramCalls(deps.api, deps.json, deps.log),
    defaults: { maxAttempts: 5, retryWindowMs: Number.POSITIVE_INFINITY },
  });
  const render = (replies: readonly ChatReply[]): TelegramMessage[] => {
    const botUsername = deps.botUsername();
    const only = replies.length === 1 ? replies[0] : undefined;
    return only !== undefined ? toTelegramMessages(only, botUsername) : replies.flatMap((reply) => toTelegramMessages(reply, botUsername));
  };
  return {
    ...outbound,
    send: (chatId, replies) => outbound.send(chatId, render(replies)),
    sendLater: (chatId, replies, settled) => outbound.sendLater(chatId, replies, render, settled),
  };
}
