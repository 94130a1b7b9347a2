/**
 * The neutral reply. The engine answers with these; each adapter renders them for its platform and
 * escapes user text there. The markup is deliberately small: bold, links and lists.
 */
import { utf8Length } from '../kernel/utf8.js';

/**
 * A run of text: plain, bold, a link, or a link that opens a private chat with the bot at a start
 * payload (Telegram `https://t.me/<bot>?start=<payload>`, a DM on Slack). Plain strings are the
 * common case.
 */
export type Span =
  | string
  | { kind: 'bold'; text: string }
  | { kind: 'link'; text: string; url: string }
  | { kind: 'start-link'; text: string; payload: string };

/** A paragraph (one or more lines of spans) or a bulleted list. */
export type Block = { kind: 'paragraph'; spans: Span[] } | { kind: 'list'; items: Span[][] };

/** A button. `payload` stays under Telegram's 64-byte limit; `role` tells options from navigation. */
export interface Button {
  label: string;
  payload: string;
  role: 'option' | 'nav';
}

/** One field of a whole form shown at once (a Slack modal), built from the flow definition. */
export interface FormFieldView {
  id: string;
  label: string;
  hint?: string;
  input: 'line' | 'multiline' | 'select' | 'files';
  optional: boolean;
  /** The value as the user would type it (from a draft), to pre-fill. */
  initial?: string;
  options?: { value: string; label: string }[];
  maxFiles?: number;
}

/** A whole form to show at once; `submitLabel` and `title` are already localized. */
export interface FormView {
  flowId: string;
  title: string;
  submitLabel: string;
  cancelLabel: string;
  fields: FormFieldView[];
}

/** A reply shown in the chat it is sent to. `form` opens a whole form; `form-errors` refuses one, per field. */
export type ChatReply =
  | { kind: 'text'; blocks: Block[] }
  | { kind: 'choices'; blocks: Block[]; buttons: Button[] }
  | { kind: 'file'; name: string; mime: string; data: Uint8Array; caption?: string }
  | { kind: 'form'; form: FormView }
  | { kind: 'form-errors'; flowId: string; errors: Record<string, string> };

/**
 * Replies for the asker's eyes only, asked for in a group: they go to the user's private chat with the
 * bot, and the group is told `sent` — or `refused` when the platform will not let the bot write to the
 * user first (a Telegram user who never opened the private chat). Never rendered in the group itself.
 */
export interface PrivateReply {
  kind: 'private';
  /** The platform's id of the user (the `user.id` of the Inbound that asked). */
  userId: string;
  replies: ChatReply[];
  sent: ChatReply[];
  refused: ChatReply[];
}

/** What the engine answers with: replies for the chat, and replies for the asker alone. */
export type Reply = ChatReply | PrivateReply;

/** Telegram's limit on callback data, in bytes. */
export const MAX_PAYLOAD_BYTES = 64;

/** A bold span. */
export function bold(text: string): Span {
  return { kind: 'bold', text };
}

/** A link span. */
export function link(text: string, url: string): Span {
  return { kind: 'link', text, url };
}

/** A span that opens the private chat with the bot at `payload` (letters, digits, `_` and `-`). */
export function startLink(text: string, payload: string): Span {
  return { kind: 'start-link', text, payload };
}

/** A paragraph block from spans. */
export function paragraph(...spans: Span[]): Block {
  return { kind: 'paragraph', spans };
}

/** A list block, one item per entry. */
export function list(items: Span[][]): Block {
  return { kind: 'list', items };
}

/** A text reply of one paragraph per string. */
export function textReply(...paragraphs: (string | Block)[]): ChatReply {
  return { kind: 'text', blocks: paragraphs.map((p) => (typeof p === 'string' ? paragraph(p) : p)) };
}

/** A reply with buttons; payloads over {@link MAX_PAYLOAD_BYTES} are a programming error. */
export function choicesReply(blocks: Block[], buttons: Button[]): ChatReply {
  for (const button of buttons) {
    if (button.payload.length * 3 > MAX_PAYLOAD_BYTES && utf8Length(button.payload) > MAX_PAYLOAD_BYTES) {
      throw new RangeError(`button payload over ${MAX_PAYLOAD_BYTES} bytes: ${button.payload}`);
    }
  }
  return { kind: 'choices', blocks, buttons };
}

/** The plain text of a span, without markup. */
export function spanText(span: Span): string {
  return typeof span === 'string' ? span : span.text;
}

/**
 * The replies of a private chat, where there is no group to keep anything from: a private reply's own
 * replies stand in its place (the console, a DM).
 */
export function inPrivateChat(replies: readonly Reply[]): ChatReply[] {
  return replies.flatMap((reply) => (reply.kind === 'private' ? reply.replies : [reply]));
}

/** The plain text of a reply's blocks, one line per paragraph line and list item; for logs and tests. */
export function toPlainText(reply: Reply): string {
  if (reply.kind === 'private') return reply.replies.map(toPlainText).join('\n');
  if (reply.kind === 'file') return reply.caption ?? reply.name;
  if (reply.kind === 'form') return `[${reply.form.title}] ${reply.form.fields.map((f) => f.label).join(' / ')}`;
  if (reply.kind === 'form-errors') return Object.entries(reply.errors).map(([id, message]) => `${id}: ${message}`).join('\n');
  return reply.blocks
    .map((block) =>
      block.kind === 'paragraph'
        ? block.spans.map(spanText).join('')
        : block.items.map((item) => `• ${item.map(spanText).join('')}`).join('\n'),
    )
    .join('\n');
}
