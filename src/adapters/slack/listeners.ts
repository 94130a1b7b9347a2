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
 *
 * Payloads are read for the types Slack gives (to-inbound.ts): one with a sender or text of the wrong
 * type is kept as `unreadable` and answered with an apology; one with nowhere to answer is
 * acknowledged and dropped, so Slack does not send it again.
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
import { fromModalValues, fromSlackText, readDirectMessage, readMention, slackInbound, slackString, toEngineCommand, type SlackUser } from './to-inbound.js';

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

/** A property of a payload object; undefined when the payload is not an object. */
const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);

/** The delivery id of an update: the envelope's in Socket Mode, else `fallback` (event id, trigger id). */
const idOf = (context: Record<string, unknown>, fallback: unknown): string | undefined =>
  typeof context[ENVELOPE_ID] === 'string' ? context[ENVELOPE_ID] : slackString(fallback);

/** The delivery id of an event: its event id, else the envelope's (Socket Mode). */
const eventIdOf = (body: unknown, context: Record<string, unknown>): string | undefined => slackString(field(body, 'event_id')) ?? idOf(context, undefined);

/** Registers the listeners on the app. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { directory, keep } = deps;
  /** The sender as the directory knows them; without an id, the chat stands for them (an apology only). */
  const userOf = (id: string | undefined, chat: string): Promise<SlackUser> => (id === undefined ? Promise.resolve({ id: chat, displayName: chat }) : directory.user(id));

  app.message(async ({ message, body, context }) => {
    const read = readDirectMessage(message);
    if (read === undefined) return;
    const inbound = slackInbound(await userOf(read.userId, read.channel), { id: read.channel, kind: 'private' }, eventIdOf(body, context));
    if (read.unreadable) inbound.unreadable = true;
    if (read.text !== undefined) inbound.text = fromSlackText(read.text);
    if (read.attachments.length > 0) inbound.attachments = read.attachments;
    await keep(inbound, { channel: read.channel });
  });

  app.event('app_mention', async ({ event, body, context }) => {
    const read = readMention(event);
    if (read === undefined) return;
    const inbound = slackInbound(await directory.user(read.userId), { id: read.channel, kind: 'group' }, eventIdOf(body, context));
    if (read.unreadable) inbound.unreadable = true;
    else inbound.text = fromSlackText((read.text ?? '').replace(new RegExp(`<@${directory.botUserId()}(\\|[^>]*)?>`, 'g'), '')).trim();
    await keep(inbound, { channel: read.channel, ...(read.threadTs === undefined ? {} : { threadTs: read.threadTs }) });
  });

  app.command(SLACK_SLASH_COMMAND, async ({ command, ack, context }) => {
    const userId = slackString(command.user_id);
    const channel = slackString(command.channel_id);
    if (userId === undefined || channel === undefined) {
      // Nobody to answer: acknowledged so Slack does not send it again.
      await ack();
      return;
    }
    const user = await directory.user(userId);
    const isDm = channel.startsWith('D');
    const trigger = slackString(command.trigger_id);
    const answerTo: SlackRoute = isDm ? { channel } : { channel, ephemeralTo: userId };
    if (typeof command.text !== 'string') {
      // Its words cannot be read: an apology, where the answer would have gone.
      const inbound = slackInbound(user, { id: channel, kind: isDm ? 'private' : 'group' }, idOf(context, trigger));
      inbound.unreadable = true;
      await keep(inbound, answerTo);
      await ack();
      return;
    }
    const { command: text, opensForm } = toEngineCommand(command.text);
    // A modal belongs to the user's DM session, so a chat draft pre-fills it; files go to the DM too.
    // When Slack will not open the DM, the user id stands in for it: a post to it reaches the DM or
    // fails as unreachable, and the update is kept either way.
    const dm = isDm ? channel : await directory.dmChannel(userId).catch(() => userId);
    const chat = opensForm ? dm : channel;
    const inbound = slackInbound(user, { id: chat, kind: isDm || opensForm ? 'private' : 'group' }, idOf(context, trigger));
    inbound.text = text;
    const route: SlackRoute = { ...answerTo, formChat: dm, ...(trigger === undefined ? {} : { triggerId: trigger }) };
    await keep(inbound, route);
    await ack();
  });

  app.action({ action_id: new RegExp(`^${BUTTON_ACTION_PREFIX}`) }, async ({ ack, body, action, context }) => {
    const payload = body as unknown as Record<string, unknown>;
    const channel = slackString(field(payload['channel'], 'id')) ?? slackString(field(payload['container'], 'channel_id'));
    const userId = slackString(field(payload['user'], 'id'));
    if (body.type !== 'block_actions' || channel === undefined || userId === undefined) {
      // Nobody or nowhere to answer; acknowledged so Slack does not show the user a failure.
      await ack();
      return;
    }
    const trigger = slackString(payload['trigger_id']);
    const inbound = slackInbound(await directory.user(userId), { id: channel, kind: channel.startsWith('D') ? 'private' : 'group' }, idOf(context, trigger));
    // Our buttons carry their payload as the value; a press without one is answered with an apology.
    const value = action.type === 'button' ? slackString(action.value) : undefined;
    if (value === undefined) inbound.unreadable = true;
    else inbound.action = value;
    const route: SlackRoute = { channel, formChat: channel };
    if (trigger !== undefined) route.triggerId = trigger;
    // The pressed message loses its buttons when the answer goes out (deliver), just before it.
    const message = payload['message'];
    const ts = slackString(field(message, 'ts'));
    if (ts !== undefined && value !== undefined) {
      const label = slackString(field(field(action, 'text'), 'text')) ?? value;
      const given = field(message, 'blocks');
      const blocks = Array.isArray(given) ? given.filter((block): block is SlackBlock => typeof block === 'object' && block !== null && !Array.isArray(block)) : [];
      route.retire = { channel, ts, text: slackString(field(message, 'text')) ?? '', blocks: retireButtons(blocks, label) };
    }
    await keep(inbound, route);
    await ack();
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, view, body, context }) => {
    const userId = slackString(field(body.user, 'id'));
    if (userId === undefined) {
      await ack();
      return;
    }
    const metadata = readMetadata(typeof view.private_metadata === 'string' ? view.private_metadata : '');
    const chat = typeof metadata.chat === 'string' ? metadata.chat : await directory.dmChannel(userId);
    const user = await directory.user(userId);
    // A modal refused with field errors is submitted again with the same view id and hash, but a new trigger.
    const trigger = (body as { trigger_id?: unknown }).trigger_id;
    const inbound = slackInbound(user, { id: chat, kind: 'private' }, idOf(context, typeof trigger === 'string' ? trigger : undefined));
    const submitted = fromModalValues(field(view.state, 'values'));
    inbound.form = { flowId: String(metadata.flowId), values: submitted.values, files: submitted.files };
    // The view's id tells a form submitted again (a double click, a retried delivery) from a new one.
    if (typeof view.id === 'string') inbound.form.viewId = view.id;
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
