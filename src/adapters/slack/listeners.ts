/**
 * The Bolt listeners of the Slack adapter. A DM message, a mention, the slash command and a button
 * press become an Inbound and a route (where the answer goes, route.ts) and are handed to `keep` —
 * the durable inbox — before Slack is acknowledged: an event's listener returns only once it is kept
 * (the receiver answers Slack after the listener), a command or an action calls `ack()` only then.
 * When it cannot be kept (the store is down, the adapter is stopping) the listener throws, and Slack
 * gets no 2xx: it sends an event again, and shows the user of a command or a button that it failed.
 *
 * A modal submission is the exception: Slack wants its verdict — errors on the fields, or the modal
 * closed — in the response within 3 s, so `judge` answers it at once, outside the inbox.
 */
import type { App } from '@slack/bolt';
import { SLACK_SLASH_COMMAND } from '../../bot/commands.js';
import type { Inbound } from '../../domain/inbound.js';
import type { Reply } from '../../domain/reply.js';
import { parseJsonSafely } from '../../kernel/json.js';
import type { SlackDirectory } from './directory.js';
import { BUTTON_ACTION_PREFIX, FORM_CALLBACK_ID, retireButtons, type SlackBlock } from './render.js';
import type { SlackRoute } from './route.js';
import { ENVELOPE_ID } from './socket-receiver.js';
import { fromModalValues, fromSlackText, slackInbound, toAttachments, toEngineCommand, type SlackFile } from './to-inbound.js';

/** What the listeners hand their work to. */
export interface ListenerDeps {
  directory: SlackDirectory;
  /** Keeps an update durably; rejects when it cannot (closed, or the store failed). */
  keep: (inbound: Inbound, route: SlackRoute) => Promise<void>;
  /** Judges a modal submission at once; resolves with its replies. */
  judge: (inbound: Inbound) => Promise<readonly Reply[]>;
  /** Sends a modal's replies once the verdict is given (not awaited by the response). */
  sendLater: (channel: string, replies: readonly Reply[]) => void;
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

/** The delivery id of an update: the envelope's in Socket Mode, else `fallback` (event id, trigger id). */
const idOf = (context: Record<string, unknown>, fallback: string | undefined): string | undefined =>
  typeof context[ENVELOPE_ID] === 'string' ? context[ENVELOPE_ID] : fallback;

/** Registers the listeners on the app. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { directory, keep } = deps;

  app.message(async ({ message, body, context }) => {
    const m = message as { channel_type?: string; subtype?: string; user?: string; bot_id?: string; text?: string; channel: string; files?: SlackFile[] };
    if (m.channel_type !== 'im' || m.user === undefined || m.bot_id !== undefined) return;
    if (m.subtype !== undefined && m.subtype !== 'file_share') return;
    const user = await directory.user(m.user);
    const inbound = slackInbound(user, { id: m.channel, kind: 'private' }, (body as { event_id?: string }).event_id ?? idOf(context, undefined));
    if (m.text !== undefined && m.text !== '') inbound.text = fromSlackText(m.text);
    if (m.files !== undefined && m.files.length > 0) inbound.attachments = toAttachments(m.files);
    await keep(inbound, { channel: m.channel });
  });

  app.event('app_mention', async ({ event, body, context }) => {
    if (event.user === undefined) return;
    const user = await directory.user(event.user);
    const text = fromSlackText(event.text.replace(new RegExp(`<@${directory.botUserId()}(\\|[^>]*)?>`, 'g'), '')).trim();
    const inbound = slackInbound(user, { id: event.channel, kind: 'group' }, (body as { event_id?: string }).event_id ?? idOf(context, undefined));
    inbound.text = text;
    await keep(inbound, { channel: event.channel, threadTs: event.thread_ts ?? event.ts });
  });

  app.command(SLACK_SLASH_COMMAND, async ({ command, ack, context }) => {
    const user = await directory.user(command.user_id);
    const isDm = command.channel_id.startsWith('D');
    const { command: text, opensForm } = toEngineCommand(command.text);
    // A modal belongs to the user's DM session, so a chat draft pre-fills it; files go to the DM too.
    // When Slack will not open the DM, the user id stands in for it: a post to it reaches the DM or
    // fails as unreachable, and the update is kept either way.
    const dm = isDm ? command.channel_id : await directory.dmChannel(command.user_id).catch(() => command.user_id);
    const chat = opensForm ? dm : command.channel_id;
    const inbound = slackInbound(user, { id: chat, kind: isDm || opensForm ? 'private' : 'group' }, idOf(context, command.trigger_id));
    inbound.text = text;
    const route: SlackRoute = isDm
      ? { channel: command.channel_id, triggerId: command.trigger_id, formChat: dm }
      : { channel: command.channel_id, ephemeralTo: command.user_id, triggerId: command.trigger_id, formChat: dm };
    await keep(inbound, route);
    await ack();
  });

  app.action({ action_id: new RegExp(`^${BUTTON_ACTION_PREFIX}`) }, async ({ ack, body, action, context }) => {
    const channel: unknown = body.type === 'block_actions' ? (body.channel?.id ?? (body.container as Record<string, unknown>)['channel_id']) : undefined;
    if (body.type !== 'block_actions' || action.type !== 'button' || typeof channel !== 'string' || action.value === undefined) {
      // Nothing the bot can act on; acknowledged so Slack does not show the user a failure.
      await ack();
      return;
    }
    const user = await directory.user(body.user.id);
    const inbound = slackInbound(user, { id: channel, kind: channel.startsWith('D') ? 'private' : 'group' }, idOf(context, body.trigger_id));
    inbound.action = action.value;
    const route: SlackRoute = { channel, triggerId: body.trigger_id, formChat: channel };
    // The pressed message loses its buttons when the answer goes out (deliver), just before it.
    const message = body.message as { ts?: string; text?: string; blocks?: SlackBlock[] } | undefined;
    if (message?.ts !== undefined) {
      const label = 'text' in action ? action.text.text : action.value;
      route.retire = { channel, ts: message.ts, text: message.text ?? '', blocks: retireButtons(message.blocks ?? [], label) };
    }
    await keep(inbound, route);
    await ack();
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
    const replies = await deps.judge(inbound);
    const refusal = replies.find((reply) => reply.kind === 'form-errors');
    if (refusal !== undefined && refusal.kind === 'form-errors') {
      await ack({ response_action: 'errors', errors: refusal.errors });
      return;
    }
    await ack();
    // The response waits for this listener: the replies follow it, not the other way round.
    if (replies.length > 0) deps.sendLater(chat, replies);
  });
}
