/**
 * Builders of what Slack sends to an app, shaped as Slack sends them — Events API envelopes
 * (`event_callback` with `event_id`, `event_time`, `authorizations`), `url_verification`, `message` /
 * `app_mention` events, slash command bodies (the form fields; also the Socket Mode `slash_commands`
 * payload), and interactivity payloads (`block_actions`, `view_submission`). The same objects go over
 * HTTP (`slack-api-requests.ts`) or Socket Mode (`SocketModeServer.deliver`).
 */
import { randomUUID } from 'node:crypto';
import { isObject, nextTs, SLACK_DEFAULTS, type JsonObject } from './slack-api-ids.js';
import type { SlackFile } from './slack-api-types.js';

/** Workspace ids a builder may override. */
export interface WorkspaceIds {
  teamId?: string;
  apiAppId?: string;
  botUserId?: string;
}

/** Options of {@link eventCallback}. */
export interface EventCallbackOptions extends WorkspaceIds {
  /** `Ev…`; Slack keeps it across retries of one event — the key for de-duplication. */
  eventId: string;
  eventTime?: number;
}

/** The Events API envelope `{ type: 'event_callback', event, event_id, event_time, authorizations, … }`. */
export function eventCallback(event: JsonObject, options: EventCallbackOptions): JsonObject {
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  return {
    token: SLACK_DEFAULTS.verificationToken, team_id: teamId, context_team_id: teamId, context_enterprise_id: null,
    api_app_id: options.apiAppId ?? SLACK_DEFAULTS.apiAppId, event, type: 'event_callback', event_id: options.eventId,
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: options.botUserId ?? SLACK_DEFAULTS.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false, event_context: `4-${randomUUID()}`,
  };
}

/** The `url_verification` challenge Slack posts when a Request URL is saved. */
export function urlVerification(challenge: string): JsonObject {
  return { token: SLACK_DEFAULTS.verificationToken, challenge, type: 'url_verification' };
}

/** Options of {@link dmMessageEvent}. */
export interface MessageEventOptions {
  userId: string;
  channel: string;
  text: string;
  ts?: string;
  threadTs?: string;
  /** Shared files (e.g. from `SlackApi.registerFile`): the event gets `subtype: 'file_share'` and `files`. */
  files?: SlackFile[];
  teamId?: string;
}

/** A user's message in a DM with the bot (`channel_type: 'im'`), as the `message` event carries it. */
export function dmMessageEvent(options: MessageEventOptions): JsonObject {
  const ts = options.ts ?? nextTs();
  const hasFiles = options.files !== undefined && options.files.length > 0;
  return {
    ...(hasFiles ? { subtype: 'file_share', files: options.files, upload: false, display_as_bot: false } : {}),
    user: options.userId, type: 'message', ts, client_msg_id: randomUUID(), text: options.text, team: options.teamId ?? SLACK_DEFAULTS.teamId,
    blocks: options.text === '' ? [] : [richText(options.text)],
    ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
    channel: options.channel, event_ts: ts, channel_type: 'im',
  };
}

/** Options of {@link appMentionEvent}. */
export interface AppMentionOptions extends MessageEventOptions {
  botUserId?: string;
}

/** An `app_mention` event; `<@bot>` is put in front of the text unless it already mentions the bot. */
export function appMentionEvent(options: AppMentionOptions): JsonObject {
  const ts = options.ts ?? nextTs();
  const mention = `<@${options.botUserId ?? SLACK_DEFAULTS.botUserId}>`;
  const text = options.text.includes(mention) ? options.text : `${mention} ${options.text}`;
  return {
    user: options.userId, type: 'app_mention', ts, client_msg_id: randomUUID(), text, team: options.teamId ?? SLACK_DEFAULTS.teamId,
    blocks: [richText(text)], ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
    channel: options.channel, event_ts: ts,
  };
}

function richText(text: string): JsonObject {
  return { type: 'rich_text', block_id: randomUUID().slice(0, 5), elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] };
}

/** Options of {@link slashCommandBody}. */
export interface SlashCommandOptions {
  command: string;
  text: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl?: string;
  userName?: string;
  channelName?: string;
  teamId?: string;
  apiAppId?: string;
}

/** The fields of a slash command request (form-encoded over HTTP; the `slash_commands` payload over Socket Mode). */
export function slashCommandBody(options: SlashCommandOptions): Record<string, string> {
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  return {
    token: SLACK_DEFAULTS.verificationToken, team_id: teamId, team_domain: SLACK_DEFAULTS.teamDomain, channel_id: options.channelId,
    channel_name: options.channelName ?? (options.channelId.startsWith('D') ? 'directmessage' : 'general'), user_id: options.userId,
    user_name: options.userName ?? options.userId.toLowerCase(), command: options.command, text: options.text,
    api_app_id: options.apiAppId ?? SLACK_DEFAULTS.apiAppId, is_enterprise_install: 'false',
    response_url: options.responseUrl ?? `https://hooks.slack.com/commands/${teamId}/1234567890/${randomUUID().replace(/-/g, '')}`,
    trigger_id: options.triggerId,
  };
}

/** Options of {@link blockActionsPayload}. */
export interface BlockActionsOptions extends WorkspaceIds {
  userId: string;
  channel: string;
  messageTs: string;
  actionId: string;
  value: string;
  triggerId: string;
  blockId?: string;
  /** The pressed button's label. */
  buttonText?: string;
  /** The message the button is on (as `chat.postMessage` stored it); a minimal bot message otherwise. */
  message?: JsonObject;
  responseUrl?: string;
}

/** A `block_actions` payload for a button press on a message. */
export function blockActionsPayload(options: BlockActionsOptions): JsonObject {
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  const apiAppId = options.apiAppId ?? SLACK_DEFAULTS.apiAppId;
  return {
    type: 'block_actions', user: { id: options.userId, username: options.userId.toLowerCase(), name: options.userId.toLowerCase(), team_id: teamId },
    api_app_id: apiAppId, token: SLACK_DEFAULTS.verificationToken,
    container: { type: 'message', message_ts: options.messageTs, channel_id: options.channel, is_ephemeral: false },
    trigger_id: options.triggerId, team: { id: teamId, domain: SLACK_DEFAULTS.teamDomain }, enterprise: null, is_enterprise_install: false,
    channel: { id: options.channel, name: options.channel.startsWith('D') ? 'directmessage' : 'general' },
    message: options.message ?? { type: 'message', user: options.botUserId ?? SLACK_DEFAULTS.botUserId, bot_id: SLACK_DEFAULTS.botId, ts: options.messageTs, text: '' },
    state: { values: {} },
    response_url: options.responseUrl ?? `https://hooks.slack.com/actions/${teamId}/1234567890/${randomUUID().replace(/-/g, '')}`,
    actions: [{
      action_id: options.actionId, block_id: options.blockId ?? 'actions', text: { type: 'plain_text', text: options.buttonText ?? options.value, emoji: true },
      value: options.value, type: 'button', action_ts: nextTs(),
    }],
  };
}

/** A submitted input value: `{ type, value }` for text inputs, `{ type, selected_option }` for selects. */
export type InputValue = { type: string; value: string | null } | { type: string; selected_option: JsonObject | null } | ({ type: string } & JsonObject);

/** Options of {@link viewSubmissionPayload}. */
export interface ViewSubmissionOptions extends WorkspaceIds {
  userId: string;
  /** The view as opened (`SlackApi.views()[i].view`, or at least callback_id, private_metadata, blocks). */
  view: JsonObject;
  /** `state.values`: block_id → action_id → value; each pair must be an input block of the view. */
  values: Record<string, Record<string, InputValue>>;
  triggerId?: string;
}

/** A `view_submission` payload; throws when `values` name a block/action the view has no input for. */
export function viewSubmissionPayload(options: ViewSubmissionOptions): JsonObject {
  const teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
  const blocks: unknown[] = Array.isArray(options.view.blocks) ? (options.view.blocks as unknown[]) : [];
  for (const [blockId, actions] of Object.entries(options.values)) {
    const block = blocks.find((b) => isObject(b) && b.block_id === blockId);
    const element = isObject(block) && isObject(block.element) ? block.element : undefined;
    for (const actionId of Object.keys(actions)) {
      if (element?.action_id !== actionId) throw new Error(`viewSubmissionPayload: the view has no input block ${blockId} with action ${actionId}`);
    }
  }
  const id = typeof options.view.id === 'string' ? options.view.id : 'V0SUBMITTED';
  return {
    type: 'view_submission', team: { id: teamId, domain: SLACK_DEFAULTS.teamDomain },
    user: { id: options.userId, username: options.userId.toLowerCase(), name: options.userId.toLowerCase(), team_id: teamId },
    api_app_id: options.apiAppId ?? SLACK_DEFAULTS.apiAppId, token: SLACK_DEFAULTS.verificationToken,
    trigger_id: options.triggerId ?? `${Date.now()}.${Date.now() % 1e9}.${randomUUID().replace(/-/g, '')}`,
    view: {
      id, team_id: teamId, type: 'modal', private_metadata: '', callback_id: '', hash: `${Math.floor(Date.now() / 1000)}.abcdef12`,
      root_view_id: id, previous_view_id: null, app_id: options.apiAppId ?? SLACK_DEFAULTS.apiAppId, external_id: '', bot_id: SLACK_DEFAULTS.botId,
      ...options.view, state: { values: options.values },
    },
    response_urls: [], is_enterprise_install: false, enterprise: null,
  };
}
