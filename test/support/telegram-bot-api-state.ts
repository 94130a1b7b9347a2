/**
 * The world the Bot API stand-in remembers: the bot, chats and users it has seen, every message by
 * chat (message ids count per chat, shared by users and the bot, as in private chats and groups),
 * registered files, chat members, commands and callback queries.
 */
import type {
  BotCommand, BotUser, Chat, ChatMemberStatus, ChatType, Message, PhotoSize, SentMessage, User,
} from './telegram-bot-api-types.js';

/** The largest file `getFile` serves (Telegram's 20 MB download limit). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** File kinds, which decide the file_id prefix and the file_path folder. */
export type FileKind = 'document' | 'photo' | 'video';

/** A file the server can describe (`getFile`) and serve (`/file/bot<token>/<file_path>`). */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_size: number;
  kind: FileKind;
  bytes: Buffer;
  fileName?: string;
  mimeType?: string;
}

/** What to register with {@link BotApiState.registerFile}. */
export interface FileSpec {
  kind: FileKind;
  /** The bytes a download returns; filler of `fileSize` bytes (at most 1 MiB) when left out. */
  content?: Uint8Array | string;
  /** The size reported; the content's length when left out. */
  fileSize?: number;
  fileName?: string;
  mimeType?: string;
}

const FILE_ID_PREFIX: Record<FileKind, string> = { document: 'BQACAgIAAxkBAAI', photo: 'AgACAgIAAxkBAAI', video: 'BAACAgIAAxkBAAI' };
const FILE_FOLDER: Record<FileKind, string> = { document: 'documents', photo: 'photos', video: 'videos' };

/** The chat type Telegram ids imply: positive → private, `-100…` → supergroup, other negative → group. */
export function chatTypeOf(chatId: number): ChatType {
  if (chatId > 0) return 'private';
  return String(chatId).startsWith('-100') ? 'supergroup' : 'group';
}

/** The stand-in's memory; see the module comment. */
export class BotApiState {
  readonly chats = new Map<number, Chat>();
  readonly users = new Map<number, User>();
  readonly files = new Map<string, StoredFile>();
  readonly filesByPath = new Map<string, StoredFile>();
  readonly messages = new Map<string, Message>();
  readonly sent: SentMessage[] = [];
  readonly members = new Map<string, ChatMemberStatus>();
  readonly commands = new Map<string, BotCommand[]>();
  readonly callbackQueries = new Map<string, { answered: boolean }>();
  private readonly lastMessageId = new Map<number, number>();
  private fileCount = 0;
  private callbackCount = 0;

  constructor(readonly bot: BotUser) {}

  /** Unix time in seconds. */
  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** The next message id in a chat. */
  nextMessageId(chatId: number): number {
    const next = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, next);
    return next;
  }

  /** The key of a message in {@link messages}. */
  messageKey(chatId: number, messageId: number): string {
    return `${chatId}:${messageId}`;
  }

  /** Stores a message (new or edited). */
  storeMessage(message: Message): void {
    this.messages.set(this.messageKey(message.chat.id, message.message_id), message);
  }

  /** A known message, or undefined. */
  findMessage(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(this.messageKey(chatId, messageId));
  }

  /** Remembers a user (for chat members, text mentions and private chats). */
  rememberUser(user: User): void {
    this.users.set(user.id, { ...this.users.get(user.id), ...user });
  }

  /** Remembers a chat. */
  rememberChat(chat: Chat): void {
    this.chats.set(chat.id, { ...this.chats.get(chat.id), ...chat });
  }

  /** A known chat, or one synthesized from its id (a private chat with a known user takes their names). */
  chat(chatId: number): Chat {
    const known = this.chats.get(chatId);
    if (known !== undefined) return known;
    const type = chatTypeOf(chatId);
    if (type !== 'private') return { id: chatId, type, title: `Test ${type} ${chatId}` };
    const user = this.users.get(chatId);
    return { id: chatId, type, first_name: user?.first_name ?? `User ${chatId}`, ...(user?.username === undefined ? {} : { username: user.username }) };
  }

  /** A chat found by `@username`, or undefined. */
  chatByUsername(username: string): Chat | undefined {
    const wanted = username.replace(/^@/, '').toLowerCase();
    return [...this.chats.values()].find((chat) => chat.username?.toLowerCase() === wanted);
  }

  /** Registers a file so `getFile` describes it and the download route serves it. */
  registerFile(spec: FileSpec): StoredFile {
    this.fileCount += 1;
    const n = this.fileCount;
    const bytes = spec.content === undefined
      ? Buffer.alloc(Math.min(spec.fileSize ?? 1024, 1024 * 1024), `file ${n} `)
      : Buffer.from(spec.content);
    const serial = Buffer.from(`sciweek-test-file-${n}-${spec.kind}`).toString('base64url');
    const extension = spec.kind === 'photo' ? 'jpg' : spec.kind === 'video' ? 'mp4' : /\.([A-Za-z0-9]+)$/.exec(spec.fileName ?? '')?.[1] ?? 'dat';
    const file: StoredFile = {
      file_id: `${FILE_ID_PREFIX[spec.kind]}${serial}`,
      file_unique_id: `AgAD${String(n).padStart(4, '0')}`,
      file_path: `${FILE_FOLDER[spec.kind]}/file_${n}.${extension}`,
      file_size: spec.fileSize ?? bytes.length,
      kind: spec.kind,
      bytes,
      ...(spec.fileName === undefined ? {} : { fileName: spec.fileName }),
      ...(spec.mimeType === undefined ? {} : { mimeType: spec.mimeType }),
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  /**
   * The sizes Telegram lists for a photo (thumbnails up to the full `width`×`height`), smallest first;
   * each size's file_id is registered for the same bytes.
   */
  photoSizes(file: StoredFile, width: number, height: number): PhotoSize[] {
    const widths = [90, 320, 800].filter((w) => w < width);
    return [...widths, width].map((w, index, all) => {
      const last = index === all.length - 1;
      const size: PhotoSize = {
        file_id: last ? file.file_id : `${file.file_id}_${w}`,
        file_unique_id: last ? file.file_unique_id : `${file.file_unique_id}_${w}`,
        width: w,
        height: Math.max(1, Math.round((height * w) / width)),
        file_size: last ? file.file_size : Math.max(1, Math.round((file.file_size * w * w) / (width * width))),
      };
      if (!last) this.files.set(size.file_id, file);
      return size;
    });
  }

  /** A fresh callback query id (a long numeric string, as Telegram's are). */
  newCallbackQueryId(): string {
    this.callbackCount += 1;
    return `40${String(this.callbackCount).padStart(17, '0')}`;
  }

  /** The key of a chat member in {@link members}. */
  memberKey(chatId: number, userId: number): string {
    return `${chatId}:${userId}`;
  }

  /** The key of a command list in {@link commands}: scope JSON (`default` when absent) and language code. */
  commandsKey(scope: unknown, languageCode: string | undefined): string {
    const scopeKey = scope === undefined ? '{"type":"default"}' : JSON.stringify(scope);
    return `${scopeKey}|${languageCode ?? ''}`;
  }
}
