/**
 * The Telegram webhook's intake against the Bot API stand-in: a call that reaches an instance still
 * starting gets 503 (Telegram keeps the update and sends it again), never a 404; once started, an
 * update gets its 200 only after it was kept, and a failure to keep it is a 503 too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../src/adapters/telegram/telegram-adapter.js';
import { createMetrics } from '../../src/app/metrics.js';
import type { InboxUpdate } from '../../src/domain/wire.js';
import { createHttpServer } from '../../src/http/server.js';
import { StoreError } from '../../src/kernel/errors.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { startBotApi } from '../support/telegram-bot-api.js';

const SECRET = 'intake-secret_1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the Telegram webhook intake', () => {
  it('answers 503 while starting, 200 once an update is kept, 503 when it cannot be kept', async () => {
    const api = await startBotApi();
    cleanups.push(() => api.close());
    const http = createHttpServer({ ready: () => Promise.resolve(), registry: createMetrics().registry, log: silentLogger });
    const port = await http.listen(0, '127.0.0.1');
    cleanups.push(() => http.close());
    const kept: InboxUpdate[] = [];
    let failing = false;
    const adapter = createTelegramAdapter({
      token: api.token,
      apiRoot: api.apiRoot,
      webhook: { url: `http://127.0.0.1:${port}/telegram/webhook`, secret: SECRET },
      accept: (update) => (failing ? Promise.reject(new StoreError('redis store: inboxAppend failed')) : Promise.resolve(void kept.push(update))),
      http,
      log: silentLogger,
      menus: [],
      onUnreachable: () => undefined,
      onFatal: () => undefined,
    });
    cleanups.push(() => adapter.stop());
    const post = (updateId: number): Promise<number> =>
      fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({
          update_id: updateId,
          message: { message_id: updateId, date: 1618884000, chat: { id: 7001, type: 'private', first_name: 'A' }, from: { id: 7001, is_bot: false, first_name: 'A' }, text: '你好' },
        }),
      }).then((response) => response.status);

    // Served before start: refused with 503, nothing kept.
    expect(await post(1)).toBe(503);
    await adapter.start();
    expect(await post(2)).toBe(200);
    expect(kept.map((update) => [update.inbound.deliveryId, update.inbound.text])).toEqual([['2', '你好']]);
    failing = true;
    expect(await post(3)).toBe(503);
    expect(kept).toHaveLength(1);
  });
});
