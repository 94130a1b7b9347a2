/**
 * Slack → Inbound: DM messages (with shared files), app mentions in channels, the `/sciweek` slash
 * command's subcommands, button presses and modal submissions. Slack's own escaping (`&lt;`) is
 * undone so the engine sees what the user typed. Names users control (display names, file names)
 * are cleaned here: one line, no bidi or invisible characters, a file name never a path.
 *
 * Events are read for the types Slack gives their fields, and nothing here throws: an event with
 * nowhere to answer is not acted on; one that says where to answer but whose sender or text has the
 * wrong type is read as `unreadable` (the bot apologizes and asks for it again); a file's metadata of
 * the wrong type is dropped, and a file without an id is kept as one without a reference, which the
 * form refuses on its own.
 */
import type { Inbound, InboundAttachment } from '../../domain/inbound.js';
import { cleanDisplayName, cleanFileName } from '../../flow/parse/normalize.js';
import { fromSlackSubcommand } from '../../bot/commands.js';
import { isRecord } from '../../kernel/json.js';

/** The Inbound `platform` of Slack. */
export const SLACK = 'slack';

/** A file as Slack describes it in events and modal submissions. */
export interface SlackFile {
  id: string;
  name?: string;
  mimetype?: string;
  size?: number;
}

/**
 * Slack wraps what it recognises as a link: `<target|visible text>` when what was typed differs from
 * the target (`<mailto:lina@example.com|lina@example.com>`, `<tel:+8613812345678|138 1234 5678>`,
 * `<http://x.cn|x.cn>`), `<target>` otherwise. What was typed is the visible text, else the target
 * without a `mailto:`/`tel:` scheme (a web address keeps its scheme, as typed).
 */
const SLACK_LINK = /<((?:https?|mailto|tel):[^|>]*)(?:\|([^>]*))?>/gi;

function unwrapLink(_m: string, target: string, label?: string): string {
  if (label !== undefined && label !== '') return label;
  return target.replace(/^(?:mailto|tel):/i, '');
}

/** Unwraps Slack's link markup (see SLACK_LINK), leaving everything else as it is. */
export function unwrapSlackLinks(text: string): string {
  return text.replace(SLACK_LINK, unwrapLink);
}

/** Undoes Slack's escaping of `&<>`, unwraps links and shows user and channel mentions as plain names. */
export function fromSlackText(text: string): string {
  return unwrapSlackLinks(text)
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<!([a-z]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The value when it is a non-empty string. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toAttachment(file: unknown): InboundAttachment {
  if (!isRecord(file)) return { kind: 'document', fileRef: '' };
  const mime = text(file['mimetype']);
  const type = mime ?? '';
  const kind: InboundAttachment['kind'] = type.startsWith('image/') ? 'photo' : type.startsWith('video/') ? 'video' : type.startsWith('audio/') ? 'audio' : 'document';
  const id = text(file['id']);
  const attachment: InboundAttachment = id === undefined ? { kind, fileRef: '' } : { kind, fileRef: id, uniqueId: id };
  const given = text(file['name']);
  const name = given === undefined ? undefined : cleanFileName(given);
  if (name !== undefined) attachment.name = name;
  if (mime !== undefined) attachment.mime = mime;
  const size = file['size'];
  if (typeof size === 'number' && Number.isFinite(size) && size >= 0) attachment.sizeBytes = size;
  return attachment;
}

/** Slack files as attachments, by MIME type; a list that is not one stands for one file that cannot be read. */
export function toAttachments(files: unknown): InboundAttachment[] {
  if (files === undefined || files === null) return [];
  return Array.isArray(files) ? files.map(toAttachment) : [toAttachment(undefined)];
}

/** A DM message or a mention, as far as it can be read. */
export interface SlackMessageRead {
  channel: string;
  /** The sender; undefined when the event's `user` is not an id (then the message is unreadable). */
  userId?: string;
  /** What was typed; undefined when nothing was, or when the message is unreadable. */
  text?: string;
  attachments: InboundAttachment[];
  /** The sender or the text had the wrong type: only an apology goes back. */
  unreadable: boolean;
  /** The thread a mention's answer goes to. */
  threadTs?: string;
}

/**
 * A DM message event (`channel_type: im`, a person's, not an edit or a join), or undefined when the
 * bot does not act on it. A sender or text of the wrong type makes it unreadable.
 */
export function readDirectMessage(event: unknown): SlackMessageRead | undefined {
  if (!isRecord(event) || event['channel_type'] !== 'im' || event['bot_id'] !== undefined) return undefined;
  const channel = text(event['channel']);
  const subtype = event['subtype'];
  if (channel === undefined || (typeof subtype === 'string' && subtype !== 'file_share')) return undefined;
  const userId = text(event['user']);
  const typed = event['text'];
  const unreadable = userId === undefined || (subtype !== undefined && typeof subtype !== 'string') || (typed !== undefined && typeof typed !== 'string');
  const read: SlackMessageRead = { channel, attachments: unreadable ? [] : toAttachments(event['files']), unreadable };
  if (userId !== undefined) read.userId = userId;
  if (!unreadable && typeof typed === 'string' && typed !== '') read.text = typed;
  return read;
}

/** An app_mention event, or undefined without a channel and a sender to answer; its text of the wrong type makes it unreadable. */
export function readMention(event: unknown): (SlackMessageRead & { userId: string }) | undefined {
  if (!isRecord(event)) return undefined;
  const channel = text(event['channel']);
  const userId = text(event['user']);
  if (channel === undefined || userId === undefined) return undefined;
  const typed = event['text'];
  const read: SlackMessageRead & { userId: string } = { channel, userId, attachments: [], unreadable: typeof typed !== 'string' };
  if (typeof typed === 'string') read.text = typed;
  const threadTs = text(event['thread_ts']) ?? text(event['ts']);
  if (threadTs !== undefined) read.threadTs = threadTs;
  return read;
}

/** A field of a Slack payload when it is a non-empty string (ids, trigger ids, button values). */
export function slackString(value: unknown): string | undefined {
  return text(value);
}

/** Who is talking, as far as the adapter knows them. */
export interface SlackUser {
  id: string;
  displayName: string;
  localeHint?: string;
  isAdmin?: boolean;
}

/** A base Inbound for a user in a chat. */
export function slackInbound(user: SlackUser, chat: Inbound['chat'], deliveryId: string | undefined): Inbound {
  const inbound: Inbound = {
    platform: SLACK,
    chat,
    user: { id: user.id, displayName: (typeof user.displayName === 'string' ? cleanDisplayName(user.displayName) : undefined) ?? user.id },
    receivedAt: new Date(),
  };
  if (user.localeHint !== undefined) inbound.user.localeHint = user.localeHint;
  if (deliveryId !== undefined) inbound.deliveryId = deliveryId;
  return inbound;
}

/**
 * `/sciweek <subcommand> …` → the command text the engine understands, and whether it opens a modal:
 * the subcommands are the command registry's (see fromSlackSubcommand).
 */
export function toEngineCommand(text: string): { command: string; opensForm: boolean } {
  return fromSlackSubcommand(fromSlackText(text));
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A modal's state values → the text of each field, and files per file field; values of the wrong type count as empty. */
export function fromModalValues(values: unknown): {
  values: Record<string, string>;
  files: Record<string, InboundAttachment[]>;
} {
  const out: Record<string, string> = {};
  const files: Record<string, InboundAttachment[]> = {};
  if (!isRecord(values)) return { values: out, files };
  for (const [blockId, actions] of Object.entries(values)) {
    // Our block ids are field ids; keys that could reach a prototype are never fields.
    if (UNSAFE_KEYS.has(blockId) || !isRecord(actions) || !Object.hasOwn(actions, blockId)) continue;
    const state = actions[blockId];
    if (!isRecord(state)) continue;
    if (state['type'] === 'file_input') files[blockId] = toAttachments(state['files']);
    else {
      const selected = state['selected_option'];
      const value = isRecord(selected) && typeof selected['value'] === 'string' ? selected['value'] : state['value'];
      // Inputs come back as typed (not escaped); link markup pasted from a message is unwrapped all the same.
      out[blockId] = typeof value === 'string' ? unwrapSlackLinks(value) : '';
    }
  }
  return { values: out, files };
}
