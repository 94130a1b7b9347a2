/**
 * Slack → Inbound: DM messages (with shared files), app mentions in channels, the `/sciweek` slash
 * command's subcommands, button presses and modal submissions. Slack's own escaping (`&lt;`) is
 * undone so the engine sees what the user typed. Names users control (display names, file names)
 * are cleaned here: one line, no bidi or invisible characters, a file name never a path.
 */
import type { Inbound, InboundAttachment } from '../../domain/inbound.js';
import { cleanDisplayName, cleanFileName } from '../../flow/parse/normalize.js';
import { fromSlackSubcommand } from '../../bot/commands.js';

/** The Inbound `platform` of Slack. */
export const SLACK = 'slack';

/** A file as Slack describes it in events and modal submissions. */
export interface SlackFile {
  id: string;
  name?: string;
  mimetype?: string;
  size?: number;
}

/** Undoes Slack's escaping of `&<>` and shows user and channel mentions as plain names. */
export function fromSlackText(text: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<(https?:[^|>]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) => label ?? url)
    .replace(/<!([a-z]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Slack files as attachments, by MIME type. */
export function toAttachments(files: readonly SlackFile[]): InboundAttachment[] {
  return files.map((file) => {
    const mime = file.mimetype ?? '';
    const kind: InboundAttachment['kind'] = mime.startsWith('image/') ? 'photo' : mime.startsWith('video/') ? 'video' : mime.startsWith('audio/') ? 'audio' : 'document';
    const attachment: InboundAttachment = { kind, fileRef: file.id, uniqueId: file.id };
    const name = file.name === undefined ? undefined : cleanFileName(file.name);
    if (name !== undefined) attachment.name = name;
    if (file.mimetype !== undefined) attachment.mime = file.mimetype;
    if (file.size !== undefined) attachment.sizeBytes = file.size;
    return attachment;
  });
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
    user: { id: user.id, displayName: cleanDisplayName(user.displayName) ?? user.id },
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

/** A modal's state values → the text of each field, and files per file field. */
export function fromModalValues(values: Record<string, Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null; files?: SlackFile[] }>>): {
  values: Record<string, string>;
  files: Record<string, InboundAttachment[]>;
} {
  const out: Record<string, string> = {};
  const files: Record<string, InboundAttachment[]> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    // Our block ids are field ids; keys that could reach a prototype are never fields.
    if (UNSAFE_KEYS.has(blockId) || !Object.hasOwn(actions, blockId)) continue;
    const state = actions[blockId];
    if (state === undefined) continue;
    if (state.type === 'file_input') files[blockId] = toAttachments(state.files ?? []);
    else out[blockId] = state.selected_option?.value ?? state.value ?? '';
  }
  return { values: out, files };
}
