/**
 * Reply → Telegram: HTML text (user text escaped, so `<b>` typed by a user shows as `<b>`), inline
 * keyboards for buttons, messages split under Telegram's 4096-character limit (never inside a
 * grapheme cluster — an emoji sequence, a flag, a letter with its marks — or an entity), lone surrogates sent as U+FFFD, and start links as
 * `https://t.me/<bot>?start=<payload>`.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { toPlainText, type Block, type Button, type ChatReply, type Span } from '../../domain/reply.js';
import { toWellFormed } from '../../flow/parse/normalize.js';
import { cutText, graphemeCount } from '../../kernel/graphemes.js';

/** Telegram's limit on a message's text after entity parsing. */
export const MAX_MESSAGE_CHARS = 4096;

/** One Bot API message to send. */
export type TelegramMessage =
  | { kind: 'text'; html: string; keyboard?: InlineKeyboardMarkup }
  | { kind: 'document'; name: string; mime: string; data: Uint8Array; caption?: string };

/** Escapes text for Telegram's HTML parse mode (`<`, `>`, `&`, and `"` inside attributes); lone surrogates become U+FFFD. */
export function escapeHtml(text: string): string {
  return toWellFormed(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderSpan(span: Span, botUsername: string): string {
  if (typeof span === 'string') return escapeHtml(span);
  switch (span.kind) {
    case 'bold':
      return `<b>${escapeHtml(span.text)}</b>`;
    case 'link':
      return /^https?:\/\//i.test(span.url) ? `<a href="${escapeHtml(span.url)}">${escapeHtml(span.text)}</a>` : escapeHtml(span.text);
    case 'start-link':
      return `<a href="https://t.me/${encodeURIComponent(botUsername)}?start=${encodeURIComponent(span.payload)}">${escapeHtml(span.text)}</a>`;
  }
}

/** One block as HTML lines (a list item per line). */
function renderBlock(block: Block, botUsername: string): string[] {
  if (block.kind === 'paragraph') return [block.spans.map((s) => renderSpan(s, botUsername)).join('')];
  return block.items.map((item) => `• ${item.map((s) => renderSpan(s, botUsername)).join('')}`);
}

/** The text of our own HTML without its markup (a fallback when Telegram refuses the HTML). */
export function htmlToPlain(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Visible length of an HTML line: tags do not count, entities count as one character. */
function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot);/g, '_').length;
}

/** Splits HTML lines into messages under the limit; a line longer than the limit is cut as text. */
export function splitHtml(lines: readonly string[], limit = MAX_MESSAGE_CHARS): string[] {
  // The visible text is never longer than the HTML: a short reply is one message as it stands.
  let raw = lines.length - 1;
  for (const line of lines) raw += line.length;
  if (raw <= limit) return lines.length > 0 ? [lines.join('\n')] : [''];
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (current.length > 0) chunks.push(current.join('\n'));
    current = [];
    size = 0;
  };
  for (const line of lines) {
    const length = visibleLength(line);
    if (length > limit) {
      flush();
      // A single over-long line: drop its markup and cut the text itself.
      const plain = htmlToPlain(line);
      for (const piece of cutText(plain, limit - 1)) chunks.push(escapeHtml(piece));
      continue;
    }
    if (size + length + (current.length > 0 ? 1 : 0) > limit) flush();
    current.push(line);
    size += length + (current.length > 1 ? 1 : 0);
  }
  flush();
  return chunks.length > 0 ? chunks : [''];
}

/** Lays buttons out: options two a row (one a row when long), navigation buttons together on the last row. */
export function toKeyboard(buttons: readonly Button[]): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton[][] = [];
  const options = buttons.filter((b) => b.role === 'option');
  const perRow = options.some((b) => graphemeCount(b.label, 12) > 12) ? 1 : 2;
  for (let i = 0; i < options.length; i += perRow) {
    rows.push(options.slice(i, i + perRow).map((b) => ({ text: toWellFormed(b.label), callback_data: b.payload })));
  }
  const nav = buttons.filter((b) => b.role === 'nav').map((b) => ({ text: toWellFormed(b.label), callback_data: b.payload }));
  for (let i = 0; i < nav.length; i += 3) rows.push(nav.slice(i, i + 3));
  return { inline_keyboard: rows };
}

/** Renders one reply as the Bot API messages that carry it; the keyboard goes on the last part. */
export function toTelegramMessages(reply: ChatReply, botUsername: string): TelegramMessage[] {
  if (reply.kind === 'file') {
    const document: TelegramMessage = { kind: 'document', name: toWellFormed(reply.name), mime: reply.mime, data: reply.data };
    return [reply.caption === undefined ? document : { ...document, caption: toWellFormed(reply.caption) }];
  }
  if (reply.kind === 'form' || reply.kind === 'form-errors') {
    // Whole forms are a Slack modal thing; Telegram files them step by step, so only the text shows.
    return splitHtml(escapeHtml(toPlainText(reply)).split('\n')).map((html) => ({ kind: 'text', html }));
  }
  const html = splitHtml(reply.blocks.flatMap((block) => renderBlock(block, botUsername)).filter((line) => line !== ''));
  const messages: TelegramMessage[] = html.map((text) => ({ kind: 'text', html: text === '' ? '…' : text }));
  const last = messages[messages.length - 1];
  if (reply.kind === 'choices' && reply.buttons.length > 0 && last?.kind === 'text') last.keyboard = toKeyboard(reply.buttons);
  return messages;
}
