/**
 * A small, faithful stand-in of the Slack Web API as a real HTTP server on 127.0.0.1, for tests of a Bolt
 * / `@slack/web-api` client whose `slackApiUrl` is {@link SlackApi.apiUrl}. It serves
 * `POST|GET /api/<method>` with form-encoded (what `WebClient` 8 sends), JSON or query arguments and the
 * token as `Authorization: Bearer` (or a `token` argument); answers with Slack's envelopes and error
 * codes (`not_authed`, `invalid_auth`, `not_allowed_token_type`, `unknown_method`, `invalid_blocks`, …);
 * serves registered files at their `url_private`; injects failures (platform errors, 429 with
 * `Retry-After`, 5xx) and outages (5xx, or refused connections); and hands out Socket Mode URLs of
 * `slack-api-socket.ts` from `apps.connections.open`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SLACK_DEFAULTS } from './slack-api-ids.js';
import { parseParams, readBody, SlackError, tokenOf, writeJson } from './slack-api-http.js';
import { createMethods, type MethodEntry } from './slack-api-methods.js';
import { startSocketModeServer } from './slack-api-socket.js';
import { SlackState } from './slack-api-state.js';
import type { ApiResponse, CallRecord, Failure, Outage, SlackApi, SocketModeServer, UserSpec } from './slack-api-types.js';

export type * from './slack-api-types.js';
export { SLACK_DEFAULTS, nextTs, type JsonObject } from './slack-api-ids.js';
export { startSocketModeServer, type SocketModeServerOptions } from './slack-api-socket.js';
export * from './slack-api-requests.js';
export * from './slack-api-payloads.js';

/** Options of {@link startSlackApi}; every id and token defaults to {@link SLACK_DEFAULTS}. */
export interface SlackApiOptions {
  botUserId?: string;
  botId?: string;
  teamId?: string;
  appId?: string;
  /** The bot token (`xoxb-…`) every method but apps.connections.open takes. */
  botToken?: string;
  /** The app-level token (`xapp-…`) apps.connections.open takes. */
  appToken?: string;
  /** Workspace members for users.info, by user id. */
  users?: Record<string, UserSpec>;
  /** Start a Socket Mode stand-in right away (otherwise one starts on the first apps.connections.open). */
  socketMode?: boolean;
  /** Lifetime of minted trigger ids; 3000 ms, as in Slack. */
  triggerTtlMs?: number;
}

const SIGN_IN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to your workspace</body></html>';

/** Starts the stand-in on 127.0.0.1 on a free port. */
export async function startSlackApi(options: SlackApiOptions = {}): Promise<SlackApi> {
  const botToken = options.botToken ?? SLACK_DEFAULTS.botToken;
  const appToken = options.appToken ?? SLACK_DEFAULTS.appToken;
  const calls: CallRecord[] = [];
  const failures = new Map<string, Failure[]>();
  let socketMode: SocketModeServer | undefined;
  let starting: Promise<SocketModeServer> | undefined;
  let outage: Outage | undefined;
  const answered: ((call: CallRecord) => void)[] = [];

  const server = createServer((request, response) => {
    // Refusing: a request on a connection kept alive from before is cut, as a dead host would.
    if (outage !== undefined && 'refuse' in outage) {
      request.socket.destroy();
      return;
    }
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) writeJson(response, 500, { ok: false, error: 'fatal_error', detail: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const state = new SlackState({
    botUserId: options.botUserId ?? SLACK_DEFAULTS.botUserId, botUserName: SLACK_DEFAULTS.botUserName, botId: options.botId ?? SLACK_DEFAULTS.botId,
    teamId: options.teamId ?? SLACK_DEFAULTS.teamId, teamName: SLACK_DEFAULTS.teamName, teamDomain: SLACK_DEFAULTS.teamDomain,
    appId: options.appId ?? SLACK_DEFAULTS.apiAppId, origin, triggerTtlMs: options.triggerTtlMs ?? 3000,
  });
  for (const [id, spec] of Object.entries(options.users ?? {})) state.users.set(id, spec);

  const socketUrl = async (): Promise<string> => {
    if (socketMode === undefined) {
      starting ??= startSocketModeServer(api);
      await starting;
    }
    if (socketMode === undefined) throw new SlackError('internal_error');
    return socketMode.openUrl();
  };
  const methods = createMethods(state, socketUrl);

  /** Checks the token a method needs. */
  function authorize(entry: MethodEntry, token: string | undefined): void {
    if (token === undefined) throw new SlackError('not_authed');
    const wanted = entry.token === 'bot' ? botToken : appToken;
    const other = entry.token === 'bot' ? appToken : botToken;
    if (token === other) throw new SlackError('not_allowed_token_type');
    if (token !== wanted) throw new SlackError('invalid_auth');
  }

  /** Answers one method call and records it. */
  async function call(method: string, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const contentType = request.headers['content-type'] ?? '';
    const record: CallRecord = { method, params: {}, token: undefined, contentType, at: Date.now(), status: 200, response: { ok: false } };
    calls.push(record);
    let headers: Record<string, string> = {};
    let body: ApiResponse;
    try {
      record.params = parseParams(url, contentType, await readBody(request));
      record.token = tokenOf(request, record.params);
      const failure = (outage !== undefined && 'status' in outage ? outage : undefined) ?? failures.get(method)?.shift();
      const entry = methods.get(method);
      if (failure !== undefined && 'status' in failure) {
        record.status = failure.status;
        if (failure.status === 429) headers = { 'retry-after': String(failure.retryAfterSeconds) };
        body = { ok: false, error: failure.status === 429 ? 'ratelimited' : 'fatal_error' };
      } else if (failure !== undefined) {
        body = new SlackError(failure.error, failure.messages).body();
      } else if (entry === undefined) {
        body = { ok: false, error: 'unknown_method', req_method: method };
      } else {
        authorize(entry, record.token);
        body = { ok: true, ...(await entry.handler(record.params)) };
      }
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      body = error.body();
    }
    record.response = body;
    writeJson(response, record.status, body, headers);
    for (const listener of answered) listener(record);
  }

  /** Serves a registered file at its url_private; without the bot token Slack answers a sign-in page, not 401. */
  function download(path: string, request: IncomingMessage, response: ServerResponse): void {
    const match = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/(download\/)?[^/]+$/.exec(path);
    const stored = match === null ? undefined : state.files.get(match[1] ?? '');
    if (stored === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not Found');
    } else if (tokenOf(request, {}) !== botToken) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(SIGN_IN_PAGE);
    } else {
      const disposition = match?.[2] === undefined ? 'inline' : 'attachment';
      response.writeHead(200, {
        'content-type': stored.file.mimetype, 'content-length': stored.content.length,
        'content-disposition': `${disposition}; filename="${encodeURIComponent(stored.file.name)}"`,
      });
      response.end(stored.content);
    }
  }

  /** The upload URL of files.getUploadURLExternal: takes the bytes (raw or multipart, as WebClient sends them). */
  async function receiveUpload(fileId: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pending = state.uploads.get(fileId);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (pending === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not Found');
      return;
    }
    let body = Buffer.concat(chunks);
    const boundary = /boundary=(.+)$/.exec(request.headers['content-type'] ?? '')?.[1];
    if (boundary !== undefined) {
      // multipart/form-data with one file part: the bytes between the part's blank line and the closing boundary.
      const start = body.indexOf('\r\n\r\n') + 4;
      const end = body.lastIndexOf(`\r\n--${boundary}`);
      body = body.subarray(start, end > start ? end : body.length);
    }
    pending.content = body;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`OK - ${body.length}`);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (request.method === 'GET' && url.pathname.startsWith('/files-pri/')) return download(url.pathname, request, response);
    const upload = /^\/upload\/(F[0-9]+)$/.exec(url.pathname)?.[1];
    if (request.method === 'POST' && upload !== undefined) return receiveUpload(upload, request, response);
    const method = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname)?.[1];
    if (method === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not Found');
      return;
    }
    await call(method, request, response, url);
  }

  const api: SlackApi = {
    apiUrl: `${origin}/api/`,
    origin,
    sharedFiles: (channel) => state.shared.filter((entry) => channel === undefined || entry.channel === channel),
    botToken,
    appToken,
    botUserId: state.workspace.botUserId,
    botId: state.workspace.botId,
    teamId: state.workspace.teamId,
    appId: state.workspace.appId,
    get socketMode() {
      return socketMode;
    },
    attachSocketMode: (socket) => {
      socketMode = socket;
    },
    calls,
    callsOf: (method) => calls.filter((record) => record.method === method),
    messages: (channel) => state.messages.filter((m) => channel === undefined || m.channel === channel),
    ephemerals: (channel) => state.ephemerals.filter((m) => channel === undefined || m.channel === channel),
    views: () => [...state.views.values()],
    failNext: (method, failure, times = 1) => {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    setOutage: async (next) => {
      const refusing = outage !== undefined && 'refuse' in outage;
      outage = next;
      const refuse = next !== undefined && 'refuse' in next;
      if (refuse && !refusing) {
        server.close();
        server.closeIdleConnections();
      } else if (!refuse && refusing) {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
      }
    },
    onAnswered: (listener) => {
      answered.push(listener);
    },
    registerFile: (spec) => state.registerFile(spec),
    registerChannel: (spec) => {
      state.channels.set(spec.id, spec);
    },
    registerUser: (id, spec) => {
      state.users.set(id, spec);
    },
    triggerId: (o = {}) => state.mintTrigger(o.viewId),
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
      await socketMode?.close();
      await new Promise<void>((resolve) => {
        // Closed already when refusing connections: the callback then only reports that.
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  if (options.socketMode === true) await startSocketModeServer(api);
  return api;
}

