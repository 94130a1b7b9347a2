/**
 * Shapes of the Slack Web API stand-in (`slack-api.ts`) and its Socket Mode companion
 * (`slack-api-socket.ts`): options, the records they keep for tests, and the two server interfaces.
 */
import type { JsonObject } from './slack-api-ids.js';

/** A Web API answer: `{ ok: true, … }` or `{ ok: false, error, response_metadata? }`. */
export interface ApiResponse {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

/** One Web API call as the server received it. */
export interface CallRecord {
  /** The method name from the path (`chat.postMessage`). */
  method: string;
  /** Arguments, decoded: form fields, JSON body or query; `blocks`/`view`/`attachments` parsed, `true`/`false` as booleans. */
  params: JsonObject;
  /** The token used (`Authorization: Bearer …`, else a `token` argument). */
  token: string | undefined;
  /** The request's `content-type` header (`application/x-www-form-urlencoded` from `WebClient`). */
  contentType: string;
  /** When it arrived (ms since epoch). */
  at: number;
  /** The HTTP status answered (200, or an injected 429/5xx). */
  status: number;
  /** The body answered. */
  response: ApiResponse;
}

/** An injected failure: a platform error (HTTP 200), a rate limit (429 + `Retry-After`), or a server error. */
export type Failure =
  | { error: string; messages?: string[] }
  | { status: 429; retryAfterSeconds: number }
  | { status: 500 | 502 | 503 };

/** Slack down: every call answers a 5xx, or nothing listens on the port (connections refused). */
export type Outage = { status: 500 | 502 | 503 } | { refuse: true };

/** A workspace member `users.info` knows. */
export interface UserSpec {
  name: string;
  real_name?: string;
  /** The profile's e-mail and phone (users:read.email), when given. */
  email?: string;
  phone?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  /** Only returned when the call passes `include_locale: true`, as in Slack. */
  locale?: string;
  /** IANA zone (`Asia/Shanghai`); `tz_offset` is derived from it. */
  tz?: string;
}

/** A conversation `conversations.info` knows (ids not registered are derived from their prefix). */
export interface ChannelSpec {
  id: string;
  type: 'im' | 'channel' | 'group' | 'mpim';
  name?: string;
  /** For `im`: the other member. */
  user?: string;
}

/** A file to register for `files.info` and downloads from `url_private`. */
export interface FileSpec {
  id: string;
  name: string;
  mimetype: string;
  /** Bytes served at `url_private`/`url_private_download`; `size` defaults to their length. */
  content?: string | Uint8Array;
  size?: number;
  filetype?: string;
  title?: string;
  user?: string;
}

/** A Slack file object as `files.info` and message events carry it. */
export interface SlackFile extends JsonObject {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  url_private: string;
  url_private_download: string;
}

/** One version of a posted message. */
export interface MessageVersion {
  method: 'chat.postMessage' | 'chat.update';
  text: string;
  blocks: JsonObject[] | undefined;
  at: number;
}

/** A message the bot posted, in its latest version, with every version in `history`. */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: JsonObject[] | undefined;
  thread_ts: string | undefined;
  mrkdwn: boolean | undefined;
  user: string;
  history: MessageVersion[];
}

/** An ephemeral message (`chat.postEphemeral`). */
export interface EphemeralMessage {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks: JsonObject[] | undefined;
  thread_ts: string | undefined;
}

/** A view the bot opened, pushed or updated, as the server holds it now. */
export interface OpenedView {
  id: string;
  hash: string;
  /** The view object as returned to the bot (`callback_id`, `private_metadata`, `blocks`, `state`, …). */
  view: JsonObject;
  root_view_id: string;
  previous_view_id: string | null;
  /** Methods that touched it, in order (`views.open`, `views.update`, …). */
  history: string[];
}

/** A Socket Mode acknowledgement as the client sent it. */
export interface SocketAck {
  envelope_id: string;
  payload?: JsonObject;
  [field: string]: unknown;
}

/** Envelope types Slack sends over Socket Mode. */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** Options of {@link SocketModeServer.deliver}. */
export interface DeliverOptions {
  /** Defaults: false for `events_api`, true for `slash_commands` and `interactive` (as Slack sends them). */
  acceptsResponsePayload?: boolean;
  /** `events_api` only: `retry_attempt` (0) and `retry_reason` (''). */
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack before rejecting; 5 s by default. */
  timeoutMs?: number;
}

/** The Socket Mode stand-in: a `ws` WebSocket server whose URL `apps.connections.open` hands out. */
export interface SocketModeServer {
  /** `ws://127.0.0.1:<port>` (tickets are appended per `apps.connections.open`). */
  readonly origin: string;
  /** Mints a one-use connection URL (`…/link/?ticket=…&app_id=…`) — what `apps.connections.open` returns. */
  openUrl(): string;
  /** Open connections that received `hello`. */
  connectionCount(): number;
  /** Resolves once a client has connected and been sent `hello`; rejects after `timeoutMs` (5 s). */
  waitForConnection(timeoutMs?: number): Promise<void>;
  /** Sends an envelope to the newest connection; resolves with its ack, rejects on timeout or no connection. */
  deliver(type: EnvelopeType, payload: JsonObject, options?: DeliverOptions): Promise<SocketAck>;
  /** Every envelope sent, in order. */
  readonly envelopes: readonly JsonObject[];
  /** Every ack received, in order. */
  readonly acks: readonly SocketAck[];
  /** Text frames from clients that were not acks (parsed when JSON). */
  readonly received: readonly unknown[];
  /** WebSocket pings received from clients (answered with pongs automatically). */
  clientPings(): number;
  /** Pongs received for the server's own pings (`pingIntervalMs`). */
  pongs(): number;
  /** Sends Slack's `{ type: 'disconnect', reason }` to every connection (a client then reconnects). */
  sendDisconnect(reason?: 'warning' | 'refresh_requested' | 'link_disabled'): void;
  /** Drops every connection without a close handshake. */
  terminateConnections(): void;
  /**
   * Stops the server: waits up to 250 ms for open connections to go away (a client closing itself),
   * then drops the rest. Disconnect clients first, or auto-reconnect will call apps.connections.open again.
   */
  close(): Promise<void>;
}

/** A running Web API stand-in. */
export interface SlackApi {
  /** `http://127.0.0.1:<port>/api/` — `WebClient`'s `slackApiUrl`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>` (files are served under it). */
  readonly origin: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly appId: string;
  /** The Socket Mode stand-in, when one is attached (`socketMode: true`, or {@link attachSocketMode}). */
  readonly socketMode: SocketModeServer | undefined;
  /** Points `apps.connections.open` at a Socket Mode stand-in (closed by {@link close} too). */
  attachSocketMode(server: SocketModeServer): void;
  /** Every call received, in arrival order (wrong-token and failed ones included). */
  readonly calls: readonly CallRecord[];
  /** The calls of one method. */
  callsOf(method: string): CallRecord[];
  /** Messages the bot posted (and maybe updated), in posting order; one channel's or all. */
  messages(channel?: string): StoredMessage[];
  /** Ephemeral messages the bot posted; one channel's or all. */
  ephemerals(channel?: string): EphemeralMessage[];
  /** Files uploaded (files.getUploadURLExternal + completeUploadExternal) and shared to a channel, in order. */
  sharedFiles(channel?: string): { fileId: string; channel: string; filename: string; content: Buffer; initialComment?: string }[];
  /** Views opened/pushed (latest state), in opening order. */
  views(): OpenedView[];
  /** Makes the next `times` (1) calls of `method` fail, before running. */
  failNext(method: string, failure: Failure, times?: number): void;
  /**
   * An outage until called again with undefined: every call answers the 5xx, or connections are
   * refused (the port stops listening; a kept-alive connection is cut). Resolves once in effect.
   */
  setOutage(outage: Outage | undefined): Promise<void>;
  /** Hears every call once it is answered, in order: a test can change the stand-in between two calls. */
  onAnswered(listener: (call: CallRecord) => void): void;
  /** Registers a file for `files.info` and `url_private` downloads; returns its Slack file object. */
  registerFile(spec: FileSpec): SlackFile;
  /** Registers (or overrides) a conversation for `conversations.info`. */
  registerChannel(spec: ChannelSpec): void;
  /** Adds or replaces a workspace member for `users.info`. */
  registerUser(id: string, spec: UserSpec): void;
  /**
   * Mints a trigger id `views.open`/`views.push` accept once within `triggerTtlMs`; `viewId` ties it to
   * an open modal (a trigger from inside it), which `views.push` then stacks on.
   */
  triggerId(options?: { viewId?: string }): string;
  /** Resolves with the first recorded call matching `predicate`; rejects after `timeoutMs` (5 s). */
  waitFor(predicate: (call: CallRecord) => boolean, timeoutMs?: number): Promise<CallRecord>;
  /** Stops the server (and an attached Socket Mode stand-in). */
  close(): Promise<void>;
}
