/**
 * Shapes of the Telegram Bot API objects the stand-in server (`telegram-bot-api.ts`) produces, after
 * https://core.telegram.org/bots/api — only the fields it fills — plus the records it keeps for tests.
 */

/** Chat kinds of the Bot API `Chat.type`. */
export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

/** Bot API `User`. */
export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** Bot API `User` as `getMe` returns it. */
export interface BotUser extends User {
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
}

/** Bot API `Chat`. */
export interface Chat {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

/** Bot API `MessageEntity`. */
export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  user?: User;
  language?: string;
  custom_emoji_id?: string;
}

/** Bot API `InlineKeyboardButton` (the fields the server looks at; others pass through). */
export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  [field: string]: unknown;
}

/** Bot API `InlineKeyboardMarkup`. */
export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

/** Any `reply_markup`: an inline keyboard, or a reply keyboard / removal / force-reply object kept as sent. */
export type ReplyMarkup = InlineKeyboardMarkup | { [field: string]: unknown };

/** Bot API `PhotoSize`. */
export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

/** Bot API `Document`. */
export interface Document {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

/** Bot API `Video`. */
export interface Video {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  duration: number;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

/** Bot API `Message`. */
export interface Message {
  message_id: number;
  from?: User;
  chat: Chat;
  date: number;
  edit_date?: number;
  reply_to_message?: Message;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: Document;
  video?: Video;
  reply_markup?: ReplyMarkup;
}

/** Bot API `CallbackQuery`. */
export interface CallbackQuery {
  id: string;
  from: User;
  message?: Message;
  inline_message_id?: string;
  chat_instance: string;
  data?: string;
}

/** An update to queue: `update_id` is assigned (increasing) when left out. */
export interface UpdateInput {
  update_id?: number;
  message?: Message;
  edited_message?: Message;
  channel_post?: Message;
  callback_query?: CallbackQuery;
  /** Kinds the stand-in does not model (my_chat_member, …) pass through as given. */
  [kind: string]: unknown;
}

/** Bot API `Update`. */
export interface Update extends UpdateInput {
  update_id: number;
}

/** Bot API `File`. */
export interface File {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_path?: string;
}

/** Statuses of Bot API `ChatMember`. */
export type ChatMemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/** Bot API `ChatMember` (owner / administrator / member / restricted / left / banned variants). */
export interface ChatMember {
  status: ChatMemberStatus;
  user: User;
  is_anonymous?: boolean;
  is_member?: boolean;
  until_date?: number;
  [right: string]: unknown;
}

/** Bot API `BotCommand`. */
export interface BotCommand {
  command: string;
  description: string;
}

/** Bot API `WebhookInfo`. */
export interface WebhookInfo {
  url: string;
  has_custom_certificate: boolean;
  pending_update_count: number;
  max_connections?: number;
  allowed_updates?: string[];
}

/** Bot API `ResponseParameters`. */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** The error object of a failed call. */
export interface ApiError {
  ok: false;
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** The object of a successful call. */
export interface ApiSuccess {
  ok: true;
  result: unknown;
  description?: string;
}

/** Any Bot API response body. */
export type ApiResponse = ApiSuccess | ApiError;

/** An error to inject with `failNext`: an API error (description defaults by code), or a dropped connection. */
export type Failure = { error_code: number; description?: string; parameters?: ResponseParameters } | { drop: true };

/** Request parameters as received (JSON values, or strings from multipart/query/urlencoded bodies). */
export type Params = Record<string, unknown>;

/** A file part of a multipart request. */
export interface UploadedPart {
  /** The form field name (a random id for grammY's `attach://` parts). */
  field: string;
  fileName: string;
  /** The part's Content-Type, or one inferred from the file name. */
  mimeType: string;
  bytes: Buffer;
}

/** One API call the server received. */
export interface CallRecord {
  /** Canonical method name (`sendMessage`, also when called as `sendmessage`); as given when unknown. */
  method: string;
  params: Params;
  files: UploadedPart[];
  /** `Date.now()` when the request arrived. */
  at: number;
  /** What the server answered; undefined while pending (a held long poll). */
  response?: ApiResponse | 'dropped';
}

/** A file the bot sent with sendDocument / sendPhoto. */
export interface SentFile {
  fileId: string;
  fileName?: string;
  mimeType?: string;
  /** The bytes uploaded, or those registered for a reused file_id (empty for URLs). */
  bytes: Buffer;
  /** True when uploaded in this call (multipart), false for a file_id or URL. */
  uploaded: boolean;
}

/** The text (or caption) of a bot message as sent, and as Telegram parsed it. */
export interface SentContent {
  /** The raw text / caption as sent (HTML markup included). */
  text: string;
  parse_mode?: string;
  /** The text after entity parsing, as users see it. */
  plainText: string;
  entities: MessageEntity[];
  reply_markup?: ReplyMarkup;
}

/** A message the bot sent; `text`…`reply_markup` hold the current version, `history` the earlier ones. */
export interface SentMessage extends SentContent {
  message_id: number;
  chat_id: number;
  method: string;
  date: number;
  document?: SentFile;
  photo?: SentFile;
  history: SentContent[];
  /** The current Message as Telegram would return it. */
  message: Message;
}
