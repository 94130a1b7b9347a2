/**
 * The bot as `npm start` builds it (`createApp` → `runService(app, platformAdapters(app))`), talking
 * to the Bot API stand-in over real HTTP, in long polling or webhook mode, on the embedded store in a
 * fresh DATA_DIR. `say` / `press` drive it as a Telegram user and return the messages the bot sent
 * back to that chat, so end-to-end tests read like a conversation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app/app.js';
import { platformAdapters, runService, type RunningService } from '../../src/app/service.js';
import type { SessionData } from '../../src/domain/session.js';
import { freePort } from './redis-server.js';
import {
  startBotApi,
  type BotApi,
  type CallRecord,
  type InlineKeyboardButton,
  type SentMessage,
  type UpdateInput,
} from './telegram-bot-api.js';

/** How the bot receives updates. */
export type TelegramMode = 'polling' | 'webhook';

/** The clock every test runs at: before the forms' deadline (30 April 2021). */
export const TEST_NOW = '2021-04-20T10:00:00+08:00';

/** The staff member of every test bot (`STAFF_IDS=telegram:900`). */
export const STAFF_USER_ID = 900;

/** The webhook secret of webhook-mode bots. */
export const WEBHOOK_SECRET = 'e2e-secret_0123456789';

/** Messages of one chat are taken as complete once nothing new arrived for this long. */
const QUIET_MS = 120;

/** What a button press sent and got back. */
export interface Press {
  /** The message whose button was pressed. */
  messageId: number;
  /** The button's callback_data. */
  data: string;
  /** The id of the callback query the press produced. */
  callbackQueryId: string;
  /** The bot's messages to the chat after the press. */
  replies: SentMessage[];
}

/** Options of {@link TelegramBot.send}. */
export interface SendOptions {
  /** Wait for at least one new message to the chat (default true). */
  expectReply?: boolean;
  /** How long to wait for the first message (default 5 s). */
  timeoutMs?: number;
}

/** A running bot with the stand-in it talks to. */
export interface TelegramBot {
  readonly api: BotApi;
  readonly app: App;
  readonly service: RunningService;
  readonly mode: TelegramMode;
  /** The bot's username as the stand-in's getMe reports it (no `@`). */
  readonly botUsername: string;
  /** Queues (polling) or POSTs (webhook) an update; the webhook's HTTP status in webhook mode. */
  deliver(update: UpdateInput): Promise<{ update: UpdateInput; status?: number }>;
  /** Delivers an update and returns the bot's messages to `chatId` that follow it. */
  send(chatId: number, update: UpdateInput, options?: SendOptions): Promise<SentMessage[]>;
  /** A user's text message; resolves with the bot's reply messages to that chat. */
  say(chatId: number, fromId: number, text: string, options?: SendOptions): Promise<SentMessage[]>;
  /** Presses the inline button labelled `label` on the latest message of the chat that has one. */
  press(chatId: number, fromId: number, label: string): Promise<Press>;
  /** Presses a button by its callback_data on a given message (e.g. an old one whose keyboard is gone). */
  pressData(chatId: number, fromId: number, messageId: number, data: string): Promise<Press>;
  /** The session the store keeps for a user in a chat (a pure read). */
  session(chatId: number, userId: number): Promise<SessionData | undefined>;
  /** Waits until the bot has no message to `chatId` in flight and nothing new arrived for a moment. */
  settle(chatId: number): Promise<void>;
  /** Stops the service; the stand-in too unless it was passed in. Removes the DATA_DIR. */
  close(): Promise<void>;
}

/** Options of {@link startTelegramBot}. */
export interface StartOptions {
  mode?: TelegramMode;
  /** An already running stand-in (e.g. shared by two instances); it is then not closed by `close`. */
  api?: BotApi;
  /** Extra environment, over the defaults. */
  env?: Record<string, string>;
}

/** Polls `probe` every 10 ms until it returns a value; throws after `timeoutMs` naming `what`. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The inline keyboard rows of a sent message (empty when it has none). */
export function keyboardOf(message: SentMessage): InlineKeyboardButton[][] {
  const markup = message.reply_markup;
  if (markup === undefined || !('inline_keyboard' in markup)) return [];
  const rows: unknown = markup.inline_keyboard;
  return Array.isArray(rows) ? (rows as InlineKeyboardButton[][]) : [];
}

/** Every button label of a message's keyboard. */
export function buttonLabels(message: SentMessage): string[] {
  return keyboardOf(message).flat().map((button) => button.text);
}

/** The text users see of some messages, one message a paragraph. */
export function textOf(messages: readonly SentMessage[]): string {
  return messages.map((message) => message.plainText).join('\n\n');
}

/** The chat id a call was made for, as a string (grammY sends it as given: number or string). */
export function chatOfCall(call: CallRecord): string {
  const id = call.params.chat_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** True when the call was answered with `ok: true`. */
export function succeeded(call: CallRecord): boolean {
  return typeof call.response === 'object' && call.response.ok;
}

/** The environment `npm start` would get for this bot. */
function environment(api: BotApi, dir: string, port: number, mode: TelegramMode, extra: Record<string, string>): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATA_DIR: dir,
    PORT: String(port),
    LOG_LEVEL: 'silent',
    SCIWEEK_NOW: TEST_NOW,
    STAFF_IDS: `telegram:${STAFF_USER_ID}`,
    ...(mode === 'webhook'
      ? { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET }
      : {}),
    ...extra,
  };
}

/** Starts a stand-in (unless given) and the bot on it, as `npm start` does. */
export async function startTelegramBot(options: StartOptions = {}): Promise<TelegramBot> {
  const mode = options.mode ?? 'polling';
  const ownsApi = options.api === undefined;
  const api = options.api ?? (await startBotApi());
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-telegram-'));
  let app: App | undefined;
  let service: RunningService;
  try {
    // Webhook mode needs the URL before the server listens, so the port is picked first.
    const port = mode === 'webhook' ? await freePort() : 0;
    app = await createApp(environment(api, dir, port, mode, options.env ?? {}));
    service = await runService(app, await platformAdapters(app), '127.0.0.1');
  } catch (error) {
    await app?.store.close().catch(() => undefined);
    if (ownsApi) await api.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const started = app;
  const botUsername = await eventually(() => {
    const me = api.callsOf('getMe').find(succeeded)?.response;
    if (typeof me !== 'object' || !me.ok) return undefined;
    const username = (me.result as { username?: unknown }).username;
    return typeof username === 'string' ? username : undefined;
  }, 'getMe');

  const pendingSends = (chatId: number): number =>
    api.calls.filter((call) => /^send/.test(call.method) && call.response === undefined && chatOfCall(call) === String(chatId)).length;

  async function settle(chatId: number): Promise<void> {
    let count = api.sentMessages(chatId).length;
    let quietSince = Date.now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const now = api.sentMessages(chatId).length;
      if (now !== count || pendingSends(chatId) > 0) {
        count = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= QUIET_MS) {
        return;
      }
    }
  }

  async function deliver(update: UpdateInput): Promise<{ update: UpdateInput; status?: number }> {
    if (mode === 'polling') return { update: api.pushUpdate(update) };
    const status = await api.deliverWebhook(update);
    return { update, status };
  }

  async function send(chatId: number, update: UpdateInput, o: SendOptions = {}): Promise<SentMessage[]> {
    // Replies to earlier updates have settled already (send ends with a settle; call `settle` after a bare `deliver`).
    const before = api.sentMessages(chatId).length;
    const { status } = await deliver(update);
    if (status !== undefined && status !== 200) throw new Error(`webhook answered ${status}`);
    if (o.expectReply ?? true) {
      await eventually(() => (api.sentMessages(chatId).length > before ? true : undefined), `a reply in chat ${chatId}`, o.timeoutMs ?? 5_000);
    }
    await settle(chatId);
    return api.sentMessages(chatId).slice(before);
  }

  async function pressData(chatId: number, fromId: number, messageId: number, data: string): Promise<Press> {
    const update = api.callbackQuery({ chatId, fromId, data, messageId });
    const callbackQueryId = update.callback_query?.id ?? '';
    const replies = await send(chatId, update);
    return { messageId, data, callbackQueryId, replies };
  }

  return {
    api,
    app: started,
    service,
    mode,
    botUsername,
    deliver,
    send,
    settle,
    say: (chatId, fromId, text, o) => send(chatId, api.textMessage({ chatId, fromId, text }), o),
    press: async (chatId, fromId, label) => {
      const target = [...api.sentMessages(chatId)]
        .reverse()
        .find((message) => keyboardOf(message).flat().some((button) => button.text === label));
      const button = target === undefined ? undefined : keyboardOf(target).flat().find((b) => b.text === label);
      if (target === undefined || typeof button?.callback_data !== 'string') {
        throw new Error(`no button "${label}" in chat ${chatId}; last message:\n${api.sentMessages(chatId).at(-1)?.plainText ?? '(none)'}`);
      }
      return pressData(chatId, fromId, target.message_id, button.callback_data);
    },
    pressData,
    session: async (chatId, userId) => {
      const begun = await started.store.begin({
        deliveryId: undefined,
        dedupeTtlMs: 1,
        key: { platform: 'telegram', chatId: String(chatId), userId: String(userId) },
      });
      return begun.session?.data;
    },
    close: async () => {
      try {
        await service.stop();
      } finally {
        if (ownsApi) await api.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The last of some messages; throws when there is none. */
export function lastOf(messages: readonly SentMessage[]): SentMessage {
  const message = messages.at(-1);
  if (message === undefined) throw new Error('no message');
  return message;
}
