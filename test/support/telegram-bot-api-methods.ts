/**
 * The method table of the Bot API stand-in (names are case-insensitive, as in the Bot API), and the
 * methods that are not about messages: getMe, getUpdates and the webhook methods, getFile,
 * getChatMember, answerCallbackQuery, the command methods and sendChatAction.
 */
import { badRequest, intParam, isRecord, jsonParam, stringParam } from './telegram-bot-api-http.js';
import {
  deleteMessage, editMessageReplyMarkup, editMessageText, resolveChatId, sendFile, sendMessage,
} from './telegram-bot-api-messages.js';
import { MAX_DOWNLOAD_BYTES, type BotApiState } from './telegram-bot-api-state.js';
import type { BotCommand, ChatMember, ChatMemberStatus, File, Params, UploadedPart, User } from './telegram-bot-api-types.js';
import type { UpdateFeed } from './telegram-bot-api-updates.js';

/** What a method handler receives. */
export interface CallContext {
  params: Params;
  files: UploadedPart[];
  /** Aborted when the client goes away (ends a held long poll). */
  signal: AbortSignal;
}

/** A handler's result with the `description` Telegram adds to some answers (`Webhook was set`). */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

/** A method handler: returns (or resolves to) the `result`, or throws an `ApiFailure`. */
export type Handler = (call: CallContext) => unknown;

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);
const ADMIN_RIGHTS = {
  can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: true,
  can_restrict_members: true, can_promote_members: false, can_change_info: true, can_invite_users: true,
  can_post_stories: false, can_edit_stories: false, can_delete_stories: false, can_pin_messages: true,
};
const RESTRICTIONS = {
  is_member: true, can_send_messages: false, can_send_audios: false, can_send_documents: false, can_send_photos: false,
  can_send_videos: false, can_send_video_notes: false, can_send_voice_notes: false, can_send_polls: false,
  can_send_other_messages: false, can_add_web_page_previews: false, can_change_info: false, can_invite_users: false,
  can_pin_messages: false, until_date: 0,
};

/** `getFile`: files registered by the update builders, uploads, or `registerFile`. */
function getFile(state: BotApiState, params: Params): File {
  const fileId = stringParam(params, 'file_id') ?? '';
  const file = state.files.get(fileId) ?? badRequest('invalid file_id');
  if (file.file_size > MAX_DOWNLOAD_BYTES) return badRequest('file is too big');
  return { file_id: fileId, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
}

/** `getChatMember`: the status the test set; else `member` for the private chat's user and the bot, `left` otherwise. */
function getChatMember(state: BotApiState, params: Params): ChatMember {
  const chatId = resolveChatId(state, params);
  const userId = intParam(params, 'user_id') ?? badRequest('invalid user_id specified');
  const user: User = userId === state.bot.id
    ? { id: state.bot.id, is_bot: true, first_name: state.bot.first_name, ...(state.bot.username === undefined ? {} : { username: state.bot.username }) }
    : state.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` };
  const fallback: ChatMemberStatus = userId === chatId || userId === state.bot.id ? 'member' : 'left';
  const status = state.members.get(state.memberKey(chatId, userId)) ?? fallback;
  switch (status) {
    case 'creator':
      return { status, user, is_anonymous: false };
    case 'administrator':
      return { status, user, ...ADMIN_RIGHTS };
    case 'restricted':
      return { status, user, ...RESTRICTIONS };
    case 'kicked':
      return { status, user, until_date: 0 };
    default:
      return { status, user };
  }
}

/** `setMyCommands`: validated, stored per scope and language_code. */
function setMyCommands(state: BotApiState, params: Params): true {
  const given = jsonParam(params, 'commands', "can't parse commands JSON object") ?? [];
  if (!Array.isArray(given)) return badRequest("can't parse commands JSON object");
  const commands: BotCommand[] = (given as unknown[]).map((item) => {
    if (!isRecord(item)) return badRequest("can't parse BotCommand: BotCommand must be an Object");
    if (typeof item.command !== 'string') return badRequest('can\'t parse BotCommand: Can\'t find field "command"');
    if (typeof item.description !== 'string') return badRequest('can\'t parse BotCommand: Can\'t find field "description"');
    if (!/^[a-z0-9_]{1,32}$/.test(item.command)) return badRequest('BOT_COMMAND_INVALID');
    if (item.description.trim() === '') return badRequest('command description must be non-empty');
    return { command: item.command, description: item.description };
  });
  state.commands.set(commandsKey(state, params), commands);
  return true;
}

function commandsKey(state: BotApiState, params: Params): string {
  return state.commandsKey(jsonParam(params, 'scope', "can't parse BotCommandScope JSON object"), stringParam(params, 'language_code') || undefined);
}

/** `answerCallbackQuery`: once per known query id. */
function answerCallbackQuery(state: BotApiState, params: Params): true {
  const query = state.callbackQueries.get(stringParam(params, 'callback_query_id') ?? '');
  if (query === undefined || query.answered) return badRequest('query is too old and response timeout expired or query ID is invalid');
  query.answered = true;
  return true;
}

/** Every implemented method by lower-case name, with its canonical name. */
export function createMethods(state: BotApiState, feed: UpdateFeed): Map<string, { name: string; handler: Handler }> {
  const table: Record<string, Handler> = {
    getMe: () => state.bot,
    getUpdates: ({ params, signal }) => feed.getUpdates(params, signal),
    setWebhook: ({ params }) => {
      const { result, description } = feed.setWebhook(params);
      return new Described(result, description);
    },
    deleteWebhook: ({ params }) => {
      const { result, description } = feed.deleteWebhook(params);
      return new Described(result, description);
    },
    getWebhookInfo: () => feed.webhookInfo(),
    sendMessage: ({ params }) => sendMessage(state, params),
    editMessageText: ({ params }) => editMessageText(state, params),
    editMessageReplyMarkup: ({ params }) => editMessageReplyMarkup(state, params),
    deleteMessage: ({ params }) => deleteMessage(state, params),
    sendDocument: ({ params, files }) => sendFile(state, params, files, 'document'),
    sendPhoto: ({ params, files }) => sendFile(state, params, files, 'photo'),
    getFile: ({ params }) => getFile(state, params),
    getChatMember: ({ params }) => getChatMember(state, params),
    answerCallbackQuery: ({ params }) => answerCallbackQuery(state, params),
    setMyCommands: ({ params }) => setMyCommands(state, params),
    getMyCommands: ({ params }) => state.commands.get(commandsKey(state, params)) ?? [],
    deleteMyCommands: ({ params }) => state.commands.delete(commandsKey(state, params)) || true,
    sendChatAction: ({ params }) => {
      resolveChatId(state, params);
      if (!CHAT_ACTIONS.has(stringParam(params, 'action') ?? '')) return badRequest('wrong parameter action in request');
      return true;
    },
  };
  return new Map(Object.entries(table).map(([name, handler]) => [name.toLowerCase(), { name, handler }]));
}
