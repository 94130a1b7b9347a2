/**
 * Slow and oversized requests against the real routes — Slack's `/slack/events` through Bolt's
 * HTTPReceiver and the Telegram webhook — on the one HTTP server, with its limits made small (300 ms)
 * so that each cut comes long before the client is done: headers that trickle, a body that trickles,
 * a body declared over the limit (with a bad signature: refused before it is read, let alone checked),
 * and a refusal answered before the body came. Each ends in a closed connection while the client is
 * still sending; the next valid request works.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { createTelegramAdapter } from '../../src/adapters/telegram/telegram-adapter.js';
import { createMetrics } from '../../src/app/metrics.js';
import type { InboxUpdate } from '../../src/domain/wire.js';
import { createHttpServer, MAX_BODY_BYTES } from '../../src/http/server.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { rawExchange, type RawBody } from '../support/raw-http.js';
import { dmMessageEvent, eventCallback, postSigned, signSlackRequest, startSlackApi } from '../support/slack-api.js';
import { startBotApi } from '../support/telegram-bot-api.js';

const SIGNING_SECRET = 'timeouts-signing-secret';
const WEBHOOK_SECRET = 'timeouts-webhook-secret';
const WEBHOOK_PATH = '/telegram/webhook';
const SHORT = { headersMs: 300, bodyMs: 300, discardMs: 300, checkIntervalMs: 50 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One HTTP server with small limits, the real Slack (HTTP mode) and Telegram (webhook) adapters on it. */
async function startRig(): Promise<{ port: number; kept: InboxUpdate[] }> {
  const slackApi = await startSlackApi();
  cleanups.push(() => slackApi.close());
  const botApi = await startBotApi();
  cleanups.push(() => botApi.close());
  const http = createHttpServer({ ready: () => Promise.resolve(), registry: createMetrics().registry, log: silentLogger, timeouts: SHORT });
  const port = await http.listen(0, '127.0.0.1');
  cleanups.push(() => http.close());
  const kept: InboxUpdate[] = [];
  const accept = (update: InboxUpdate): Promise<void> => Promise.resolve(void kept.push(update));
  const slack = createSlackAdapter({
    botToken: slackApi.botToken,
    signingSecret: SIGNING_SECRET,
    apiUrl: slackApi.apiUrl,
    accept,
    handler: () => Promise.resolve([]),
    http,
    log: silentLogger,
    onUnreachable: () => undefined,
  });
  const telegram = createTelegramAdapter({
    token: botApi.token,
    apiRoot: botApi.apiRoot,
    webhook: { url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, secret: WEBHOOK_SECRET },
    accept,
    http,
    log: silentLogger,
    menus: [],
    onUnreachable: () => undefined,
    onFatal: () => undefined,
  });
  for (const adapter of [slack, telegram]) {
    await adapter.start();
    cleanups.push(() => adapter.stop());
  }
  return { port, kept };
}

/** A request head for `path` with the given headers. */
function head(path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST ${path} HTTP/1.1\r\nHost: x\r\n${lines.join('')}\r\n`;
}

/** Slack's headers for `body`, signed (or with a wrong signature). */
function slackHeaders(body: string, badSignature = false): Record<string, string | number> {
  const signed = signSlackRequest(SIGNING_SECRET, body);
  return { ...signed, ...(badSignature ? { 'x-slack-signature': `v0=${'0'.repeat(64)}` } : {}), 'content-length': Buffer.byteLength(body) };
}

/** One byte every 30 ms: 100 bytes take 3 s, ten times the limits. */
const TRICKLE: RawBody = { chunk: 'a', count: 100, everyMs: 30 };

/** A Telegram update as the webhook gets it. */
function update(id: number): string {
  return JSON.stringify({ update_id: id, message: { message_id: id, date: 1618884000, chat: { id: 9001, type: 'private', first_name: 'A' }, from: { id: 9001, is_bot: false, first_name: 'A' }, text: 'hi' } });
}

describe('slow and oversized requests on the real routes', () => {
  it('refuses a Slack request declaring 100 MB with a bad signature at once, and closes it before 100 MB are sent', async () => {
    const { port, kept } = await startRig();
    const headers = { ...slackHeaders('', true), 'content-length': 100 * MAX_BODY_BYTES, 'content-type': 'application/json' };
    const headOnly = await rawExchange(port, head('/slack/events', headers), { chunk: '', count: 0, everyMs: 0 }, { waitMs: 5_000 });
    expect(headOnly).toMatchObject({ status: 413, closedByServer: true });
    const streamed = await rawExchange(port, head('/slack/events', headers), { chunk: Buffer.alloc(64 * 1024, 0x61), count: 1600, everyMs: 0 }, { waitMs: 20_000 });
    expect(streamed).toMatchObject({ closedByServer: true, allSent: false });
    expect(streamed.sentBytes).toBeLessThan(20 * MAX_BODY_BYTES);
    // The same to the Telegram webhook, with its secret.
    const telegram = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET, 'content-type': 'application/json', 'content-length': 100 * MAX_BODY_BYTES };
    const toWebhook = await rawExchange(port, head(WEBHOOK_PATH, telegram), { chunk: '', count: 0, everyMs: 0 }, { waitMs: 5_000 });
    expect(toWebhook).toMatchObject({ status: 413, closedByServer: true });
    expect(kept).toHaveLength(0);
  });

  it('cuts headers that trickle, and bodies that trickle to Slack and to the webhook, while the client still sends', async () => {
    const { port, kept } = await startRig();
    const slowHead = await rawExchange(port, 'POST /slack/events HTTP/1.1\r\nHost: x\r\n', { chunk: 'x-slow: 1\r\n', count: 100, everyMs: 30 }, { waitMs: 10_000 });
    expect(slowHead).toMatchObject({ status: 408, closedByServer: true, allSent: false });

    const slackBody = 'a'.repeat(TRICKLE.count);
    const toSlack = await rawExchange(port, head('/slack/events', { ...slackHeaders(slackBody), 'content-type': 'application/json' }), TRICKLE, { waitMs: 10_000 });
    expect(toSlack).toMatchObject({ status: 408, closedByServer: true, allSent: false });

    const telegram = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET, 'content-type': 'application/json', 'content-length': TRICKLE.count };
    const toWebhook = await rawExchange(port, head(WEBHOOK_PATH, telegram), TRICKLE, { waitMs: 10_000 });
    expect(toWebhook).toMatchObject({ status: 408, closedByServer: true, allSent: false });
    expect(kept).toHaveLength(0);

    // Requests that come at a normal pace still work.
    const event = eventCallback(dmMessageEvent({ userId: 'UTIME1', channel: 'DUTIME1', text: 'hi' }), { eventId: 'EvTIME1' });
    expect((await postSigned(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, JSON.stringify(event))).status).toBe(200);
    const posted = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: update(1),
    });
    expect(posted.status).toBe(200);
    expect(kept.map((u) => u.inbound.text)).toEqual(['hi', 'hi']);
  });

  it('closes the connection of a webhook call refused for its secret, whether its body trickles or arrives', async () => {
    const { port, kept } = await startRig();
    const body = update(2);
    const headers = { 'x-telegram-bot-api-secret-token': `${WEBHOOK_SECRET}x`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const trickled = await rawExchange(port, head(WEBHOOK_PATH, headers), { chunk: 'a', count: Buffer.byteLength(body), everyMs: 30 }, { waitMs: 10_000 });
    expect(trickled).toMatchObject({ status: 401, closedByServer: true, allSent: false });
    // Sent whole: dropped, then the connection is closed rather than kept alive (Node's keep-alive
    // timeout, 5 s, would hold it past this bound).
    const whole = await rawExchange(port, head(WEBHOOK_PATH, headers), { chunk: body, count: 1, everyMs: 0 }, { waitMs: 2_500 });
    expect(whole).toMatchObject({ status: 401, closedByServer: true, allSent: true });
    expect(kept).toHaveLength(0);
  });
});
