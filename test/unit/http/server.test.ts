import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/kernel/logger.js';
import { createHttpServer, MAX_BODY_BYTES, type HttpServer, type HttpServerDeps } from '../../../src/http/server.js';
import { createMetrics } from '../../../src/app/metrics.js';
import { rawExchange } from '../../support/raw-http.js';

let open: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

async function start(
  ready: () => Promise<void>,
  extra: Partial<HttpServerDeps> = {},
): Promise<{ base: string; port: number; metrics: ReturnType<typeof createMetrics>; http: HttpServer }> {
  const metrics = createMetrics();
  const http = createHttpServer({ ready, registry: metrics.registry, log: silentLogger, readyTimeoutMs: 200, ...extra });
  open.push(http);
  const port = await http.listen(0, '127.0.0.1');
  return { base: `http://127.0.0.1:${port}`, port, metrics, http };
}

/** Small limits, so that a test sees each one cut a request long before its client is done. */
const SHORT = { headersMs: 300, bodyMs: 300, discardMs: 300, checkIntervalMs: 50 };

/** A route that reads the whole body, then answers with its length. */
function echoLength(http: HttpServer): void {
  http.route('POST', '/echo', async (req, res) => {
    let bytes = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) bytes += chunk.length;
    res.writeHead(200);
    res.end(String(bytes));
  });
}

describe('http server', () => {
  it('answers /healthz, and /readyz when the store answers', async () => {
    const { base } = await start(() => Promise.resolve());
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('ready\n');
  });

  it('answers 503 on /readyz when the store fails or does not answer in time', async () => {
    const failing = await start(() => Promise.reject(new Error('down')));
    expect((await fetch(`${failing.base}/readyz`)).status).toBe(503);
    const hanging = await start(() => new Promise<void>(() => undefined));
    expect((await fetch(`${hanging.base}/readyz`)).status).toBe(503);
  });

  it('serves Prometheus text with the update counters and latency histogram', async () => {
    const { base, metrics } = await start(() => Promise.resolve());
    metrics.observer.handled({ platform: 'console', outcome: 'ok', durationMs: 3 });
    metrics.observer.handled({ platform: 'console', outcome: 'store_error', durationMs: 5 });
    metrics.storeRoundTrip('begin');
    metrics.reminderOutcome('sent');
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toContain('sciweek_updates_total{platform="console",outcome="ok"} 1');
    expect(body).toContain('sciweek_errors_total{platform="console",kind="store_error"} 1');
    expect(body).toContain('sciweek_update_duration_seconds_count{platform="console"} 2');
    expect(body).toContain('sciweek_store_round_trips_total{operation="begin"} 1');
    expect(body).toContain('sciweek_reminder_outcomes_total{outcome="sent"} 1');
  });

  it('answers 404 and 405, routes added later, and 500 when a route throws', async () => {
    const { base, http } = await start(() => Promise.resolve());
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    http.route('POST', '/hook', (_req, res) => {
      res.writeHead(204);
      res.end();
    });
    http.route('POST', '/broken', () => {
      throw new Error('boom');
    });
    expect((await fetch(`${base}/hook`, { method: 'POST' })).status).toBe(204);
    expect((await fetch(`${base}/broken`, { method: 'POST' })).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('asks for the bearer token on /metrics when one is set; health stays open', async () => {
    const token = 'metrics-token-0123456789';
    const { base } = await start(() => Promise.resolve(), { metricsToken: token });
    const without = await fetch(`${base}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer');
    expect(await without.text()).not.toContain('sciweek_');
    for (const authorization of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${token}`, token, 'Bearer ', `Bearer ${token} extra`]) {
      expect((await fetch(`${base}/metrics`, { headers: { authorization } })).status).toBe(401);
    }
    const good = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('sciweek_updates_total');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: `bearer  ${token}` } })).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('refuses a body declared over the limit at once and closes the connection without reading it', async () => {
    const { port, http } = await start(() => Promise.resolve(), { timeouts: SHORT });
    echoLength(http);
    const head = `POST /echo HTTP/1.1\r\nHost: x\r\ncontent-length: ${100 * MAX_BODY_BYTES}\r\n\r\n`;
    // Nothing of the body sent: the answer cannot have waited for it.
    const headOnly = await rawExchange(port, head, { chunk: '', count: 0, everyMs: 0 }, { waitMs: 5_000 });
    expect(headOnly).toMatchObject({ status: 413, closedByServer: true });
    // Sent as fast as the socket takes it: cut long before 100 MB.
    const streamed = await rawExchange(port, head, { chunk: Buffer.alloc(64 * 1024, 0x61), count: 1600, everyMs: 0 }, { waitMs: 20_000 });
    expect(streamed.closedByServer).toBe(true);
    expect(streamed.allSent).toBe(false);
    expect(streamed.sentBytes).toBeLessThan(20 * MAX_BODY_BYTES);
  });

  it('cuts headers that trickle (408) while the client is still sending them', async () => {
    const { port } = await start(() => Promise.resolve(), { timeouts: SHORT });
    // 100 header lines, one every 30 ms: the head would take 3 s to arrive.
    const slow = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', { chunk: 'x-slow: 1\r\n', count: 100, everyMs: 30 }, { waitMs: 10_000 });
    expect(slow).toMatchObject({ status: 408, closedByServer: true, allSent: false });
  });

  it('cuts a body that trickles (408) while the client is still sending it; whole bodies still arrive', async () => {
    const { port, base, http } = await start(() => Promise.resolve(), { timeouts: SHORT });
    echoLength(http);
    // 100 bytes, one every 30 ms: within the header limit, far past the body limit.
    const head = 'POST /echo HTTP/1.1\r\nHost: x\r\ncontent-length: 100\r\n\r\n';
    const slow = await rawExchange(port, head, { chunk: 'a', count: 100, everyMs: 30 }, { waitMs: 10_000 });
    expect(slow).toMatchObject({ status: 408, closedByServer: true, allSent: false });
    const whole = await fetch(`${base}/echo`, { method: 'POST', body: 'a'.repeat(100_000) });
    expect(await whole.text()).toBe('100000');
  });

  it('closes the connection of a request refused before its body was read, whether the body trickles or arrives', async () => {
    const { port, http } = await start(() => Promise.resolve(), { timeouts: SHORT });
    http.route('POST', '/refuse', (_req, res) => {
      res.writeHead(401);
      res.end();
    });
    const head = 'POST /refuse HTTP/1.1\r\nHost: x\r\ncontent-length: 1000\r\n\r\n';
    const trickled = await rawExchange(port, head, { chunk: 'a'.repeat(10), count: 100, everyMs: 30 }, { waitMs: 10_000 });
    expect(trickled).toMatchObject({ status: 401, closedByServer: true, allSent: false });
    // The whole body sent at once: it is read and dropped, and the connection is not kept for another
    // request (an idle kept-alive connection would stay open for Node's 5 s keep-alive timeout).
    const sent = await rawExchange(port, head, { chunk: 'a'.repeat(1000), count: 1, everyMs: 0 }, { waitMs: 2_500 });
    expect(sent).toMatchObject({ status: 401, closedByServer: true, allSent: true });
  });
});
