/**
 * Telegram update → Inbound. Private chats pass everything; in groups (privacy mode on) the bot
 * takes commands, messages that mention it and replies to it, with the mention removed. Photos,
 * documents and videos become attachments. Names users control (display names, file names) are
 * cleaned here: one line, no bidi or invisible characters, a file name never a path. An update of
 * an unexpected shape (a webhook body is only checked for its update_id) is not acted on.
 */
import type { Message, Update, UserFromGetMe } from 'grammy/types';
import type { Inbound, InboundAttachment } from '../../domain/inbound.js';
import { cleanDisplayName, cleanFileName } from '../../flow/parse/normalize.js';

/** The Inbound `platform` of Telegram. */
export const TELEGRAM = 'telegram';

function attachmentsOf(message: Message): InboundAttachment[] {
  const out: InboundAttachment[] = [];
  const largest = message.photo?.at(-1);
  if (largest !== undefined) {
    out.push({ kind: 'photo', mime: 'image/jpeg', fileRef: largest.file_id, uniqueId: largest.file_unique_id, ...(largest.file_size === undefined ? {} : { sizeBytes: largest.file_size }) });
  }
  const file = message.document ?? message.video ?? message.audio ?? message.voice;
  if (file !== undefined) {
    const kind: InboundAttachment['kind'] =
      message.document !== undefined ? 'document' : message.video !== undefined ? 'video' : 'audio';
    const attachment: InboundAttachment = { kind, fileRef: file.file_id, uniqueId: file.file_unique_id };
    const name = 'file_name' in file && typeof file.file_name === 'string' ? cleanFileName(file.file_name) : undefined;
    if (name !== undefined) attachment.name = name;
    if (file.mime_type !== undefined) attachment.mime = file.mime_type;
    if (file.file_size !== undefined) attachment.sizeBytes = file.file_size;
    if ('duration' in file) attachment.durationSeconds = file.duration;
    out.push(attachment);
  }
  return out;
}

/** What a group message says to this bot, or undefined when it is not for the bot. */
function groupText(message: Message, bot: UserFromGetMe): string | undefined {
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const mention = `@${bot.username}`;
  const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(text);
  if (command !== null) {
    const addressee = command[1];
    if (addressee !== undefined && addressee.toLowerCase() !== bot.username.toLowerCase()) return undefined;
    return text;
  }
  const mentioned = entities.some(
    (e) => e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === mention.toLowerCase(),
  );
  if (mentioned) return text.replace(new RegExp(`@${bot.username}\\b`, 'gi'), '').trim();
  if (message.reply_to_message?.from?.id === bot.id) return text;
  return undefined;
}

function displayName(from: { id: number; first_name: string; last_name?: string; username?: string }): string {
  const full = [from.first_name, from.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return cleanDisplayName(full) ?? cleanDisplayName(typeof from.username === 'string' ? from.username : '') ?? String(from.id);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parts an Inbound is read from have the types the Bot API documents (a sender, a chat, text). */
function hasUsableShape(update: Update): boolean {
  const u = update as unknown as Record<string, unknown>;
  const person = (value: unknown): boolean => isRecord(value) && typeof value['id'] === 'number' && typeof value['first_name'] === 'string';
  const chat = (value: unknown): boolean => isRecord(value) && (typeof value['id'] === 'number' || typeof value['id'] === 'string') && typeof value['type'] === 'string';
  const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
  if (u['callback_query'] !== undefined) {
    const q = u['callback_query'];
    return isRecord(q) && person(q['from']) && optionalString(q['data']) && (q['message'] === undefined || (isRecord(q['message']) && chat(q['message']['chat'])));
  }
  const m = u['message'];
  if (m === undefined) return true;
  return isRecord(m) && person(m['from']) && chat(m['chat']) && optionalString(m['text']) && optionalString(m['caption']);
}

/** Translates an update; undefined for updates the bot does not act on. */
export function toInbound(update: Update, bot: UserFromGetMe, receivedAt: Date): Inbound | undefined {
  if (!hasUsableShape(update)) return undefined;
  const deliveryId = String(update.update_id);
  const callback = update.callback_query;
  if (callback !== undefined) {
    const chat = callback.message?.chat;
    if (chat === undefined || callback.data === undefined) return undefined;
    const inbound: Inbound = {
      platform: TELEGRAM,
      chat: { id: String(chat.id), kind: chat.type === 'private' ? 'private' : 'group' },
      user: { id: String(callback.from.id), displayName: displayName(callback.from) },
      action: callback.data,
      deliveryId,
      receivedAt,
    };
    if (callback.from.language_code !== undefined) inbound.user.localeHint = callback.from.language_code;
    return inbound;
  }
  const message = update.message;
  if (message?.from === undefined || message.from.is_bot) return undefined;
  const isPrivate = message.chat.type === 'private';
  const text = isPrivate ? (message.text ?? message.caption) : groupText(message, bot);
  if (!isPrivate && text === undefined) return undefined;
  const inbound: Inbound = {
    platform: TELEGRAM,
    chat: { id: String(message.chat.id), kind: isPrivate ? 'private' : 'group' },
    user: { id: String(message.from.id), displayName: displayName(message.from) },
    deliveryId,
    receivedAt,
  };
  if (message.from.language_code !== undefined) inbound.user.localeHint = message.from.language_code;
  if (text !== undefined) inbound.text = text;
  const attachments = attachmentsOf(message);
  if (attachments.length > 0) inbound.attachments = attachments;
  // A private sticker or location still gets an answer (the menu); in groups only what was meant for the bot.
  if (inbound.text === undefined && inbound.attachments === undefined) {
    if (!isPrivate) return undefined;
    inbound.text = '';
  }
  return inbound;
}
