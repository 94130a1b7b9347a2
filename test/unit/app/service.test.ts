/**
 * The service as `npm start` runs it with a platform token: the HTTP server on PORT with health,
 * readiness and metrics fed by real messages, and a stop that closes the server and the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
});
