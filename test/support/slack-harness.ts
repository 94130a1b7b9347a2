/**
 * The bot as `npm start` builds it (`createApp` → `runService(app, platformAdapters(app))`) with only
 * Slack configured, talking to the Web API stand-in over real HTTP, and receiving Slack's requests
 * either signed over HTTP at `/slack/events` (HTTP mode) or as envelopes from the Socket Mode
 * stand-in (Socket Mode), on the embedded store in a fresh DATA_DIR. `dm`, `press`, `command` and
 * `submitModal` drive it as a Slack user, so end-to-end tests read like a conversation.
 */
import { afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app/app.js';
import { platformAdapters, runService, type RunningService } from '../../src/app/service.js';
import type { SessionData } from '../../src/domain/session.js';
import { dmChannelOf, isObject } from './slack-api-ids.js';
import {
  appMentionEvent,
  blockActionsPayload,
  dmMessageEvent,
  eventCallback,
  postEvent,
  postInteraction,
  postSigned,
  slashCommandBody,
  startSlackApi,
  viewSubmissionPayload,
  type EphemeralMessage,
  type InputValue,
  type JsonObject,
  type OpenedView,
  type PostEventOptions,
  type SlackApi,
  type SlackHttpAnswer,
  type StoredMessage,
  type UserSpec,
} from './slack-api.js';

/** How the bot receives Slack's requests. */
export type SlackMode = 'http' | 'socket';

/** The clock every test runs at: before the forms' deadline (30 April 2021). */
export const TEST_NOW = '2021-04-20T10:00:00+08:00';

/** The signing secret of HTTP-mode bots. */
export const SIGNING_SECRET = 'test-secret';

/** The staff member of every test bot (`STAFF_IDS=slack:USTAFF`). */
export const STAFF_USER_ID = 'USTAFF';

/** The slash command the app registers. */
export const SLASH_COMMAND = '/sciweek';

/** A bot's messages to one channel are taken as complete once nothing new arrived for this long. */
const QUIET_MS = 150;

/** What the app answered to a request, whichever way it came (HTTP response or Socket Mode ack). */
export interface Delivered {
  /** HTTP status (200 for a Socket Mode ack). */
  status: number;
  /** The ack body parsed as JSON; undefined for an empty ack. */
  json: unknown;
  /** The Socket Mode envelope id (Socket Mode only). */
  envelopeId?: string;
}

/** What a slash command got: the ack, and what followed in the channel (messages, ephemerals, views). */
export interface CommandResult {
  ack: Delivered;
  messages: StoredMessage[];
  ephemerals: EphemeralMessage[];
  views: OpenedView[];
}

/** What a button press got: the ack and the bot's new messages to the channel. */
export interface PressResult {
  ack: Delivered;
  /** The message whose button was pressed (its ts). */
  messageTs: string;
  /** The pressed button's value (our payload). */
  value: string;
  replies: StoredMessage[];
}

/** Field id → the text typed (text inputs) or the option picked, by its label or value (selects). */
export type ModalAnswers = Record<string, string>;

/** A running bot with the stand-in it talks to. */
export interface SlackBot {
  readonly api: SlackApi;
  readonly app: App;
  readonly service: RunningService;
  readonly mode: SlackMode;
  /** `http://127.0.0.1:<port>/slack/events`. */
  readonly eventsUrl: string;
  /** The DM channel of the bot with a user (what conversations.open answers): `U123` → `D123`. */
  dmChannel(userId: string): string;
  /** Delivers an Events API event (signed POST, or an `events_api` envelope); a fresh event id unless given. */
  deliverEvent(event: JsonObject, options?: Partial<PostEventOptions>): Promise<Delivered>;
  /** Delivers an interactivity payload (`block_actions`, `view_submission`). */
  deliverInteraction(payload: JsonObject): Promise<Delivered>;
  /** A user's DM to the bot; resolves with the bot's messages in that DM that follow it. */
  dm(userId: string, text: string): Promise<StoredMessage[]>;
  /** An @mention of the bot in a channel; resolves with the bot's messages in that channel that follow it. */
  mention(userId: string, channel: string, text: string): Promise<{ event: JsonObject; replies: StoredMessage[] }>;
  /** Presses the button labelled `label` on the latest message in `channel` that has buttons. */
  press(userId: string, channel: string, label: string): Promise<PressResult>;
  /** `/sciweek <text>` from a user in a channel (with a fresh trigger id). */
  command(userId: string, channel: string, text: string): Promise<CommandResult>;
  /** Submits the last opened view with these answers (others keep their initial value); resolves with the ack. */
  submitModal(userId: string, answers: ModalAnswers): Promise<Delivered>;
  /** The views the stand-in holds (opened, pushed, updated), as Slack would hold them. */
  views(): OpenedView[];
  /** Every `view` the bot sent to views.open/push/update, exactly as sent. */
  sentViews(): JsonObject[];
  /** The session the store keeps for a user in a chat (a pure read). */
  session(chatId: string, userId: string): Promise<SessionData | undefined>;
  /** Waits until nothing new (messages, updates, ephemerals, views) arrived for a moment. */
  settle(): Promise<void>;
  /** Stops the service (disconnecting Socket Mode), then the stand-ins; removes the DATA_DIR. */
  close(): Promise<void>;
}

/** Options of {@link startSlackBot}. */
export interface StartSlackOptions {
  mode?: SlackMode;
  /** Workspace members known to users.info (by default none: names fall back to ids). */
  users?: Record<string, UserSpec>;
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

/** The button elements of a message's actions blocks. */
export function buttonsOf(message: { blocks: JsonObject[] | undefined }): { action_id: string; value: string; label: string }[] {
  const out: { action_id: string; value: string; label: string }[] = [];
  for (const block of message.blocks ?? []) {
    if (block.type !== 'actions' || !Array.isArray(block.elements)) continue;
    for (const element of block.elements as unknown[]) {
      if (!isObject(element) || element.type !== 'button' || !isObject(element.text)) continue;
      out.push({ action_id: String(element.action_id), value: String(element.value), label: String(element.text.text) });
    }
  }
  return out;
}

/** Every button label of a message. */
export function buttonLabels(message: { blocks: JsonObject[] | undefined }): string[] {
  return buttonsOf(message).map((button) => button.label);
}

/** The mrkdwn of a message's sections and contexts, as posted (escapes and all). */
export function mrkdwnOf(message: { blocks: JsonObject[] | undefined }): string {
  const parts: string[] = [];
  for (const block of message.blocks ?? []) {
    if (isObject(block.text) && typeof block.text.text === 'string') parts.push(block.text.text);
    if (block.type === 'context' && Array.isArray(block.elements)) {
      for (const element of block.elements as unknown[]) if (isObject(element) && typeof element.text === 'string') parts.push(element.text);
    }
  }
  return parts.join('\n');
}

/**
 * What a user reads of a message: the mrkdwn without its bold markers (a `*` the renderer escaped is
 * followed by a zero-width space and stays), escapes shown as characters.
 */
export function plainOf(message: { text: string; blocks: JsonObject[] | undefined }): string {
  const source = message.blocks === undefined ? message.text : mrkdwnOf(message);
  return source
    .replace(/\*(?!\u200b)/g, '')
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The plain text of some messages, one message a paragraph. */
export function textOf(messages: readonly { text: string; blocks: JsonObject[] | undefined }[]): string {
  return messages.map(plainOf).join('\n\n');
}

/** The title of the key-project form, as the forms picker labels its button. */
export const KEY_PROJECT_TITLE = '附件2 重点项目备案表';

/**
 * Starts the key-project form in the user's DM as a Slack user would: `/sciweek file` there lists the
 * forms, and the user presses the key-project one. Resolves with the bot's replies to the press.
 */
export async function startKeyProject(bot: SlackBot, userId: string): Promise<PressResult> {
  const channel = bot.dmChannel(userId);
  await bot.command(userId, channel, 'file');
  return bot.press(userId, channel, KEY_PROJECT_TITLE);
}

/** The last of some messages; throws when there is none. */
export function lastOf<T>(messages: readonly T[]): T {
  const message = messages.at(-1);
  if (message === undefined) throw new Error('no message');
  return message;
}

let eventCounter = 0;

/** A fresh Events API event id (`Ev…`). */
export function nextEventId(): string {
  eventCounter += 1;
  return `Ev${eventCounter.toString(36).toUpperCase().padStart(4, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** The environment `npm start` would get for this bot. */
function environment(api: SlackApi, apiUrl: string, dir: string, mode: SlackMode, extra: Record<string, string>): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: api.botToken,
    ...(mode === 'http' ? { SLACK_SIGNING_SECRET: SIGNING_SECRET } : { SLACK_APP_TOKEN: api.appToken }),
    SLACK_API_URL: apiUrl,
    DATA_DIR: dir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SCIWEEK_NOW: TEST_NOW,
    STAFF_IDS: `slack:${STAFF_USER_ID}`,
    ...extra,
  };
}

/** A text input's or select's submitted state for a modal input block, from an answer or its initial value. */
function inputState(block: JsonObject, answer: string | undefined): InputValue | undefined {
  const element = isObject(block.element) ? block.element : undefined;
  if (element === undefined) return undefined;
  const type = String(element.type);
  if (type === 'static_select') {
    const options = Array.isArray(element.options) ? (element.options as unknown[]).filter(isObject) : [];
    if (answer === undefined) return { type, selected_option: isObject(element.initial_option) ? element.initial_option : null };
    const picked = options.find((o) => o.value === answer || (isObject(o.text) && o.text.text === answer));
    if (picked === undefined) throw new Error(`no option "${answer}" in select ${String(block.block_id)}`);
    return { type, selected_option: picked };
  }
  if (type === 'file_input') return { type, files: [] };
  const initial = typeof element.initial_value === 'string' ? element.initial_value : null;
  return { type, value: answer ?? initial };
}



/** Starts a stand-in and the bot on it, as `npm start` does. */
export async function startSlackBot(options: StartSlackOptions = {}): Promise<SlackBot> {
  const mode = options.mode ?? 'http';
  const api = await startSlackApi({ socketMode: mode === 'socket', ...(options.users === undefined ? {} : { users: options.users }) });
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-slack-'));
  let app: App | undefined;
  let service: RunningService;
  try {
    app = await createApp(environment(api, api.apiUrl, dir, mode, options.env ?? {}));
    service = await runService(app, await platformAdapters(app), '127.0.0.1');
    if (mode === 'socket') await api.socketMode?.waitForConnection();
  } catch (error) {
    await app?.store.close().catch(() => undefined);
    await api.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const started = app;
  const eventsUrl = `http://127.0.0.1:${service.port}/slack/events`;

  /** A count of everything the bot can produce; it grows whenever the bot does something visible. */
  const activity = (): number =>
    api.messages().reduce((sum, message) => sum + message.history.length, 0) + api.ephemerals().length + api.views().length;

  async function settle(): Promise<void> {
    let count = activity();
    let quietSince = Date.now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const now = activity();
      if (now !== count) {
        count = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= QUIET_MS) {
        return;
      }
    }
  }

  async function overSocket(type: 'events_api' | 'slash_commands' | 'interactive', payload: JsonObject): Promise<Delivered> {
    const socket = api.socketMode;
    if (socket === undefined) throw new Error('no Socket Mode stand-in');
    const ack = await socket.deliver(type, payload);
    const body = ack.payload;
    return { status: 200, json: body === undefined || Object.keys(body).length === 0 ? undefined : body, envelopeId: ack.envelope_id };
  }

  const fromHttp = (answer: SlackHttpAnswer): Delivered => {
    if (answer.status !== 200) throw new Error(`/slack/events answered ${answer.status}: ${answer.body}`);
    return { status: answer.status, json: answer.json };
  };

  async function deliverEvent(event: JsonObject, o: Partial<PostEventOptions> = {}): Promise<Delivered> {
    const eventOptions: PostEventOptions = { ...o, eventId: o.eventId ?? nextEventId() };
    if (mode === 'socket') return overSocket('events_api', eventCallback(event, eventOptions));
    return fromHttp(await postEvent(eventsUrl, SIGNING_SECRET, event, eventOptions));
  }

  async function deliverInteraction(payload: JsonObject): Promise<Delivered> {
    if (mode === 'socket') return overSocket('interactive', payload);
    return fromHttp(await postInteraction(eventsUrl, SIGNING_SECRET, payload));
  }

  /** Waits for a first new message in `channel` after `before` of them, then for quiet; returns the new ones. */
  async function repliesAfter(channel: string, before: number): Promise<StoredMessage[]> {
    await eventually(() => (api.messages(channel).length > before ? true : undefined), `a bot message in ${channel}`);
    await settle();
    return api.messages(channel).slice(before);
  }

  async function dm(userId: string, text: string): Promise<StoredMessage[]> {
    const channel = dmChannelOf(userId);
    const before = api.messages(channel).length;
    await deliverEvent(dmMessageEvent({ userId, channel, text }));
    return repliesAfter(channel, before);
  }

  async function mention(userId: string, channel: string, text: string): Promise<{ event: JsonObject; replies: StoredMessage[] }> {
    const before = api.messages(channel).length;
    const event = appMentionEvent({ userId, channel, text, botUserId: api.botUserId });
    await deliverEvent(event);
    return { event, replies: await repliesAfter(channel, before) };
  }

  async function press(userId: string, channel: string, label: string): Promise<PressResult> {
    const target = [...api.messages(channel)].reverse().find((message) => buttonsOf(message).length > 0);
    const button = target === undefined ? undefined : buttonsOf(target).find((b) => b.label === label);
    if (target === undefined || button === undefined) {
      const last = api.messages(channel).at(-1);
      throw new Error(`no button "${label}" in ${channel}; last message:\n${last === undefined ? '(none)' : plainOf(last)}`);
    }
    const message: JsonObject = { type: 'message', user: api.botUserId, bot_id: api.botId, ts: target.ts, text: target.text, blocks: target.blocks ?? [] };
    const payload = blockActionsPayload({
      userId, channel, messageTs: target.ts, actionId: button.action_id, value: button.value, buttonText: button.label,
      triggerId: api.triggerId(), message,
    });
    const before = api.messages(channel).length;
    const ack = await deliverInteraction(payload);
    const replies = await repliesAfter(channel, before);
    return { ack, messageTs: target.ts, value: button.value, replies };
  }

  async function command(userId: string, channel: string, text: string): Promise<CommandResult> {
    const before = { messages: api.messages(channel).length, ephemerals: api.ephemerals(channel).length, views: api.views().length };
    const body = slashCommandBody({ command: SLASH_COMMAND, text, userId, channelId: channel, triggerId: api.triggerId() });
    const ack = mode === 'socket' ? await overSocket('slash_commands', body) : fromHttp(await postSigned(eventsUrl, SIGNING_SECRET, new URLSearchParams(body).toString()));
    const grew = (): boolean =>
      api.messages(channel).length > before.messages || api.ephemerals(channel).length > before.ephemerals || api.views().length > before.views;
    await eventually(() => (grew() ? true : undefined), `an answer to ${SLASH_COMMAND} ${text}`);
    await settle();
    return {
      ack,
      messages: api.messages(channel).slice(before.messages),
      ephemerals: api.ephemerals(channel).slice(before.ephemerals),
      views: views().slice(before.views),
    };
  }

  const views = (): OpenedView[] => api.views();

  async function submitModal(userId: string, answers: ModalAnswers): Promise<Delivered> {
    const opened = views().at(-1);
    if (opened === undefined) throw new Error('no view was opened');
    const blocks = Array.isArray(opened.view.blocks) ? (opened.view.blocks as unknown[]).filter(isObject) : [];
    const unknown = Object.keys(answers).filter((id) => !blocks.some((block) => block.block_id === id));
    if (unknown.length > 0) throw new Error(`the view has no input blocks ${unknown.join(', ')}`);
    const values: Record<string, Record<string, InputValue>> = {};
    for (const block of blocks) {
      if (block.type !== 'input' || typeof block.block_id !== 'string' || !isObject(block.element)) continue;
      const state = inputState(block, answers[block.block_id]);
      if (state !== undefined) values[block.block_id] = { [String(block.element.action_id)]: state };
    }
    return deliverInteraction(viewSubmissionPayload({ userId, view: opened.view, values }));
  }

  return {
    api,
    app: started,
    service,
    mode,
    eventsUrl,
    dmChannel: dmChannelOf,
    deliverEvent,
    deliverInteraction,
    dm,
    mention,
    press,
    command,
    submitModal,
    views,
    sentViews: () => api.callsOf('views.open').flatMap((call) => (isObject(call.params.view) ? [call.params.view] : [])),
    settle,
    session: async (chatId, userId) => {
      const begun = await started.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'slack', chatId, userId } });
      return begun.session?.data;
    },
    close: async () => {
      try {
        await service.stop();
      } finally {
        await api.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A `start` for a test file: each bot it starts is closed after the test that started it. Call once at
 * the top of the file (it registers an afterEach).
 */
export function slackBotsPerTest(): (options?: StartSlackOptions) => Promise<SlackBot> {
  let running: SlackBot[] = [];
  afterEach(async () => {
    await Promise.allSettled(running.map((bot) => bot.close()));
    running = [];
  });
  return async (options = {}) => {
    const bot = await startSlackBot(options);
    running.push(bot);
    return bot;
  };
}
