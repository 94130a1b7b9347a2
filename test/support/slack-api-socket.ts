/**
 * A stand-in of Slack's Socket Mode endpoint: a `ws` WebSocket server on 127.0.0.1 whose one-use URLs
 * (`ws://127.0.0.1:<port>/link/?ticket=…&app_id=…`) the Web API stand-in hands out from
 * `apps.connections.open`. As Slack does (https://docs.slack.dev/apis/events-api/using-socket-mode), it
 * sends `{ type: 'hello', num_connections, debug_info, connection_info: { app_id } }` on connect, sends
 * envelopes `{ envelope_id, type, payload, accepts_response_payload[, retry_attempt, retry_reason] }`,
 * expects acks `{ envelope_id, payload? }`, answers WebSocket pings with pongs (and can ping), and can
 * ask clients to reconnect with `{ type: 'disconnect', reason }`. An unknown or used ticket is refused
 * with HTTP 401 at the upgrade.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { isObject, SLACK_DEFAULTS, type JsonObject } from './slack-api-ids.js';
import type { SlackApi, SocketAck, SocketModeServer } from './slack-api-types.js';

/** Options of {@link startSocketModeServer}. */
export interface SocketModeServerOptions {
  /** Ping every connection this often (off by default; the client's own pings are always answered). */
  pingIntervalMs?: number;
  /** Default ack timeout of `deliver`; 5000 ms. */
  ackTimeoutMs?: number;
}

const HOST = 'applink-sciweek-test-1';

/**
 * Starts the Socket Mode stand-in and, when given the Web API stand-in, attaches itself so
 * `apps.connections.open` returns its URLs (the app id in `hello` is then the API's).
 */
export async function startSocketModeServer(
  api?: Pick<SlackApi, 'appId' | 'attachSocketMode'>,
  options: SocketModeServerOptions = {},
): Promise<SocketModeServer> {
  const appId = api?.appId ?? SLACK_DEFAULTS.apiAppId;
  const tickets = new Set<string>();
  const connections: WebSocket[] = [];
  const envelopes: JsonObject[] = [];
  const acks: SocketAck[] = [];
  const received: unknown[] = [];
  const pending = new Map<string, { resolve: (ack: SocketAck) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let clientPings = 0;
  let pongs = 0;

  const http = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' });
    response.end('Upgrade Required');
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!/^\/link\/?$/.test(url.pathname) || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    connections.push(ws);
    ws.on('ping', () => {
      clientPings += 1;
    });
    ws.on('pong', () => {
      pongs += 1;
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        // not JSON: kept as text
      }
      if (isObject(parsed) && typeof parsed.envelope_id === 'string') {
        const ack = parsed as SocketAck;
        acks.push(ack);
        const waiting = pending.get(ack.envelope_id);
        if (waiting !== undefined) {
          clearTimeout(waiting.timer);
          pending.delete(ack.envelope_id);
          waiting.resolve(ack);
        }
      } else {
        received.push(parsed);
      }
    });
    ws.on('close', () => {
      const index = connections.indexOf(ws);
      if (index >= 0) connections.splice(index, 1);
    });
    ws.send(JSON.stringify({
      type: 'hello', num_connections: connections.length,
      debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18060 }, connection_info: { app_id: appId },
    }));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const pinger = options.pingIntervalMs === undefined ? undefined : setInterval(() => connections.forEach((ws) => ws.ping()), options.pingIntervalMs);
  pinger?.unref();
  const open = (): WebSocket[] => connections.filter((ws) => ws.readyState === ws.OPEN);

  const server: SocketModeServer = {
    origin,
    openUrl: () => {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `${origin}/link/?ticket=${ticket}&app_id=${appId}`;
    },
    connectionCount: () => open().length,
    waitForConnection: async (timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (open().length === 0) {
        if (Date.now() >= deadline) throw new Error(`waitForConnection: no Socket Mode client connected within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    deliver: (type, payload, o = {}) => {
      const ws = open().at(-1);
      if (ws === undefined) return Promise.reject(new Error(`deliver(${type}): no Socket Mode connection`));
      const envelopeId = randomUUID();
      const envelope: JsonObject = {
        envelope_id: envelopeId, payload, type, accepts_response_payload: o.acceptsResponsePayload ?? type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: o.retryAttempt ?? 0, retry_reason: o.retryReason ?? '' } : {}),
      };
      const timeoutMs = o.timeoutMs ?? options.ackTimeoutMs ?? 5_000;
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(new Error(`deliver(${type}): no ack for envelope ${envelopeId} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(envelopeId, { resolve, reject, timer });
        envelopes.push(envelope);
        ws.send(JSON.stringify(envelope));
      });
    },
    envelopes,
    acks,
    received,
    clientPings: () => clientPings,
    pongs: () => pongs,
    sendDisconnect: (reason = 'refresh_requested') => {
      for (const ws of open()) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: HOST } }));
    },
    terminateConnections: () => {
      for (const ws of [...connections]) ws.terminate();
    },
    close: async () => {
      if (pinger !== undefined) clearInterval(pinger);
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`deliver: server closed before envelope ${id} was acked`));
      }
      pending.clear();
      // Give a client that is shutting down (Bolt's app.stop() does not await its close handshake) a moment.
      const grace = Date.now() + 250;
      while (open().length > 0 && Date.now() < grace) await new Promise((resolve) => setTimeout(resolve, 5));
      for (const ws of [...connections]) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
  api?.attachSocketMode(server);
  return server;
}
