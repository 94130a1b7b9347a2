/**
 * The message methods of the Bot API stand-in — sendMessage, editMessageText, editMessageReplyMarkup,
 * deleteMessage, sendDocument, sendPhoto — with Telegram's validation: chat_id, text length after
 * entity parsing, HTML markup, inline keyboards (callback_data 1–64 bytes), replies, files.
 */
import { EntityParseError, parseHtml, trimText, type ParsedText } from './telegram-bot-api-html.js';
import { badRequest, intParam, isRecord, jsonParam, stringParam } from './telegram-bot-api-http.js';
import type { BotApiState, FileKind, StoredFile } from './telegram-bot-api-state.js';
import type {
  Message, MessageEntity, Params, ReplyMarkup, SentContent, SentFile, SentMessage, UploadedPart, User,
} from './telegram-bot-api-types.js';

const NOT_MODIFIED = 'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const BUTTON_ACTIONS = ['url', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'callback_game', 'pay', 'web_app', 'copy_text'];

/** The chat a `chat_id` parameter names (a number, a numeric string, or a known `@username`). */
export function resolveChatId(state: BotApiState, params: Params): number {
  const raw = params.chat_id;
  if (raw === undefined || raw === null || raw === '') return badRequest('chat_id is empty');
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (/^-?\d+$/.test(text)) return Number(text);
  const chat = text.startsWith('@') ? state.chatByUsername(text) : undefined;
  return chat?.id ?? badRequest('chat not found');
}

/** The bot as the `from` of its messages. */
function botSender(state: BotApiState): User {
  const { id, is_bot, first_name, username } = state.bot;
  return { id, is_bot, first_name, ...(username === undefined ? {} : { username }) };
}

/** Parses `text` / `caption` with `parse_mode` (or the given entities) as Telegram does. */
function parseContent(state: BotApiState, params: Params, field: 'text' | 'caption', limit: number): SentContent {
  const raw = stringParam(params, field) ?? '';
  const mode = stringParam(params, 'parse_mode') ?? '';
  let parsed: ParsedText;
  if (mode === '') {
    const given = jsonParam(params, field === 'text' ? 'entities' : 'caption_entities', "can't parse entities JSON object");
    parsed = trimText(raw, Array.isArray(given) ? given.filter(isRecord).map((entity) => entity as unknown as MessageEntity) : []);
  } else if (mode.toLowerCase() === 'html') {
    try {
      parsed = parseHtml(raw, (id) => state.users.get(id));
    } catch (error) {
      if (error instanceof EntityParseError) return badRequest(`can't parse entities: ${error.message}`);
      throw error;
    }
  } else if (mode.toLowerCase() === 'markdown' || mode.toLowerCase() === 'markdownv2') {
    parsed = trimText(raw, []); // Markdown markup is not modelled: the text is kept as sent.
  } else {
    return badRequest('unsupported parse_mode');
  }
  if (field === 'text' && parsed.text === '') badRequest('message text is empty');
  if (parsed.text.length > limit) badRequest(field === 'text' ? 'message is too long' : 'message caption is too long');
  return { text: raw, ...(mode === '' ? {} : { parse_mode: mode }), plainText: parsed.text, entities: parsed.entities };
}

/** Validates one inline keyboard button. */
function checkButton(button: unknown): void {
  if (!isRecord(button)) return badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  if (typeof button.text !== 'string') return badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  if ('callback_data' in button) {
    const data = button.callback_data;
    const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
    if (bytes < 1 || bytes > 64) badRequest('BUTTON_DATA_INVALID');
    return;
  }
  if (!BUTTON_ACTIONS.some((action) => action in button)) return badRequest('text buttons are unallowed in the inline keyboard');
  if (typeof button.url === 'string') {
    try {
      new URL(button.url);
    } catch {
      badRequest('BUTTON_URL_INVALID');
    }
  }
}

/** The `reply_markup` parameter, validated (inline keyboards button by button); undefined when absent. */
export function readReplyMarkup(params: Params, inlineOnly = false): ReplyMarkup | undefined {
  const markup = jsonParam(params, 'reply_markup', "can't parse reply keyboard markup JSON object");
  if (markup === undefined) return undefined;
  if (!isRecord(markup)) return badRequest("can't parse reply keyboard markup JSON object");
  if (!('inline_keyboard' in markup)) return inlineOnly ? badRequest("can't parse inline keyboard markup JSON object") : markup;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows)) return badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  for (const row of rows as unknown[]) {
    if (!Array.isArray(row)) return badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    for (const button of row as unknown[]) checkButton(button);
  }
  return markup;
}

/** The message replied to (`reply_parameters` or `reply_to_message_id`); 400 when missing and required. */
function replyTarget(state: BotApiState, chatId: number, params: Params): Message | undefined {
  const parameters = jsonParam(params, 'reply_parameters', "can't parse reply parameters JSON object");
  const reply = isRecord(parameters) ? parameters : {};
  const messageId = intParam(reply, 'message_id') ?? intParam(params, 'reply_to_message_id');
  if (messageId === undefined) return undefined;
  const found = state.findMessage(chatId, messageId);
  const lenient = reply.allow_sending_without_reply === true || params.allow_sending_without_reply === true || params.allow_sending_without_reply === 'true';
  if (found === undefined && !lenient) return badRequest('message to be replied not found');
  if (found === undefined) return undefined;
  const { reply_to_message: _nested, ...shallow } = found;
  return shallow;
}

/** Builds, stores and records a bot message; returns the Message Telegram answers with. */
function deliver(state: BotApiState, method: string, chatId: number, params: Params, content: SentContent, extra: Partial<Message>, files: Pick<SentMessage, 'document' | 'photo'>): Message {
  const replyTo = replyTarget(state, chatId, params);
  const isCaption = method !== 'sendMessage';
  const message: Message = {
    message_id: state.nextMessageId(chatId),
    from: botSender(state),
    chat: state.chat(chatId),
    date: state.now(),
    ...(replyTo === undefined ? {} : { reply_to_message: replyTo }),
    ...extra,
    ...messageContent(content, isCaption),
  };
  state.storeMessage(message);
  state.sent.push({ ...content, ...files, message_id: message.message_id, chat_id: chatId, method, date: message.date, history: [], message });
  return message;
}

/** The text/caption, entities and inline keyboard fields of a Message. */
function messageContent(content: SentContent, isCaption: boolean): Partial<Message> {
  const entities = content.entities.length === 0 ? {} : isCaption ? { caption_entities: content.entities } : { entities: content.entities };
  const text = isCaption ? (content.plainText === '' ? {} : { caption: content.plainText }) : { text: content.plainText };
  const markup = content.reply_markup !== undefined && 'inline_keyboard' in content.reply_markup ? { reply_markup: content.reply_markup } : {};
  return { ...text, ...entities, ...markup };
}

/** `sendMessage`. */
export function sendMessage(state: BotApiState, params: Params): Message {
  const chatId = resolveChatId(state, params);
  const content = parseContent(state, params, 'text', 4096);
  const markup = readReplyMarkup(params);
  return deliver(state, 'sendMessage', chatId, params, { ...content, ...(markup === undefined ? {} : { reply_markup: markup }) }, {}, {});
}

/** The bot message an edit targets; 400 `message to edit not found` (or `message can't be edited`). */
function editTarget(state: BotApiState, params: Params): SentMessage {
  if (params.inline_message_id !== undefined) return badRequest('MESSAGE_ID_INVALID');
  const chatId = resolveChatId(state, params);
  const messageId = intParam(params, 'message_id');
  if (messageId === undefined) return badRequest('message identifier is not specified');
  const sent = state.sent.find((message) => message.chat_id === chatId && message.message_id === messageId);
  if (sent !== undefined) return sent;
  return badRequest(state.findMessage(chatId, messageId) === undefined ? 'message to edit not found' : "message can't be edited");
}

/** Applies an edit to a sent message, keeping the previous version in its history. */
function applyEdit(state: BotApiState, sent: SentMessage, next: SentContent): Message {
  const { text, parse_mode, plainText, entities, reply_markup } = sent;
  sent.history.push({ text, plainText, entities, ...(parse_mode === undefined ? {} : { parse_mode }), ...(reply_markup === undefined ? {} : { reply_markup }) });
  Object.assign(sent, next);
  if (next.parse_mode === undefined) delete sent.parse_mode;
  if (next.reply_markup === undefined) delete sent.reply_markup;
  const { text: _t, entities: _e, caption: _c, caption_entities: _ce, reply_markup: _r, ...rest } = sent.message;
  sent.message = { ...rest, edit_date: state.now(), ...messageContent(next, sent.method !== 'sendMessage') };
  state.storeMessage(sent.message);
  return sent.message;
}

/** `editMessageText`; without `reply_markup` the inline keyboard is removed, as in Telegram. */
export function editMessageText(state: BotApiState, params: Params): Message {
  const sent = editTarget(state, params);
  if (sent.method !== 'sendMessage') return badRequest('there is no text in the message to edit');
  const content = parseContent(state, params, 'text', 4096);
  const markup = readReplyMarkup(params, true);
  const next: SentContent = { ...content, ...(markup === undefined ? {} : { reply_markup: markup }) };
  const same = next.plainText === sent.plainText && JSON.stringify(next.entities) === JSON.stringify(sent.entities)
    && JSON.stringify(markup) === JSON.stringify(sent.reply_markup);
  if (same) return badRequest(NOT_MODIFIED);
  return applyEdit(state, sent, next);
}

/** `editMessageReplyMarkup`. */
export function editMessageReplyMarkup(state: BotApiState, params: Params): Message {
  const sent = editTarget(state, params);
  const markup = readReplyMarkup(params, true);
  if (JSON.stringify(markup) === JSON.stringify(sent.reply_markup)) return badRequest(NOT_MODIFIED);
  const { history: _h, message: _m, ...current } = sent;
  return applyEdit(state, sent, { text: current.text, plainText: current.plainText, entities: current.entities, ...(current.parse_mode === undefined ? {} : { parse_mode: current.parse_mode }), ...(markup === undefined ? {} : { reply_markup: markup }) });
}

/** `deleteMessage`. */
export function deleteMessage(state: BotApiState, params: Params): true {
  const chatId = resolveChatId(state, params);
  const messageId = intParam(params, 'message_id') ?? badRequest('message identifier is not specified');
  if (!state.messages.delete(state.messageKey(chatId, messageId))) return badRequest('message to delete not found');
  return true;
}

/** The file a send call names: an upload (`attach://…` or a part named after the field), a file_id, or a URL. */
function resolveFile(state: BotApiState, params: Params, files: UploadedPart[], kind: FileKind): { stored: StoredFile; sent: SentFile } {
  const value = stringParam(params, kind);
  const attached = value?.startsWith('attach://') === true ? value.slice('attach://'.length) : undefined;
  const part = files.find((file) => file.field === (attached ?? kind));
  if (part !== undefined) {
    if (part.bytes.length === 0) return badRequest('file must be non-empty');
    const stored = state.registerFile({ kind, content: part.bytes, fileName: part.fileName, mimeType: part.mimeType });
    return { stored, sent: { fileId: stored.file_id, fileName: part.fileName, mimeType: part.mimeType, bytes: part.bytes, uploaded: true } };
  }
  if (value === undefined || value === '' || attached !== undefined) return badRequest(`there is no ${kind} in the request`);
  const known = state.files.get(value);
  if (known !== undefined) {
    if (known.kind !== kind) return badRequest(`can't use file of type ${capitalize(known.kind)} as ${capitalize(kind)}`);
    return { stored: known, sent: { fileId: known.file_id, bytes: known.bytes, uploaded: false, ...(known.fileName === undefined ? {} : { fileName: known.fileName }), ...(known.mimeType === undefined ? {} : { mimeType: known.mimeType }) } };
  }
  if (!/^https?:\/\/\S+$/i.test(value)) return badRequest('wrong file identifier/HTTP URL specified');
  const fileName = decodeURIComponent(new URL(value).pathname.split('/').pop() ?? '') || 'file';
  const stored = state.registerFile({ kind, content: Buffer.alloc(0), fileSize: 0, fileName });
  return { stored, sent: { fileId: stored.file_id, fileName, bytes: Buffer.alloc(0), uploaded: false } };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `sendDocument` / `sendPhoto`: JSON with a file_id or URL, or multipart with an upload. */
export function sendFile(state: BotApiState, params: Params, files: UploadedPart[], kind: 'document' | 'photo'): Message {
  const chatId = resolveChatId(state, params);
  const { stored, sent } = resolveFile(state, params, files, kind);
  const content = parseContent(state, params, 'caption', 1024);
  const markup = readReplyMarkup(params);
  const { file_id, file_unique_id, file_size } = stored;
  const extra: Partial<Message> = kind === 'document'
    ? { document: { file_id, file_unique_id, file_size, ...(sent.fileName === undefined ? {} : { file_name: sent.fileName }), ...(sent.mimeType === undefined ? {} : { mime_type: sent.mimeType }) } }
    : { photo: state.photoSizes(stored, 1280, 960) };
  const method = kind === 'document' ? 'sendDocument' : 'sendPhoto';
  return deliver(state, method, chatId, params, { ...content, ...(markup === undefined ? {} : { reply_markup: markup }) }, extra, kind === 'document' ? { document: sent } : { photo: sent });
}
