/**
 * The one HTTP server on PORT: health (`/healthz`), readiness (`/readyz`, the store answers),
 * metrics (`/metrics`), and the routes adapters add (the Slack events path, the Telegram webhook).
 * A request answered before its body was read (refused: too large, unsigned) has the rest of its
 * body discarded up to a bound, then its connection is closed, so it cannot hold a socket open.
 */
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
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** What the built-in routes need. */
export interface HttpServerDeps {
  ready: () => Promise<void>;
  registry: Registry;
  log: Logger;
  /** How long /readyz waits for the store before answering 503. */
  readyTimeoutMs?: number;
  /** How long close() lets in-flight requests finish before cutting them. */
  closeGraceMs?: number;
}

/** The largest request body any route reads (Slack and Telegram send far smaller ones). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** After an early answer, how much of the unread body is skipped, and for how long, before the socket is closed. */
const DISCARD_LIMIT_BYTES = MAX_BODY_BYTES;
const DISCARD_LIMIT_MS = 2000;

/**
 * What follows an answer given before the request's body was read to its end: the rest is read and
 * dropped (so the socket sees the client finish, and keep-alive goes on); a client that keeps sending
 * past the bound, or whose body the route stopped reading, loses its connection within the bound.
 */
function discardRest(req: IncomingMessage, socket: Socket): void {
  const close = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(close, DISCARD_LIMIT_MS);
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
    if (bytes > DISCARD_LIMIT_BYTES) close();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('error', close);
  req.resume();
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
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
  routes.set(key('GET', '/metrics'), async (_req, res) => {
    send(res, 200, await deps.registry.metrics(), deps.registry.contentType);
  });

  const server = createServer((req, res) => {
    const socket = req.socket;
    res.once('finish', () => {
      if (!req.complete && !socket.destroyed) discardRest(req, socket);
    });
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
      deps.log.error({ err, path }, 'http handler failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

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
