/**
 * The service as `npm start` runs it with a platform token: the HTTP server on HOST:PORT with health,
 * readiness and metrics (behind METRICS_TOKEN when set) fed by real messages, and a stop that closes
 * the server and the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageHandler } from '../../../src/bot/engine.js';
import { createApp } from '../../../src/app/app.js';
import { runService } from '../../../src/app/service.js';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** An app on a fresh DATA_DIR with `env` added. */
async function appWith(env: Record<string, string>): Promise<Awaited<ReturnType<typeof createApp>>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-service-'));
  dirs.push(dir);
  return createApp({ DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', SCIWEEK_NOW: '2021-04-20T10:00:00+08:00', ...env });
}

/** Whether a TCP connection to host:port is accepted or refused. */
function tryConnect(host: string, port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve('refused') : reject(err)));
  });
}

/** This machine's IPv4 addresses other than loopback (none on a machine without a network). */
function externalIPv4(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
}

describe('runService', () => {
  it('serves /healthz, /readyz and /metrics, counts handled messages and store round trips, and stops cleanly', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-service-'));
    dirs.push(dir);
    const app = await createApp({ DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', SCIWEEK_NOW: '2021-04-20T10:00:00+08:00' });
    let handler: MessageHandler | undefined;
    const service = await runService(
      app,
      (deps) => {
        handler = deps.handler;
        return [];
      },
      '127.0.0.1',
    );
    const base = `http://127.0.0.1:${service.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const replies = await handler?.({
      platform: 'test',
      chat: { id: 'c1', kind: 'private' },
      user: { id: 'u1', displayName: '测试员' },
      text: '/file key-project',
      deliveryId: 'd1',
      receivedAt: new Date(),
    });
    expect(replies?.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('sciweek_updates_total{platform="test",outcome="ok"} 1');
    expect(metrics).toContain('sciweek_store_round_trips_total{operation="begin"} 1');
    expect(metrics).toContain('sciweek_store_round_trips_total{operation="commit"} 1');
    expect(metrics).toContain('sciweek_update_duration_seconds_bucket');
    expect(metrics).toContain('sciweek_process_resident_memory_bytes');

    await service.stop();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    await expect(app.store.ping()).rejects.toThrow();
  });

  it('listens on HOST only: 127.0.0.1 by default, another address when set', async () => {
    const app = await appWith({});
    const service = await runService(app, () => []);
    expect(service.host).toBe('127.0.0.1');
    expect(await tryConnect('127.0.0.1', service.port)).toBe('accepted');
    // Another address of this machine gets no answer on that port (127.0.0.2 is loopback too on Linux).
    const others = [...externalIPv4(), ...(process.platform === 'linux' ? ['127.0.0.2'] : [])];
    for (const other of others) expect(await tryConnect(other, service.port)).toBe('refused');
    await service.stop();

    // Another address: an external one when the machine has one, else 127.0.0.2 (loopback, on Linux).
    const external = externalIPv4()[0] ?? '127.0.0.2';
    const elsewhere = await runService(await appWith({ HOST: external }), () => []);
    expect(elsewhere.host).toBe(external);
    expect((await fetch(`http://${external}:${elsewhere.port}/healthz`)).status).toBe(200);
    expect(await tryConnect('127.0.0.1', elsewhere.port)).toBe('refused');
    await elsewhere.stop();
  });

  it('asks for METRICS_TOKEN on /metrics when it is set; health and readiness stay open', async () => {
    const token = 'scrape-token_0123456789';
    const service = await runService(await appWith({ METRICS_TOKEN: token }), () => []);
    const base = `http://127.0.0.1:${service.port}`;
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token_0123456789' } })).status).toBe(401);
    const allowed = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('sciweek_process_resident_memory_bytes');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await service.stop();
  });
});
