/**
 * Telegram update → Inbound. Private chats pass everything; in groups (privacy mode on) the bot
 * takes commands, messages that mention it and replies to it, with the mention removed. Photos,
 * documents and videos become attachments. Names users control (display names, file names) are
 * cleaned here: one line, no bidi or invisible characters, a file name never a path.
 *
 * A webhook body is only checked for its update_id, so the update is read as untyped JSON, each field
 * for the type the Bot API gives it, and nothing here throws:
 * - no chat to answer in, or a bot as the sender: not acted on;
 * - a sender without an id, text or a caption that is not text, a button press without its payload:
 *   an Inbound marked `unreadable`, which the bot answers with an apology (in a group only when the
 *   update was a press of the bot's button or a message meant for it);
 * - a file's metadata of the wrong type (a `file_size` of null): dropped, and the file taken without
 *   it; a file without a file_id: an attachment without a reference, which the form refuses on its own.
 * A chat or user id sent as a string of digits is read as the number it spells.
 */
import type { Update, UserFromGetMe } from 'grammy/types';
import type { Inbound, InboundAttachment } from '../../domain/inbound.js';
import { cleanDisplayName, cleanFileName } from '../../flow/parse/normalize.js';
import { asCount, asString, isRecord } from '../../kernel/json.js';

/** The Inbound `platform` of Telegram. */
export const TELEGRAM = 'telegram';

type Json = Record<string, unknown>;

const text = asString;
const amount = asCount;

/** A chat or user id — an integer, or its digits as a string — as a string; undefined otherwise. */
function readId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? String(id) : undefined;
}

/** Who sent an update. */
interface Sender {
  user: Inbound['user'];
  isBot: boolean;
}

function readSender(value: unknown): Sender | undefined {
  if (!isRecord(value)) return undefined;
  const id = readId(value['id']);
  if (id === undefined) return undefined;
  const full = [text(value['first_name']), text(value['last_name'])].filter((part) => part !== undefined && part !== '').join(' ');
  const displayName = cleanDisplayName(full) ?? cleanDisplayName(text(value['username']) ?? '') ?? id;
  const sender: Sender = { user: { id, displayName }, isBot: value['is_bot'] === true };
  const hint = text(value['language_code']);
  if (hint !== undefined) sender.user.localeHint = hint;
  return sender;
}

function readChat(value: unknown): Inbound['chat'] | undefined {
  if (!isRecord(value)) return undefined;
  const id = readId(value['id']);
  if (id === undefined) return undefined;
  const type = value['type'];
  // Without a type, the id tells: a private chat has its user's (positive) id, groups negative ones.
  const isPrivate = typeof type === 'string' ? type === 'private' : !id.startsWith('-');
  return { id, kind: isPrivate ? 'private' : 'group' };
}

/** One file of a message; without a usable file_id its reference is empty (refused by the form). */
function fileAttachment(kind: InboundAttachment['kind'], value: unknown): InboundAttachment {
  if (!isRecord(value)) return { kind, fileRef: '' };
  const attachment: InboundAttachment = { kind, fileRef: text(value['file_id']) ?? '' };
  const uniqueId = text(value['file_unique_id']);
  if (uniqueId !== undefined) attachment.uniqueId = uniqueId;
  const given = text(value['file_name']);
  const name = given === undefined ? undefined : cleanFileName(given);
  if (name !== undefined) attachment.name = name;
  const mime = text(value['mime_type']);
  if (mime !== undefined) attachment.mime = mime;
  const sizeBytes = amount(value['file_size']);
  if (sizeBytes !== undefined) attachment.sizeBytes = sizeBytes;
  const durationSeconds = amount(value['duration']);
  if (durationSeconds !== undefined) attachment.durationSeconds = durationSeconds;
  return attachment;
}

const FILE_KINDS: readonly [string, InboundAttachment['kind']][] = [
  ['document', 'document'],
  ['video', 'video'],
  ['audio', 'audio'],
  ['voice', 'audio'],
];

function attachmentsOf(message: Json): InboundAttachment[] {
  const out: InboundAttachment[] = [];
  const photo = message['photo'];
  if (photo !== undefined && photo !== null) {
    // The largest size Telegram made of the photo that can be fetched.
    const sizes: unknown[] = Array.isArray(photo) ? photo : [];
    const largest = sizes.filter((size) => isRecord(size) && typeof size['file_id'] === 'string' && size['file_id'] !== '').at(-1);
    out.push({ ...fileAttachment('photo', largest), mime: 'image/jpeg' });
  }
  const file = FILE_KINDS.find(([key]) => message[key] !== undefined && message[key] !== null);
  if (file !== undefined) out.push(fileAttachment(file[1], message[file[0]]));
  return out;
}

function repliesToBot(message: Json, bot: UserFromGetMe): boolean {
  const replied = message['reply_to_message'];
  return isRecord(replied) && isRecord(replied['from']) && replied['from']['id'] === bot.id;
}

/** What a group message says to this bot, or undefined when it is not for the bot. */
function groupText(said: string, message: Json, bot: UserFromGetMe): string | undefined {
  const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(said);
  if (command !== null) {
    const addressee = command[1];
    if (addressee !== undefined && addressee.toLowerCase() !== bot.username.toLowerCase()) return undefined;
    return said;
  }
  const given = Array.isArray(message['entities']) ? message['entities'] : Array.isArray(message['caption_entities']) ? message['caption_entities'] : [];
  const entities: unknown[] = given;
  const mention = `@${bot.username}`.toLowerCase();
  const mentioned = entities.some((e) => {
    if (!isRecord(e) || e['type'] !== 'mention' || typeof e['offset'] !== 'number' || typeof e['length'] !== 'number') return false;
    return said.slice(e['offset'], e['offset'] + e['length']).toLowerCase() === mention;
  });
  if (mentioned) return said.replace(new RegExp(`@${bot.username}\\b`, 'gi'), '').trim();
  if (repliesToBot(message, bot)) return said;
  return undefined;
}

/**
 * The apology's Inbound: to the sender, or in a private chat to the chat itself (whose id is its
 * user's); undefined when there is nobody to answer.
 */
function unreadable(chat: Inbound['chat'], sender: Sender | undefined, deliveryId: string, receivedAt: Date): Inbound | undefined {
  const user = sender?.user ?? (chat.kind === 'private' ? { id: chat.id, displayName: chat.id } : undefined);
  if (user === undefined) return undefined;
  return { platform: TELEGRAM, chat, user, unreadable: true, deliveryId, receivedAt };
}

function fromCallback(query: unknown, deliveryId: string, receivedAt: Date): Inbound | undefined {
  if (!isRecord(query)) return undefined;
  const pressed = query['message'];
  // A press on a message sent inline (no chat) has nowhere to be answered.
  const chat = isRecord(pressed) ? readChat(pressed['chat']) : undefined;
  if (chat === undefined) return undefined;
  const sender = readSender(query['from']);
  const data = text(query['data']);
  if (sender === undefined || data === undefined) return unreadable(chat, sender, deliveryId, receivedAt);
  return { platform: TELEGRAM, chat, user: sender.user, action: data, deliveryId, receivedAt };
}

function fromMessage(message: Json, bot: UserFromGetMe, deliveryId: string, receivedAt: Date): Inbound | undefined {
  const chat = readChat(message['chat']);
  if (chat === undefined) return undefined;
  const sender = readSender(message['from']);
  if (sender?.isBot === true) return undefined;
  const notText = (value: unknown): boolean => value !== undefined && typeof value !== 'string';
  const said = text(message['text']) ?? text(message['caption']);
  const isPrivate = chat.kind === 'private';
  if (sender === undefined || notText(message['text']) || notText(message['caption'])) {
    const meantForBot = isPrivate || repliesToBot(message, bot) || (said !== undefined && groupText(said, message, bot) !== undefined);
    return meantForBot ? unreadable(chat, sender, deliveryId, receivedAt) : undefined;
  }
  const content = isPrivate ? said : groupText(said ?? '', message, bot);
  if (!isPrivate && content === undefined) return undefined;
  const inbound: Inbound = { platform: TELEGRAM, chat, user: sender.user, deliveryId, receivedAt };
  if (content !== undefined) inbound.text = content;
  const attachments = attachmentsOf(message);
  if (attachments.length > 0) inbound.attachments = attachments;
  // A private sticker or location still gets an answer (the menu); in groups only what was meant for the bot.
  if (inbound.text === undefined && inbound.attachments === undefined) {
    if (!isPrivate) return undefined;
    inbound.text = '';
  }
  return inbound;
}

/** Translates an update; undefined for updates the bot does not act on. */
export function toInbound(update: Update, bot: UserFromGetMe, receivedAt: Date): Inbound | undefined {
  const u = update as unknown as Json;
  const deliveryId = String(u['update_id']);
  if (u['callback_query'] !== undefined) return fromCallback(u['callback_query'], deliveryId, receivedAt);
  const message = u['message'];
  return isRecord(message) ? fromMessage(message, bot, deliveryId, receivedAt) : undefined;
}
