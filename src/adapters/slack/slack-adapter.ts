/**
 * The Slack adapter (Bolt): the HTTP receiver on the shared server at `/slack/events` (signatures
 * and timestamps checked by Bolt), or Socket Mode with an app token. It acknowledges at once and
 * works after (a modal submission waits for the engine's verdict to show errors on their fields),
 * dedupes Slack's re-sends by event id / envelope id / trigger id, and retires pressed buttons.
 */
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { MessageHandler } from '../../bot/engine.js';
import { SLACK_SLASH_COMMAND } from '../../bot/commands.js';
import type { Inbound } from '../../domain/inbound.js';
import { parseJsonSafely } from '../../kernel/json.js';
import type { Logger } from '../../kernel/logger.js';
import { MAX_BODY_BYTES, type HttpServer } from '../../http/server.js';
import type { PlatformAdapter } from '../../domain/platform.js';
import { toBoltLogger } from './bolt-logger.js';
import { BUTTON_ACTION_PREFIX, FORM_CALLBACK_ID, retireButtons, type SlackBlock } from './render.js';
import { createIntake } from '../kit/intake.js';
import { createSlackSender, type SlackDestination } from './sender.js';
import { createSlackDirectory } from './directory.js';
import { fromModalValues, fromSlackText, slackInbound, SLACK, toAttachments, toEngineCommand, type SlackFile } from './to-inbound.js';

/** What the adapter is built from. */
export interface SlackAdapterOptions {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** The Web API base URL (GovSlack, a proxy, a test stand-in). */
  apiUrl?: string;
  handler: MessageHandler;
  http: HttpServer;
  log: Logger;
  onUnreachable: (channel: string, reason: string) => void;
  /** Retry pacing of replies while Slack is down (tests shorten it); see sender.ts. */
  retry?: { baseDelayMs?: number; retryWindowMs?: number };
  /** How long stop() lets waiting replies finish before abandoning them (default 4 s). */
  stopGraceMs?: number;
}

/** Our modal's private_metadata (`{ flowId, chat }` as JSON); empty when it is not that. */
function readMetadata(text: string): { flowId?: unknown; chat?: unknown } {
  try {
    const parsed = parseJsonSafely(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** The Slack events path on the shared HTTP server. */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Creates the adapter; nothing talks to Slack until `start`. */
export function createSlackAdapter(options: SlackAdapterOptions): PlatformAdapter & { app: App } {
  const log = options.log.child({ platform: SLACK });
  const logger = toBoltLogger(log);
  // Retry a little, wait out 429s, and never keep retrying a dead API for half an hour (the default).
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 3000 },
    rejectRateLimitedCalls: false,
    timeout: 10_000,
    ...(options.apiUrl === undefined ? {} : { slackApiUrl: options.apiUrl }),
  };
  const socketMode = options.appToken !== undefined;
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: options.appToken ?? '',
        logger,
        // A copy: the Socket Mode client writes its own retry policy into the object it is given.
        installerOptions: { clientOptions: { ...clientOptions } },
        customPropertiesExtractor: (args) => ({ envelopeId: (args as { envelope_id?: unknown }).envelope_id }),
      })
    : // Bolt reads at most MAX_BODY_BYTES (413 beyond, checked while the body streams) and checks the
      // v0 signature in constant time (tsscmp) and the timestamp (refused when over 5 minutes old).
      new HTTPReceiver({ signingSecret: options.signingSecret ?? '', endpoints: SLACK_EVENTS_PATH, logger, processBeforeResponse: false, bodyLimit: MAX_BODY_BYTES });
  const app = new App({ token: options.botToken, receiver, clientOptions, logger, logLevel: LogLevel.WARN, deferInitialization: true });
  const sender = createSlackSender({ client: app.client, log, onUnreachable: options.onUnreachable, ...options.retry });
  const directory = createSlackDirectory(app.client, log);
  const intake = createIntake({ outbound: sender, log });

  /** Hands an update to the engine; its replies take the channel's place in line now. */
  function work(inbound: Inbound, to: SlackDestination): void {
    sender.sendLater(to, options.handler(inbound));
  }

  const idOf = (context: Record<string, unknown>, fallback: string | undefined): string | undefined =>
    typeof context['envelopeId'] === 'string' ? context['envelopeId'] : fallback;

  app.message(async ({ message, body, context }) => {
    const m = message as { channel_type?: string; subtype?: string; user?: string; bot_id?: string; text?: string; channel: string; files?: SlackFile[] };
    if (!intake.accepting || m.channel_type !== 'im' || m.user === undefined || m.bot_id !== undefined) return;
    if (m.subtype !== undefined && m.subtype !== 'file_share') return;
    const user = await directory.user(m.user);
    const inbound = slackInbound(user, { id: m.channel, kind: 'private' }, (body as { event_id?: string }).event_id ?? idOf(context, undefined));
    if (m.text !== undefined && m.text !== '') inbound.text = fromSlackText(m.text);
    if (m.files !== undefined && m.files.length > 0) inbound.attachments = toAttachments(m.files);
    work(inbound, { channel: m.channel });
  });

  app.event('app_mention', async ({ event, body, context }) => {
    if (!intake.accepting || event.user === undefined) return;
    const user = await directory.user(event.user);
    const text = fromSlackText(event.text.replace(new RegExp(`<@${directory.botUserId()}(\\|[^>]*)?>`, 'g'), '')).trim();
    const inbound = slackInbound(user, { id: event.channel, kind: 'group' }, (body as { event_id?: string }).event_id ?? idOf(context, undefined));
    inbound.text = text;
    work(inbound, { channel: event.channel, threadTs: event.thread_ts ?? event.ts });
  });

  app.command(SLACK_SLASH_COMMAND, async ({ command, ack, context }) => {
    await ack();
    if (!intake.accepting) return;
    const user = await directory.user(command.user_id);
    const isDm = command.channel_id.startsWith('D');
    const { command: text, opensForm } = toEngineCommand(command.text);
    // A modal belongs to the user's DM session, so a chat draft pre-fills it; files go to the DM too.
    const dm = await directory.dmChannel(command.user_id);
    const chat = opensForm ? dm : command.channel_id;
    const inbound = slackInbound(user, { id: chat, kind: isDm || opensForm ? 'private' : 'group' }, idOf(context, command.trigger_id));
    inbound.text = text;
    const to: SlackDestination = isDm
      ? { channel: command.channel_id, triggerId: command.trigger_id, formChat: dm }
      : { channel: command.channel_id, ephemeralTo: command.user_id, triggerId: command.trigger_id, formChat: dm };
    work(inbound, to);
  });

  app.action({ action_id: new RegExp(`^${BUTTON_ACTION_PREFIX}`) }, async ({ ack, body, action, context, client }) => {
    await ack();
    if (!intake.accepting || body.type !== 'block_actions' || action.type !== 'button') return;
    const container = body.container as Record<string, unknown>;
    const channel: unknown = body.channel?.id ?? container['channel_id'];
    const message = body.message as { ts?: string; text?: string; blocks?: SlackBlock[] } | undefined;
    if (typeof channel !== 'string' || action.value === undefined) return;
    if (message?.ts !== undefined) {
      const label = 'text' in action ? action.text.text : action.value;
      await client.chat
        .update({ channel, ts: message.ts, text: message.text ?? '', blocks: retireButtons(message.blocks ?? [], label) as never })
        .catch((err: unknown) => log.debug({ err }, 'pressed buttons not retired'));
    }
    const user = await directory.user(body.user.id);
    const inbound = slackInbound(user, { id: channel, kind: channel.startsWith('D') ? 'private' : 'group' }, idOf(context, body.trigger_id));
    inbound.action = action.value;
    work(inbound, { channel, triggerId: body.trigger_id, formChat: channel });
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, view, body, context }) => {
    const metadata = readMetadata(view.private_metadata);
    const chat = typeof metadata.chat === 'string' ? metadata.chat : await directory.dmChannel(body.user.id);
    const user = await directory.user(body.user.id);
    // A modal refused with field errors is submitted again with the same view id and hash, but a new trigger.
    const trigger = (body as { trigger_id?: unknown }).trigger_id;
    const inbound = slackInbound(user, { id: chat, kind: 'private' }, idOf(context, typeof trigger === 'string' ? trigger : undefined));
    const submitted = fromModalValues(view.state.values);
    inbound.form = { flowId: String(metadata.flowId), values: submitted.values, files: submitted.files };
    const replies = await intake.track(options.handler(inbound));
    const refusal = replies.find((reply) => reply.kind === 'form-errors');
    if (refusal !== undefined && refusal.kind === 'form-errors') {
      await ack({ response_action: 'errors', errors: refusal.errors });
      return;
    }
    await ack();
    if (replies.length > 0) await sender.send({ channel: chat }, replies);
  });

  app.error(async (error) => {
    log.error({ err: error }, 'slack handler failed');
    return Promise.resolve();
  });

  return {
    platform: SLACK,
    app,
    async start() {
      await app.init();
      await directory.init();
      intake.open();
      if (socketMode) await (receiver as SocketModeReceiver).start();
      else options.http.route('POST', SLACK_EVENTS_PATH, (req, res) => (receiver as HTTPReceiver).requestListener(req, res));
      log.info({ mode: socketMode ? 'socket' : 'http' }, 'slack started');
    },
    async stop() {
      intake.close();
      if (socketMode) await (receiver as SocketModeReceiver).stop().catch((err: unknown) => log.warn({ err }, 'socket stop failed'));
      // Replies still waiting for a Slack that is down are abandoned after the grace (and logged).
      await intake.drain(options.stopGraceMs ?? 4_000);
    },
    send: (chatId, replies) => sender.send({ channel: chatId }, replies),
    deliver: (chatId, replies) => sender.send({ channel: chatId }, replies),
    // Slack channels have no admins of their own: a workspace admin or owner counts as one.
    isChatAdmin: async (_chatId, userId) => (await directory.user(userId)).isAdmin === true,
  };
}
