/**
 * The Telegram adapter (grammY): long polling by default, a webhook on the shared HTTP server when
 * configured. It only translates — update → Inbound, kept by `accept` (the durable inbox) before
 * Telegram is told it arrived (the webhook's 200, the poll's next offset); Reply → Bot API when the
 * outbox delivers the answer — and adds what Telegram asks of a bot: every callback query answered,
 * the pressed keyboard removed before the answer so it cannot be pressed twice, the command menu in
 * both languages, and who administers a group (getChatMember) when the bot asks. Intake, reply order,
 * retries and the bounded stop are the adapter kit's (../kit).
 */
import { Bot, GrammyError, type ApiClientOptions } from 'grammy';
import type { BotCommand, LanguageCode, Update } from 'grammy/types';
import { ConfigError } from '../../kernel/errors.js';
import type { Reply } from '../../domain/reply.js';
import type { Logger } from '../../kernel/logger.js';
import type { HttpServer } from '../../http/server.js';
import type { AcceptUpdate, PlatformAdapter, SendOutcome } from '../../domain/platform.js';
import type { InboxUpdate } from '../../domain/wire.js';
import { createIntake } from '../kit/intake.js';
import { sendKeepingPrivate } from '../kit/private.js';
import { Agent as HttpAgent } from 'node:http';
import { botApiFetch } from './bot-api-fetch.js';
import { createJsonCaller } from './bot-api-json.js';
import { createTelegramSender } from './sender.js';
import { TELEGRAM, toInbound } from './to-inbound.js';
import { createWebhookHandler } from './webhook.js';

/** The command menu for one language (`languageCode` undefined: everyone else). */
export interface CommandMenu {
  languageCode?: LanguageCode;
  commands: BotCommand[];
}

/** What the adapter is built from. */
export interface TelegramAdapterOptions {
  token: string;
  apiRoot: string;
  webhook?: { url: string; secret: string };
  /** Keeps each update (the durable inbox); the update counts as arrived only once it resolves. */
  accept: AcceptUpdate;
  http: HttpServer;
  log: Logger;
  menus: readonly CommandMenu[];
  /** A chat the bot can no longer write to (403). */
  onUnreachable: (chatId: string, reason: string) => void;
  /** Polling cannot go on (another instance polls the same token, or the token is wrong). */
  onFatal: (error: ConfigError) => void;
  /** Retry pacing of outbound calls (tests shorten it). */
  retryBaseDelayMs?: number;
  /** How long a reply is retried while the Bot API fails (default 3 min; below the reminders' 5 min claim). */
  retryWindowMs?: number;
  /** How long stop() lets updates being kept and replies finish before abandoning the rest (default 4 s). */
  stopGraceMs?: number;
  /** More Bot API client settings (an HTTP agent, a timeout); `apiRoot` above wins. */
  client?: Omit<ApiClientOptions, 'apiRoot'>;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const API_TIMEOUT_SECONDS = 60;
/** Waits between tries to keep a polled update while the store fails (the poll waits meanwhile). */
const KEEP_RETRY_MS = [100, 250, 500, 1000, 2000];
const ignore = (): void => undefined;

/** The route of an answer: the keyboard pressed, retired before the answer goes out. */
interface Route {
  retire?: [chatId: number, messageId: number];
}

function readRoute(route: string): Route {
  if (route === '') return {};
  try {
    const parsed = JSON.parse(route) as Route;
    return Array.isArray(parsed.retire) && parsed.retire.length === 2 ? parsed : {};
  } catch {
    return {};
  }
}

/** Creates the adapter; nothing talks to Telegram until `start`. */
export function createTelegramAdapter(options: TelegramAdapterOptions): PlatformAdapter & { bot: Bot } {
  const log = options.log.child({ platform: TELEGRAM });
  // grammY waits 500 s for a Bot API answer by default: a hung call would hold its chat's replies that
  // long. A minute is above the 30 s long poll; a call that takes longer is retried by the sender.
  const bot = new Bot(options.token, {
    client: { timeoutSeconds: API_TIMEOUT_SECONDS, fetch: botApiFetch, ...options.client, apiRoot: options.apiRoot },
  });
  // The agent given for grammY (the benchmark's in-memory Bot API) carries the JSON calls too.
  const agent: unknown = (options.client?.baseFetchConfig as { agent?: unknown } | undefined)?.agent;
  const json = createJsonCaller({
    apiRoot: options.apiRoot,
    token: options.token,
    timeoutMs: (options.client?.timeoutSeconds ?? API_TIMEOUT_SECONDS) * 1000,
    ...(agent instanceof HttpAgent ? { agent } : {}),
  });
  const sender = createTelegramSender({
    api: bot.api,
    json,
    botUsername: () => bot.botInfo.username,
    log,
    onUnreachable: options.onUnreachable,
    ...(options.retryBaseDelayMs === undefined ? {} : { baseDelayMs: options.retryBaseDelayMs }),
    maxAttempts: Number.POSITIVE_INFINITY,
    retryWindowMs: options.retryWindowMs ?? 180_000,
  });
  const intake = createIntake({ outbound: sender, log });
  /** The last update the polling middleware entered; grammY's stop() confirms the offset after it. */
  let lastEntered = 0;
  /** Polling stopped: updates from here on were not confirmed, so Telegram delivers them again. */
  let refuseFrom = Number.POSITIVE_INFINITY;

  /** Whether the user is the group's creator or an administrator, as Telegram says; false when it cannot be asked. */
  async function isChatAdmin(chatId: string, userId: string): Promise<boolean> {
    try {
      const member = await bot.api.getChatMember(chatId, Number(userId));
      return member.status === 'creator' || member.status === 'administrator';
    } catch (err) {
      log.warn({ err, chatId }, 'cannot check group admin');
      return false;
    }
  }

  /**
   * Keeps an update in the inbox. A webhook call tries once (a failure is a 503, and Telegram sends
   * the update again); a poll tries until it is kept or the adapter stops, holding the next poll, so
   * Telegram is never told of an update that was not kept.
   */
  async function keep(update: InboxUpdate, persistent: boolean): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await options.accept(update);
        return;
      } catch (err) {
        if (!persistent || !intake.accepting) throw err;
        log.warn({ err, attempt }, 'update not kept yet; trying again');
        await new Promise((resolve) => setTimeout(resolve, KEEP_RETRY_MS[Math.min(attempt, KEEP_RETRY_MS.length - 1)]));
      }
    }
  }

  /** Takes an update: the button stops spinning at once, the update is kept, and its answer comes later through `deliver`. */
  function take(update: Update, persistent: boolean): Promise<void> {
    const query = update.callback_query;
    if (query !== undefined) {
      void json('answerCallbackQuery', { callback_query_id: query.id }).catch((err: unknown) => log.warn({ err }, 'answerCallbackQuery failed'));
    }
    const inbound = toInbound(update, bot.botInfo, new Date());
    if (inbound === undefined) return Promise.resolve();
    // A press that could not be read keeps its keyboard, so the button can be pressed again.
    const pressed = inbound.unreadable === true ? undefined : query?.message;
    const route: Route = pressed === undefined ? {} : { retire: [pressed.chat.id, pressed.message_id] };
    return intake.track(keep({ inbound, route: pressed === undefined ? '' : JSON.stringify(route) }, persistent));
  }

  /** Sends an update's answer; a pressed keyboard is retired first, so it cannot be pressed twice. */
  async function deliver(chatId: string, replies: readonly Reply[], route: string): Promise<SendOutcome> {
    const retire = readRoute(route).retire;
    if (retire !== undefined) {
      await json('editMessageReplyMarkup', { chat_id: retire[0], message_id: retire[1], reply_markup: { inline_keyboard: [] } }).then(ignore, (err: unknown) =>
        log.debug({ err }, 'pressed keyboard not retired'),
      );
    }
    return sendTo(chatId, replies);
  }

  /** Sends replies to a chat; those for the asker alone go to the user's private chat (its id is the user's). */
  function sendTo(chatId: string, replies: readonly Reply[]): Promise<SendOutcome> {
    return sendKeepingPrivate(replies, { here: (some) => sender.send(chatId, some), privately: (userId, some) => sender.send(userId, some) });
  }

  bot.use(async (ctx) => {
    if (ctx.update.update_id >= refuseFrom) return;
    lastEntered = ctx.update.update_id;
    await take(ctx.update, true);
  });
  bot.catch((error) => log.error({ err: error.error }, 'middleware failed'));

  async function setMenus(): Promise<void> {
    for (const menu of options.menus) {
      const scope = menu.languageCode === undefined ? {} : { language_code: menu.languageCode };
      await bot.api.setMyCommands(menu.commands, scope);
    }
  }

  function startPolling(): void {
    bot
      .start({ allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false })
      .catch((error: unknown) => {
        if (!intake.accepting) return;
        intake.close();
        const conflict = error instanceof GrammyError && error.error_code === 409;
        const message = conflict
          ? 'another instance is polling Telegram with this bot token (409 Conflict): run one poller, or set TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET to use a webhook'
          : `Telegram polling stopped: ${error instanceof Error ? error.message : String(error)}`;
        log.error({ err: error }, 'polling stopped');
        options.onFatal(new ConfigError(message, { cause: error }));
      });
  }

  // The webhook route is served from the start: until the adapter takes updates it answers 503, so
  // Telegram keeps what it sends to a starting instance (never a 404 it might give up on).
  if (options.webhook !== undefined) {
    const webhook = options.webhook;
    options.http.route(
      'POST',
      new URL(webhook.url).pathname,
      createWebhookHandler({ secret: webhook.secret, log, accepting: () => intake.accepting, accept: (update) => take(update, false) }),
    );
  }

  return {
    platform: TELEGRAM,
    bot,
    async start() {
      await bot.init();
      await setMenus();
      intake.open();
      const webhook = options.webhook;
      if (webhook === undefined) {
        startPolling();
        log.info({ mode: 'polling', bot: bot.botInfo.username }, 'telegram started');
        return;
      }
      await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      log.info({ mode: 'webhook', path: new URL(webhook.url).pathname, bot: bot.botInfo.username }, 'telegram started');
    },
    async stop() {
      const wasPolling = bot.isRunning();
      intake.close();
      if (wasPolling) {
        // grammY confirms the offset after the update in the middleware now; the one being kept is
        // waited for (intake.drain), later ones of the batch are left for Telegram to resend.
        refuseFrom = lastEntered + 1;
        await bot.stop().catch((err: unknown) => log.warn({ err }, 'polling stop failed'));
      }
      // Updates in flight and their replies finish within the grace; replies still waiting for a
      // Bot API that is down are abandoned after it (and logged).
      await intake.drain(options.stopGraceMs ?? 4_000);
    },
    send: sendTo,
    deliver,
    isChatAdmin,
  };
}
