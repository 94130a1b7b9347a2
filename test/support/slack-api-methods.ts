/**
 * Web API method handlers of the stand-in (views are in `slack-api-views.ts`): auth.test, chat.postMessage,
 * chat.update, chat.postEphemeral, users.info, conversations.info, conversations.open, files.info and
 * apps.connections.open. A handler returns the answer's fields (without `ok`) or throws `SlackError`.
 * Answers follow the shapes of https://docs.slack.dev/reference/methods.
 */
import { nextTs, type JsonObject } from './slack-api-ids.js';
import { messageBlockErrors } from './slack-api-blocks.js';
import { requireArg, SlackError, stringArg } from './slack-api-http.js';
import type { SlackState } from './slack-api-state.js';
import type { MessageVersion, StoredMessage } from './slack-api-types.js';
import { viewMethods } from './slack-api-views.js';

/** A method handler. */
export type Handler = (params: JsonObject) => JsonObject | Promise<JsonObject>;

/** Which token a method takes. */
export interface MethodEntry {
  token: 'bot' | 'app';
  handler: Handler;
}

/** Blocks of a call, checked; `invalid_blocks` with Slack-style messages when they break a limit. */
function blocksOf(params: JsonObject): JsonObject[] | undefined {
  const errors = messageBlockErrors(params.blocks);
  if (errors.length > 0) throw new SlackError('invalid_blocks', errors);
  return params.blocks === undefined ? undefined : (params.blocks as JsonObject[]);
}

/** `text` of a message call; `no_text` when neither text, blocks nor attachments are given; `msg_too_long` past 40 000. */
function textOf(params: JsonObject, blocks: JsonObject[] | undefined): string {
  const text = typeof params.text === 'string' ? params.text : '';
  if (text === '' && blocks === undefined && params.attachments === undefined) throw new SlackError('no_text');
  if (text.length > 40_000) throw new SlackError('msg_too_long');
  return text;
}

/** The method table (views included). `socketUrl` yields a fresh Socket Mode URL for apps.connections.open. */
export function createMethods(state: SlackState, socketUrl: () => Promise<string>): Map<string, MethodEntry> {
  const ws = state.workspace;
  const bot = (handler: Handler): MethodEntry => ({ token: 'bot', handler });

  /** The `message` object Slack returns for a bot message. */
  const messageObject = (m: StoredMessage, edited: boolean): JsonObject => ({
    user: ws.botUserId, type: 'message', ts: m.ts, bot_id: ws.botId, app_id: ws.appId, text: m.text, team: ws.teamId,
    bot_profile: { id: ws.botId, app_id: ws.appId, name: ws.botUserName, deleted: false, team_id: ws.teamId },
    ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
    ...(m.thread_ts === undefined ? {} : { thread_ts: m.thread_ts }),
    ...(edited ? { edited: { user: ws.botUserId, ts: nextTs() } } : {}),
  });

  const table: Record<string, MethodEntry> = {
    'auth.test': bot(() => ({
      url: `https://${ws.teamDomain}.slack.com/`, team: ws.teamName, user: ws.botUserName, team_id: ws.teamId,
      user_id: ws.botUserId, bot_id: ws.botId, is_enterprise_install: false,
    })),

    'chat.postMessage': bot((params) => {
      const channel = state.channelId(stringArg(params, 'channel'));
      const blocks = blocksOf(params);
      const text = textOf(params, blocks);
      const ts = nextTs();
      const version: MessageVersion = { method: 'chat.postMessage', text, blocks, at: Date.now() };
      const mrkdwn = typeof params.mrkdwn === 'boolean' ? params.mrkdwn : undefined;
      const message: StoredMessage = {
        channel, ts, text, blocks, thread_ts: stringArg(params, 'thread_ts'), mrkdwn, user: ws.botUserId, history: [version],
      };
      state.messages.push(message);
      return { channel, ts, message: messageObject(message, false) };
    }),

    'chat.update': bot((params) => {
      const channel = state.channelId(stringArg(params, 'channel'));
      const message = state.message(channel, requireArg(params, 'ts', 'message_not_found'));
      if (message === undefined) throw new SlackError('message_not_found');
      const blocks = params.blocks === undefined ? undefined : blocksOf(params);
      if (params.text === undefined && blocks === undefined) throw new SlackError('no_text');
      const text = typeof params.text === 'string' ? params.text : '';
      if (text.length > 40_000) throw new SlackError('msg_too_long');
      message.text = text;
      if (blocks !== undefined) message.blocks = blocks;
      message.history.push({ method: 'chat.update', text, blocks: message.blocks, at: Date.now() });
      return { channel, ts: message.ts, text, message: messageObject(message, true) };
    }),

    'chat.postEphemeral': bot((params) => {
      const channel = state.channelId(stringArg(params, 'channel'));
      const user = stringArg(params, 'user');
      if (user === undefined || !/^[UW][A-Z0-9]{2,}$/.test(user)) throw new SlackError('user_not_found');
      const blocks = blocksOf(params);
      const text = textOf(params, blocks);
      const messageTs = nextTs();
      state.ephemerals.push({ channel, user, message_ts: messageTs, text, blocks, thread_ts: stringArg(params, 'thread_ts') });
      return { message_ts: messageTs };
    }),

    'users.info': bot((params) => ({ user: state.userObject(requireArg(params, 'user', 'user_not_found'), params.include_locale === true) })),

    'conversations.info': bot((params) => ({ channel: state.channelObject(stringArg(params, 'channel')) })),

    'conversations.open': bot((params) => {
      const channel = stringArg(params, 'channel');
      if (channel !== undefined) return { channel: state.channelObject(channel) };
      const users = (stringArg(params, 'users') ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
      if (users.length === 0) throw new SlackError('users_list_not_supplied');
      if (users.length > 1) throw new SlackError('not_supported', ['[ERROR] the stand-in opens one-to-one DMs only']);
      const user = users[0] ?? '';
      if (!/^[UW][A-Z0-9]{2,}$/.test(user)) throw new SlackError('user_not_found');
      const dm = state.openDm(user);
      const body = params.return_im === true ? state.channelObject(dm.id) : { id: dm.id };
      return { ...(dm.existed ? { no_op: true, already_open: true } : {}), channel: body };
    }),

    'files.info': bot((params) => {
      const stored = state.files.get(requireArg(params, 'file', 'file_not_found'));
      if (stored === undefined) throw new SlackError('file_not_found');
      return { file: stored.file, comments: [], response_metadata: { next_cursor: '' } };
    }),

    'files.getUploadURLExternal': bot((params) => {
      const filename = requireArg(params, 'filename', 'invalid_arguments');
      const length = Number(params.length);
      if (!Number.isInteger(length) || length < 1) throw new SlackError('invalid_arguments', ['[ERROR] length must be a positive integer']);
      const fileId = `F${String(state.uploads.size + 1).padStart(9, '0')}`;
      state.uploads.set(fileId, { filename, length });
      return { upload_url: `${state.workspace.origin}/upload/${fileId}`, file_id: fileId };
    }),

    'files.completeUploadExternal': bot((params) => {
      const raw = typeof params.files === 'string' ? (JSON.parse(params.files) as unknown) : params.files;
      if (!Array.isArray(raw) || raw.length === 0) throw new SlackError('invalid_arguments');
      const channel = stringArg(params, 'channel_id');
      const files = raw.map((entry) => {
        const id = typeof entry === 'object' && entry !== null && typeof (entry as { id?: unknown }).id === 'string' ? (entry as { id: string }).id : '';
        const upload = state.uploads.get(id);
        if (upload?.content === undefined) throw new SlackError('file_not_found');
        if (channel !== undefined) {
          const initialComment = stringArg(params, 'initial_comment');
          state.shared.push({ fileId: id, channel, filename: upload.filename, content: upload.content, ...(initialComment === undefined ? {} : { initialComment }) });
        }
        return { id, title: upload.filename, name: upload.filename, size: upload.content.length };
      });
      return { files };
    }),

    'apps.connections.open': { token: 'app', handler: async () => ({ url: await socketUrl() }) },

    ...viewMethods(state),
  };
  return new Map(Object.entries(table));
}
