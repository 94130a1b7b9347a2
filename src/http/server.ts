/**
 * The one HTTP server on PORT: health (`/healthz`), readiness (`/readyz`, the store answers),
 * metrics (`/metrics`, behind a bearer token when one is set), and the routes adapters add (the Slack
 * events path, the Telegram webhook). Slow and oversized requests are cut within seconds: the headers
 * and the body each have a deadline, a body declared larger than any route reads is refused before a
 * byte of it is read, and a request answered before its body was read (refused: unsigned, too large)
 * has the rest discarded up to a bound, then its connection is closed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../kernel/logger.js';
import type { Registry } from 'prom-client';

/** A route handler; it must answer the response itself. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** The server and a way to add routes before or after it listens. */
export interface HttpServer {
  server: Server;
  route(method: string, path: string, handler: RouteHandler): void;
  /** Listens on `host` (every interface when omitted) and resolves with the port. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** How long a client may take; every limit ends in a closed connection. */
export interface HttpTimeouts {
  /** From the connection (or the previous request) to the end of the headers; then 408 and closed. */
  headersMs: number;
  /** From the end of the headers to the end of the body, however it trickles; then 408 and closed. */
  bodyMs: number;
  /** After an answer given before the body was read, how long the rest may take to arrive and be dropped. */
  discardMs: number;
  /** How often Node looks for connections past their header deadline (its own default is 30 s). */
  checkIntervalMs: number;
}

/** The limits the service runs with. */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 5_000, bodyMs: 10_000, discardMs: 1_000, checkIntervalMs: 1_000 };

/** What the built-in routes need. */
export interface HttpServerDeps {
  ready: () => Promise<void>;
  registry: Registry;
  log: Logger;
  /** When set, /metrics answers only requests with `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** How long /readyz waits for the store before answering 503. */
  readyTimeoutMs?: number;
  /** How long close() lets in-flight requests finish before cutting them. */
  closeGraceMs?: number;
  /** Any of the limits, instead of DEFAULT_HTTP_TIMEOUTS. */
  timeouts?: Partial<HttpTimeouts>;
}

/** The largest request body any route reads (Slack and Telegram send far smaller ones). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** After an early answer, how much of the unread body is skipped before the socket is closed. */
const DISCARD_LIMIT_BYTES = MAX_BODY_BYTES;

/** Written straight to the socket when a body is too slow and nothing was answered yet (as Node does for slow headers). */
const BODY_TIMEOUT_ANSWER = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * What follows an answer given before the request's body was read to its end: the rest is read and
 * dropped, so the client sees its answer rather than a reset, then the connection is closed (the
 * answer was a refusal: no further request is taken on it). A client that sends more than the bound,
 * or does not finish within `ms`, loses its connection then.
 */
function discardRest(req: IncomingMessage, socket: Socket, ms: number): void {
  const timer = setTimeout(() => socket.destroy(), ms);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  if (req.destroyed) {
    // The route gave up on the body (its stream is destroyed): nothing reads the socket any more.
    socket.end();
    return;
  }
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > DISCARD_LIMIT_BYTES) socket.destroy();
  });
  req.once('end', () => socket.end());
  req.once('error', () => socket.destroy());
  req.resume();
}

/**
 * Cuts a request whose body did not arrive within the deadline: a 408 when nothing was answered yet,
 * then the connection is closed; the route reading the body sees it aborted.
 */
function cutSlowBody(res: ServerResponse, socket: Socket): void {
  if (res.headersSent || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(BODY_TIMEOUT_ANSWER, () => socket.destroy());
}

/** The body length the request declares (0 without a Content-Length). */
function declaredLength(req: IncomingMessage): number {
  const header = req.headers['content-length'];
  return header === undefined ? 0 : Number(header);
}

/** Whether the Authorization header carries `Bearer <token>`; compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  const same = timingSafeEqual(digest(given ?? ''), digest(token));
  return same && given !== undefined;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Creates the server with the built-in routes. */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const limits: HttpTimeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...deps.timeouts };
  const routes = new Map<string, RouteHandler>();
  const key = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
  routes.set(key('GET', '/healthz'), (_req, res) => send(res, 200, 'ok\n'));
  routes.set(key('GET', '/readyz'), async (_req, res) => {
    try {
      await withTimeout(deps.ready(), deps.readyTimeoutMs ?? 2000);
      send(res, 200, 'ready\n');
    } catch (err) {
      deps.log.warn({ err }, 'not ready');
      send(res, 503, 'store unavailable\n');
    }
  });
  const { metricsToken } = deps;
  routes.set(key('GET', '/metrics'), async (req, res) => {
    if (metricsToken !== undefined && !bearerMatches(req.headers.authorization, metricsToken)) {
      send(res, 401, 'unauthorized\n', { 'www-authenticate': 'Bearer' });
      return;
    }
    send(res, 200, await deps.registry.metrics(), { 'content-type': deps.registry.contentType });
  });

  const server = createServer(
    {
      // Node cuts slow headers itself (408) and, as a backstop, any request not received in full
      // within both deadlines; it looks every checkIntervalMs.
      headersTimeout: limits.headersMs,
      requestTimeout: limits.headersMs + limits.bodyMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (req, res) => {
      const socket = req.socket;
      let closing = false;
      const bodyTimer = setTimeout(() => {
        if (req.complete || socket.destroyed) return;
        deps.log.warn({ method: req.method }, 'http request body too slow: connection closed');
        cutSlowBody(res, socket);
      }, limits.bodyMs);
      bodyTimer.unref();
      res.once('finish', () => {
        clearTimeout(bodyTimer);
        if (!closing && !req.complete && !socket.destroyed) discardRest(req, socket, limits.discardMs);
      });
      if (declaredLength(req) > MAX_BODY_BYTES) {
        // Refused before a byte of the body is read; Node closes the connection after the answer.
        closing = true;
        send(res, 413, 'payload too large\n', { connection: 'close' });
        return;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const handler = routes.get(key(req.method ?? 'GET', path));
      if (handler === undefined) {
        const known = [...routes.keys()].some((k) => k.endsWith(` ${path}`));
        send(res, known ? 405 : 404, known ? 'method not allowed\n' : 'not found\n');
        return;
      }
      Promise.resolve()
        .then(() => handler(req, res))
        .catch((err: unknown) => {
          if (socket.destroyed) {
            // The request was cut (too slow) or its client went away while the route read it.
            deps.log.warn({ err, path }, 'http request ended before its handler answered');
            return;
          }
          deps.log.error({ err, path }, 'http handler failed');
          if (!res.headersSent) send(res, 500, 'internal error\n');
          else res.destroy();
        });
    },
  );

  return {
    server,
    route: (method, path, handler) => routes.set(key(method, path), handler),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        // In-flight requests get a grace period; idle keep-alive sockets are closed at once.
        const force = setTimeout(() => server.closeAllConnections(), deps.closeGraceMs ?? 5000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
