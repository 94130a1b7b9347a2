/**
 * A small, faithful stand-in of the Telegram Bot API as a real HTTP server on 127.0.0.1, for end-to-end
 * tests of a grammY bot whose `client.apiRoot` points at {@link BotApi.apiRoot}. It serves
 * `POST|GET /bot<token>/<method>` (JSON, urlencoded, query string or multipart/form-data — grammY's
 * `attach://` uploads included) and file downloads at `/file/bot<token>/<file_path>`, answers with the
 * Bot API's envelopes and error texts, and lets the test queue updates, inject failures, drive a
 * webhook and inspect every call. Shapes follow https://core.telegram.org/bots/api.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fixtures from './telegram-bot-api-fixtures.js';
import { ApiFailure, readParams, writeResponse } from './telegram-bot-api-http.js';
import { Described, createMethods } from './telegram-bot-api-methods.js';
import { BotApiState, type FileSpec } from './telegram-bot-api-state.js';
import type {
  ApiResponse, BotCommand, CallRecord, ChatMemberStatus, Failure, File, Params, SentMessage, Update, UpdateInput, UploadedPart,
} from './telegram-bot-api-types.js';
import { UpdateFeed, type Webhook } from './telegram-bot-api-updates.js';

export type * from './telegram-bot-api-types.js';
export type {
  CallbackQueryOptions, DocumentMessageOptions, MessageOptions, PhotoMessageOptions, TextMessageOptions, VideoMessageOptions,
} from './telegram-bot-api-fixtures.js';
export type { FileSpec } from './telegram-bot-api-state.js';
export type { Webhook } from './telegram-bot-api-updates.js';

/** Options of {@link startBotApi}. */
export interface BotApiOptions {
  /** The bot token the server accepts (`<bot id>:<secret>`); `123456:TEST-token` by default. */
  token?: string;
  /** The bot's username (no `@`); `sciweek_test_bot` by default. */
  botUsername?: string;
}

/** A running Bot API stand-in. */
export interface BotApi {
  /** `http://127.0.0.1:<port>` — grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  /**
   * Every call received, in arrival order — wrong-token ones included (answered 401), held long polls
   * too (`response` is set once answered).
   */
  readonly calls: readonly CallRecord[];
  /** The calls of one method (case-insensitive). */
  callsOf(method: string): CallRecord[];
  /** Messages the bot sent (sendMessage / sendDocument / sendPhoto) to a chat — or to any chat — in order. */
  sentMessages(chatId?: number): SentMessage[];
  /**
   * Queues an update for getUpdates (update_id assigned, increasing, when missing) and returns it. As in
   * Telegram, an update whose kind is outside the bot's allowed_updates is dropped, not queued.
   */
  pushUpdate(update: UpdateInput): Update;
  /** Updates queued and not yet confirmed by an `offset`. */
  pendingUpdates(): Update[];
  /** A user's text message (bot_command entity for a leading `/cmd`, mention entities for `@<bot>`). */
  textMessage(options: fixtures.TextMessageOptions): UpdateInput;
  /** A press on an inline button of a message the bot sent. */
  callbackQuery(options: fixtures.CallbackQueryOptions): UpdateInput;
  /** A user's photo (registered file ids per size). */
  photoMessage(options: fixtures.PhotoMessageOptions): UpdateInput;
  /** A user's document (registered file id). */
  documentMessage(options: fixtures.DocumentMessageOptions): UpdateInput;
  /** A user's video (registered file id). */
  videoMessage(options: fixtures.VideoMessageOptions): UpdateInput;
  /** Registers a file (e.g. to send by file_id); getFile and the download route then know it. */
  registerFile(spec: FileSpec): File;
  /** Sets what getChatMember answers for a user in a chat. */
  setChatMember(chatId: number, userId: number, status: ChatMemberStatus): void;
  /** Makes the next `times` calls of `method` fail with the error (or a dropped connection) before running. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** An outage: until called again with undefined, every call (getUpdates too) fails with `failure`. */
  setOutage(failure: Failure | undefined): void;
  /** Holds every call of `method` for `ms` before running it (0 ends it): a slow Bot API. */
  delay(method: string, ms: number): void;
  /**
   * POSTs an update to the registered webhook as Telegram does, with `X-Telegram-Bot-Api-Secret-Token`
   * (the registered secret_token, `secret` when given, none for `null`); runs a method call carried
   * in the reply body. Resolves with the HTTP status.
   */
  deliverWebhook(update: UpdateInput, options?: { secret?: string | null }): Promise<number>;
  /** The registered webhook, if any. */
  webhook(): Webhook | undefined;
  /** The commands stored by setMyCommands for a scope (default scope when left out) and language. */
  commands(options?: { scope?: Record<string, unknown>; languageCode?: string }): BotCommand[] | undefined;
  /** Resolves with the first recorded call that satisfies `predicate`; rejects after `timeoutMs` (5 s). */
  waitFor(predicate: (call: CallRecord) => boolean, timeoutMs?: number): Promise<CallRecord>;
  /** Ends a held long poll, closes every connection and stops the server. */
  close(): Promise<void>;
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden: bot was blocked by the user', 404: 'Not Found',
  409: 'Conflict', 500: 'Internal Server Error', 502: 'Bad Gateway',
};

/** The error body of an injected failure (429 gets `retry after N` and `parameters.retry_after`). */
function failureBody(failure: Exclude<Failure, { drop: true }>): ApiResponse {
  const code = failure.error_code;
  const parameters = code === 429 ? { retry_after: 5, ...failure.parameters } : failure.parameters;
  const fallback = code === 429 ? `Too Many Requests: retry after ${parameters?.retry_after ?? 5}` : DEFAULT_DESCRIPTIONS[code] ?? `Error ${code}`;
  return { ok: false, error_code: code, description: failure.description ?? fallback, ...(parameters === undefined ? {} : { parameters }) };
}

/** Starts the stand-in on 127.0.0.1 on a free port. */
export async function startBotApi(options: BotApiOptions = {}): Promise<BotApi> {
  const token = options.token ?? '123456:TEST-token';
  const username = options.botUsername ?? 'sciweek_test_bot';
  const state = new BotApiState({
    id: Number(/^(\d+):/.exec(token)?.[1] ?? 123456), is_bot: true, first_name: 'SciWeek Test Bot', username,
    can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
    can_connect_to_business: false, has_main_web_app: false,
  });
  const feed = new UpdateFeed();
  const methods = createMethods(state, feed);
  const calls: CallRecord[] = [];
  const failures = new Map<string, Failure[]>();
  const delays = new Map<string, number>();
  let outage: Failure | undefined;

  /** Runs one call and answers it; `undefined` means the connection is to be dropped. */
  async function dispatch(method: string, params: Params, files: UploadedPart[], signal: AbortSignal): Promise<ApiResponse | undefined> {
    const entry = methods.get(method.toLowerCase());
    const record: CallRecord = { method: entry?.name ?? method, params, files, at: Date.now() };
    calls.push(record);
    const failure = outage ?? failures.get(method.toLowerCase())?.shift();
    const held = delays.get(method.toLowerCase()) ?? 0;
    if (failure === undefined && held > 0) await new Promise((resolve) => setTimeout(resolve, held));
    let response: ApiResponse;
    if (failure !== undefined && 'drop' in failure) {
      record.response = 'dropped';
      return undefined;
    } else if (failure !== undefined) {
      response = failureBody(failure);
    } else if (entry === undefined) {
      response = { ok: false, error_code: 404, description: 'Not Found' };
    } else {
      try {
        const out = await entry.handler({ params, files, signal });
        response = out instanceof Described ? { ok: true, result: out.result, description: out.description } : { ok: true, result: out };
      } catch (error) {
        if (!(error instanceof ApiFailure)) throw error;
        response = { ok: false, error_code: error.code, description: error.description, ...(error.parameters === undefined ? {} : { parameters: error.parameters }) };
      }
    }
    record.response = response;
    return response;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file !== null) {
      const stored = file[1] === token ? state.filesByPath.get(decodeURIComponent(file[2] ?? '')) : undefined;
      if (file[1] !== token) return writeResponse(response, { ok: false, error_code: 401, description: 'Unauthorized' });
      if (stored === undefined) return writeResponse(response, { ok: false, error_code: 404, description: 'Not Found' });
      response.writeHead(200, { 'content-type': stored.mimeType ?? 'application/octet-stream', 'content-length': stored.bytes.length });
      response.end(stored.bytes);
      return;
    }
    const call = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    if (call === null || call[2] === '') return writeResponse(response, { ok: false, error_code: 404, description: 'Not Found' });
    const aborted = new AbortController();
    response.on('close', () => {
      if (!response.writableEnded) aborted.abort();
    });
    let body: ApiResponse | undefined;
    try {
      const { params, files } = await readParams(request, url);
      if (call[1] === token) {
        body = await dispatch(call[2] ?? '', params, files, aborted.signal);
      } else {
        body = { ok: false, error_code: 401, description: 'Unauthorized' };
        const method = call[2] ?? '';
        calls.push({ method: methods.get(method.toLowerCase())?.name ?? method, params, files, at: Date.now(), response: body });
      }
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : new ApiFailure(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`);
      body = { ok: false, error_code: failure.code, description: failure.description };
    }
    if (body === undefined) {
      request.socket.destroy();
      return;
    }
    if (!response.destroyed && !response.writableEnded) writeResponse(response, body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) writeResponse(response, { ok: false, error_code: 500, description: 'Internal Server Error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  /** Remembers what a raw update carries (message, chat, sender, callback query id). */
  function absorb(update: UpdateInput): void {
    const message = update.message ?? update.edited_message;
    if (message !== undefined) {
      state.storeMessage(message);
      state.rememberChat(message.chat);
      if (message.from !== undefined) state.rememberUser(message.from);
    }
    const query = update.callback_query;
    if (query !== undefined && !state.callbackQueries.has(query.id)) state.callbackQueries.set(query.id, { answered: false });
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    callsOf: (method) => calls.filter((record) => record.method.toLowerCase() === method.toLowerCase()),
    sentMessages: (chatId) => state.sent.filter((message) => chatId === undefined || message.chat_id === chatId),
    pushUpdate: (update) => {
      absorb(update);
      return feed.push(update);
    },
    pendingUpdates: () => feed.pending(),
    textMessage: (o) => fixtures.textMessage(state, o),
    callbackQuery: (o) => fixtures.callbackQuery(state, o),
    photoMessage: (o) => fixtures.photoMessage(state, o),
    documentMessage: (o) => fixtures.documentMessage(state, o),
    videoMessage: (o) => fixtures.videoMessage(state, o),
    registerFile: (spec) => {
      const { file_id, file_unique_id, file_size, file_path } = state.registerFile(spec);
      return { file_id, file_unique_id, file_size, file_path };
    },
    setChatMember: (chatId, userId, status) => {
      state.members.set(state.memberKey(chatId, userId), status);
    },
    failNext: (method, failure, times = 1) => {
      const queue = failures.get(method.toLowerCase()) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method.toLowerCase(), queue);
    },
    setOutage: (failure) => {
      outage = failure;
    },
    delay: (method, ms) => {
      delays.set(method.toLowerCase(), ms);
    },
    deliverWebhook: async (update, o = {}) => {
      absorb(update);
      const { status, reply } = await feed.deliver(update, o.secret);
      const method = (reply as Params | undefined)?.method;
      if (typeof method === 'string') {
        const { method: _method, ...params } = reply as Params;
        await dispatch(method, params, [], new AbortController().signal);
      }
      return status;
    },
    webhook: () => feed.webhook,
    commands: (o = {}) => state.commands.get(state.commandsKey(o.scope, o.languageCode)),
    waitFor: async (predicate, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() >= deadline) {
          throw new Error(`waitFor: no matching call within ${timeoutMs} ms; calls so far: ${calls.map((c) => c.method).join(', ') || 'none'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      feed.close();
      await new Promise((resolve) => setImmediate(resolve)); // let a released long poll's answer go out
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 100);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
