/**
 * The Telegram adapter (grammY): long polling by default, a webhook on the shared HTTP server when
 * configured. It only translates — update → Inbound → handler → Reply → Bot API — and adds what
 * Telegram asks of a bot: every callback query answered, the pressed keyboard removed so it cannot
 * be pressed twice, the command menu in both languages, and who administers a group (getChatMember)
 * when the bot asks. Intake, reply order, retries and the bounded stop are the adapter kit's (../kit).
 */
import { Bot, GrammyError, type ApiClientOptions } from 'grammy';
import type { BotCommand, LanguageCode, Update } from 'grammy/types';
import type { MessageHandler } from '../../bot/engine.js';
import { ConfigError } from '../../kernel/errors.js';
import type { Inbound } from '../../domain/inbound.js';
import type { Reply } from '../../domain/reply.js';
import { createKeyedQueue } from '../../kernel/keyed-queue.js';
import type { Logger } from '../../kernel/logger.js';
import type { HttpServer } from '../../http/server.js';
import type { PlatformAdapter } from '../../domain/platform.js';
import { createIntake } from '../kit/intake.js';
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
  handler: MessageHandler;
  http: HttpServer;
  log: Logger;
  menus: readonly CommandMenu[];
  /** A chat the bot can no longer write to (403). */
  onUnreachable: (chatId: string, reason: string) => void;
  /** Polling cannot go on (another instance polls the same token, or the token is wrong). */
  onFatal: (error: ConfigError) => void;
  /** Chats busy at once (default 64); one chat's replies always keep the order of its updates. */
  maxInFlight?: number;
  /** Retry pacing of outbound calls (tests shorten it). */
  retryBaseDelayMs?: number;
  /** How long a reply is retried while the Bot API fails (default 3 min; below the reminders' 5 min claim). */
  retryWindowMs?: number;
  /** How long stop() lets in-flight updates and replies finish before abandoning the rest (default 4 s). */
  stopGraceMs?: number;
  /** More Bot API client settings (an HTTP agent, a timeout); `apiRoot` above wins. */
  client?: Omit<ApiClientOptions, 'apiRoot'>;
  /**
   * `bot.handleUpdate` resolves only when the update is fully handled, replies sent (the benchmark
   * and embedders waiting on each update). Default false: an update is queued and acknowledged at once.
   */
  awaitUpdates?: boolean;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const DONE: Promise<void> = Promise.resolve();
const API_TIMEOUT_SECONDS = 60;
const ignore = (): void => undefined;

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
  const maxInFlight = Math.max(1, options.maxInFlight ?? 64);
  /**
   * Group chats with an update in the engine: the chat's later updates wait for it. Members of a group
   * share its binding, and /bind and /unbind ask Telegram whether the sender administers the group
   * before they change it, so a later update (another member's /unbind) must not overtake them. Group
   * traffic is commands and mentions only; private chats go straight to the engine, whose per-session
   * queue keeps their order.
   */
  const groups = createKeyedQueue();
  /** The last update the middleware saw; grammY's stop() confirms the offset after it. */
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

  /** Hands an update to the engine: at once, or in a group after the chat's earlier update. */
  function handle(inbound: Inbound): Promise<Reply[]> {
    return inbound.chat.kind === 'group' ? groups.run(inbound.chat.id, () => options.handler(inbound)) : options.handler(inbound);
  }

  /**
   * Starts an update: the engine now, its replies in the chat's outbound line (taken at arrival, so
   * they keep the updates' order). Resolves at once, or with `awaitReplies` once the replies are sent.
   */
  function start(update: Update, inbound: Inbound, awaitReplies: boolean): Promise<void> {
    let replies = handle(inbound);
    const pressed = update.callback_query?.message;
    if (pressed !== undefined) {
      // Retire the pressed keyboard before the answer goes out, so it cannot be pressed twice.
      const answered = replies;
      replies = json('editMessageReplyMarkup', { chat_id: pressed.chat.id, message_id: pressed.message_id, reply_markup: { inline_keyboard: [] } })
        .then(ignore, (err: unknown) => log.debug({ err }, 'pressed keyboard not removed'))
        .then(() => answered);
    }
    if (!awaitReplies) {
      sender.sendLater(inbound.chat.id, replies);
      return DONE;
    }
    return new Promise<void>((resolve) => sender.sendLater(inbound.chat.id, replies, resolve));
  }

  /** Resolves when fewer than `maxInFlight` chats are busy. */
  async function capacity(): Promise<void> {
    // Counts busy chats, not updates: one chat's backlog (a flood, slowed by the rate limit) never holds back the others.
    while (sender.busyChats() >= maxInFlight) await sender.freed();
  }

  /**
   * Takes an update; the answer settles once it is taken (at once, unless too many chats are busy),
   * or with `awaitReplies` once its replies are sent. Never rejects.
   */
  function take(update: Update, awaitReplies: boolean): Promise<void> {
    // Every callback query is answered at once (the button stops spinning), not behind the chat's replies.
    if (update.callback_query !== undefined) {
      void json('answerCallbackQuery', { callback_query_id: update.callback_query.id }).catch((err: unknown) => log.warn({ err }, 'answerCallbackQuery failed'));
    }
    const inbound = toInbound(update, bot.botInfo, new Date());
    if (inbound === undefined) return DONE;
    if (sender.busyChats() < maxInFlight) return start(update, inbound, awaitReplies);
    const queued = capacity();
    const started = intake.track(queued.then(() => start(update, inbound, awaitReplies)));
    // Polling waits for `queued`: a full house slows the fetching of more updates.
    return awaitReplies ? started : queued;
  }

  bot.use((ctx) => {
    if (ctx.update.update_id >= refuseFrom) return DONE;
    lastEntered = ctx.update.update_id;
    return take(ctx.update, options.awaitUpdates === true);
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
      const path = new URL(webhook.url).pathname;
      options.http.route(
        'POST',
        path,
        createWebhookHandler({
          secret: webhook.secret,
          log,
          accepting: () => intake.accepting,
          accept: (update) => {
            bot.handleUpdate(update).catch((err: unknown) => log.error({ err }, 'webhook update failed'));
          },
        }),
      );
      await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      log.info({ mode: 'webhook', path, bot: bot.botInfo.username }, 'telegram started');
    },
    async stop() {
      const wasPolling = bot.isRunning();
      intake.close();
      if (wasPolling) {
        // grammY confirms the offset after the update in the middleware now (the middleware is entered
        // synchronously after grammY records it); later ones of the batch are left for Telegram to resend.
        refuseFrom = lastEntered + 1;
        await bot.stop().catch((err: unknown) => log.warn({ err }, 'polling stop failed'));
      }
      // Updates in flight and their replies finish within the grace; replies still waiting for a
      // Bot API that is down are abandoned after it (and logged).
      await intake.drain(options.stopGraceMs ?? 4_000);
    },
    send: (chatId, replies) => sender.send(chatId, replies),
    isChatAdmin,
  };
}
