import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/kernel/logger.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createMetrics } from '../../../src/app/metrics.js';

let open: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

async function start(ready: () => Promise<void>): Promise<{ base: string; metrics: ReturnType<typeof createMetrics>; http: HttpServer }> {
  const metrics = createMetrics();
  const http = createHttpServer({ ready, registry: metrics.registry, log: silentLogger, readyTimeoutMs: 200 });
  open.push(http);
  const port = await http.listen(0, '127.0.0.1');
  return { base: `http://127.0.0.1:${port}`, metrics, http };
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
});
