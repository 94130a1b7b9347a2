/**
 * Builders of realistic incoming updates for the Bot API stand-in: a user's text, photo, document or
 * video message, and a callback query on a message the bot sent. Builders register the chat, the user
 * and any file (so `getFile` and downloads work) and take the next message id of the chat; queue the
 * result with `pushUpdate` (or `deliverWebhook`).
 */
import { chatTypeOf, type BotApiState } from './telegram-bot-api-state.js';
import type { Chat, Message, MessageEntity, UpdateInput, User } from './telegram-bot-api-types.js';

/** Who writes where. */
export interface MessageOptions {
  chatId: number;
  /** Defaults from the id: positive → private, `-100…` → supergroup, other negative → group. */
  chatType?: 'private' | 'group' | 'supergroup';
  /** Group title; `Test group <id>` when left out. */
  chatTitle?: string;
  fromId: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
  /** Unix seconds; now when left out. */
  date?: number;
  /** Makes the message a reply to this message of the chat (when known). */
  replyToMessageId?: number;
}

/** Options of a text message. */
export interface TextMessageOptions extends MessageOptions {
  text: string;
  /** Replaces the automatic bot_command / mention entities. */
  entities?: MessageEntity[];
}

/** Options shared by media messages. */
export interface MediaOptions extends MessageOptions {
  caption?: string;
  /** The bytes a download returns; filler of `fileSize` bytes (at most 1 MiB) when left out. */
  content?: Uint8Array | string;
  /** The size Telegram reports (getFile answers `file is too big` above 20 MB). */
  fileSize?: number;
}

/** Options of a photo message. */
export interface PhotoMessageOptions extends MediaOptions {
  width?: number;
  height?: number;
}

/** Options of a document message. */
export interface DocumentMessageOptions extends MediaOptions {
  fileName: string;
  mimeType?: string;
}

/** Options of a video message. */
export interface VideoMessageOptions extends MediaOptions {
  duration: number;
  width?: number;
  height?: number;
  fileName?: string;
  mimeType?: string;
}

/** Options of a callback query (a press on an inline button of a message the bot sent). */
export interface CallbackQueryOptions {
  chatId: number;
  fromId: number;
  data: string;
  messageId: number;
  firstName?: string;
  username?: string;
  languageCode?: string;
}

/** The user object of a sender, remembered by the state. */
function sender(state: BotApiState, o: { fromId: number; firstName?: string; lastName?: string; username?: string; languageCode?: string }): User {
  const known = state.users.get(o.fromId);
  const user: User = {
    id: o.fromId,
    is_bot: false,
    first_name: o.firstName ?? known?.first_name ?? `User ${o.fromId}`,
    ...(o.lastName === undefined ? {} : { last_name: o.lastName }),
    ...(o.username === undefined ? {} : { username: o.username }),
    ...(o.languageCode === undefined ? {} : { language_code: o.languageCode }),
  };
  state.rememberUser(user);
  return user;
}

/** The chat object of a message, remembered by the state. */
function chatOf(state: BotApiState, o: MessageOptions, from: User): Chat {
  const type = o.chatType ?? chatTypeOf(o.chatId);
  const known = state.chats.get(o.chatId);
  const chat: Chat = type === 'private'
    ? { id: o.chatId, type, first_name: from.first_name, ...(from.last_name === undefined ? {} : { last_name: from.last_name }), ...(from.username === undefined ? {} : { username: from.username }) }
    : { id: o.chatId, type, title: o.chatTitle ?? known?.title ?? `Test ${type} ${o.chatId}` };
  state.rememberChat(chat);
  return chat;
}

/** A user's message with the given content, stored in the chat. */
function userMessage(state: BotApiState, o: MessageOptions, content: Partial<Message>): UpdateInput {
  const from = sender(state, o);
  const chat = chatOf(state, o, from);
  const replied = o.replyToMessageId === undefined ? undefined : state.findMessage(o.chatId, o.replyToMessageId);
  const message: Message = {
    message_id: state.nextMessageId(o.chatId),
    from,
    chat,
    date: o.date ?? state.now(),
    ...(replied === undefined ? {} : { reply_to_message: replied }),
    ...content,
  };
  state.storeMessage(message);
  return { message };
}

/** bot_command for a leading `/command[@bot]`, and mention entities for `@<botUsername>` elsewhere. */
export function autoEntities(text: string, botUsername: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const command = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?/.exec(text);
  if (command !== null) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  const mention = new RegExp(`(?<![A-Za-z0-9_/])@${botUsername}(?![A-Za-z0-9_])`, 'gi');
  for (const match of text.matchAll(mention)) {
    const offset = match.index;
    if (command === null || offset >= command[0].length) entities.push({ type: 'mention', offset, length: match[0].length });
  }
  return entities;
}

/** A user's text message update. */
export function textMessage(state: BotApiState, o: TextMessageOptions): UpdateInput {
  const entities = o.entities ?? autoEntities(o.text, state.bot.username ?? '');
  return userMessage(state, o, { text: o.text, ...(entities.length === 0 ? {} : { entities }) });
}

/** A user's photo message update (sizes up to `width`×`height`, default 1280×960). */
export function photoMessage(state: BotApiState, o: PhotoMessageOptions): UpdateInput {
  const file = state.registerFile({ kind: 'photo', ...(o.content === undefined ? {} : { content: o.content }), ...(o.fileSize === undefined ? {} : { fileSize: o.fileSize }), mimeType: 'image/jpeg' });
  const photo = state.photoSizes(file, o.width ?? 1280, o.height ?? 960);
  return userMessage(state, o, { photo, ...(o.caption === undefined ? {} : { caption: o.caption }) });
}

/** A user's document message update. */
export function documentMessage(state: BotApiState, o: DocumentMessageOptions): UpdateInput {
  const mimeType = o.mimeType ?? 'application/octet-stream';
  const file = state.registerFile({ kind: 'document', fileName: o.fileName, mimeType, ...(o.content === undefined ? {} : { content: o.content }), ...(o.fileSize === undefined ? {} : { fileSize: o.fileSize }) });
  const document = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_name: o.fileName, mime_type: mimeType, file_size: file.file_size };
  return userMessage(state, o, { document, ...(o.caption === undefined ? {} : { caption: o.caption }) });
}

/** A user's video message update. */
export function videoMessage(state: BotApiState, o: VideoMessageOptions): UpdateInput {
  const mimeType = o.mimeType ?? 'video/mp4';
  const file = state.registerFile({ kind: 'video', mimeType, ...(o.fileName === undefined ? {} : { fileName: o.fileName }), ...(o.content === undefined ? {} : { content: o.content }), ...(o.fileSize === undefined ? {} : { fileSize: o.fileSize }) });
  const video = {
    file_id: file.file_id, file_unique_id: file.file_unique_id, width: o.width ?? 1280, height: o.height ?? 720, duration: o.duration,
    mime_type: mimeType, file_size: file.file_size, ...(o.fileName === undefined ? {} : { file_name: o.fileName }),
  };
  return userMessage(state, o, { video, ...(o.caption === undefined ? {} : { caption: o.caption }) });
}

/** A callback query on a message the bot sent (its current version); throws when the bot sent no such message. */
export function callbackQuery(state: BotApiState, o: CallbackQueryOptions): UpdateInput {
  const sent = state.sent.find((message) => message.chat_id === o.chatId && message.message_id === o.messageId);
  if (sent === undefined) throw new Error(`callbackQuery: the bot sent no message ${o.messageId} in chat ${o.chatId}`);
  const id = state.newCallbackQueryId();
  state.callbackQueries.set(id, { answered: false });
  const from = sender(state, o);
  const chatInstance = String((BigInt(Math.abs(o.chatId)) * 7_919n + 1_000_003n) % 9_000_000_000_000_000_000n);
  return { callback_query: { id, from, message: sent.message, chat_instance: o.chatId < 0 ? `-${chatInstance}` : chatInstance, data: o.data } };
}
