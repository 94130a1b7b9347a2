/**
 * Bad input over HTTP: what reaches the one HTTP server of the real service (Slack's
 * `/slack/events` through Bolt's HTTPReceiver, and the Telegram webhook path) — malformed JSON,
 * `payload=garbage`, a body cut off mid-way, a body over 1 MB (declared, and streamed without a
 * length), a wrong content type, a missing or old timestamp, a bad signature, a wrong secret — gets a
 * 4xx (or, for the cut-off body, a closed connection), nothing runs, and the next valid request works.
 * A body declared over 1 MB is refused before any of it is read, and its connection closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { request } from 'node:http';
import { postSigned, signSlackRequest } from '../support/slack-api.js';
import { SIGNING_SECRET, slackBotsPerTest, textOf } from '../support/slack-harness.js';
import { WEBHOOK_SECRET, eventually, startTelegramBot, type TelegramBot } from '../support/telegram-harness.js';
import { translate } from '../support/engine-harness.js';
import { rawExchange } from '../support/raw-http.js';

const start = slackBotsPerTest();
const USER = 'UFILER1';
const ONE_MB = 1024 * 1024;

let telegram: TelegramBot | undefined;
afterEach(async () => {
  await telegram?.close();
  telegram = undefined;
});

interface RawAnswer {
  status: number | undefined;
  /** The server closed the connection (with or without an answer). */
  closed: boolean;
}

/**
 * Writes a raw HTTP/1.1 request: the head, then `body` (possibly shorter than the Content-Length the
 * head declares), then half-closes when `end` is set. Resolves with the status line, if any came.
 */
function rawRequest(port: number, head: string, body: Buffer | string, options: { end: boolean; waitMs?: number }): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve({ status: status === undefined ? undefined : Number(status), closed });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 5000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(head);
    socket.write(body);
    if (options.end) socket.end();
  });
}

/**
 * Streams `totalBytes` of body with chunked encoding (no Content-Length) until the server answers or
 * closes; resolves with the status and how many bytes were written before it did.
 */
function streamLarge(url: string, headers: Record<string, string>, totalBytes: number): Promise<{ status: number | undefined; writtenBytes: number }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let written = 0;
    let done = false;
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      finish(res.statusCode);
    });
    const finish = (status: number | undefined): void => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, writtenBytes: written });
    };
    req.on('error', () => finish(undefined));
    const pump = (): void => {
      while (!done && written < totalBytes) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!done) req.end();
    };
    pump();
  });
}

/** The port of a URL. */
function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('slack request bodies', () => {
  it('answers 4xx to malformed, mistyped, unsigned, stale and oversized bodies; nothing runs; the next valid DM works', async () => {
    const bot = await start({ mode: 'http', users: { [USER]: { name: 'filer' } } });
    const url = bot.eventsUrl;
    const signed = (body: string, extra: Record<string, string> = {}): Promise<{ status: number }> =>
      fetch(url, { method: 'POST', headers: { ...signSlackRequest(SIGNING_SECRET, body), ...extra }, body }).then(async (r) => {
        await r.text();
        return { status: r.status };
      });

    // Signed, but not JSON / not a JSON payload.
    expect((await signed('{"type": "event_callback", "event": ')).status).toBe(400);
    expect((await signed('payload=garbage')).status).toBe(400);
    expect((await signed('payload=%7B%22type%22')).status).toBe(400);
    // A JSON body sent as text/plain is refused; a form body sent as JSON too.
    expect((await signed('{"type":"event_callback"}', { 'content-type': 'text/plain' })).status).toBeGreaterThanOrEqual(400);
    expect((await signed('token=x&text=hi', { 'content-type': 'application/json' })).status).toBe(400);
    // Unsigned, a bad signature, no timestamp, an old timestamp, a signature of another version.
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvX1', event: { type: 'message', channel_type: 'im', user: USER, channel: 'DUFILER1', text: 'hi', ts: '1.1' } });
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect((await postSigned(url, SIGNING_SECRET, body, { badSignature: true })).status).toBe(401);
    const headers = signSlackRequest(SIGNING_SECRET, body);
    const { ['x-slack-request-timestamp']: _dropped, ...noTimestamp } = headers;
    expect((await fetch(url, { method: 'POST', headers: noTimestamp, body })).status).toBe(401);
    expect((await postSigned(url, SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { ...headers, 'x-slack-signature': headers['x-slack-signature'].replace('v0=', 'v1=') }, body })).status).toBe(401);
    // Over 1 MB, declared up front.
    const big = JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(ONE_MB + 10) });
    expect((await signed(big)).status).toBe(413);

    expect(bot.api.messages(bot.dmChannel(USER))).toHaveLength(0);

    // `__proto__` and `constructor` keys in a signed event and in an interaction payload change nothing.
    const proto = '{"type":"event_callback","event_id":"EvProto1","team_id":"T1","api_app_id":"A1","__proto__":{"polluted":1},"event":{"type":"message","channel_type":"im","user":"UFILER1","channel":"DUFILER1","text":"/help","ts":"1.2","__proto__":{"isStaff":true},"constructor":{"prototype":{"polluted":1}}}}';
    expect((await signed(proto)).status).toBe(200);
    const payload = `payload=${encodeURIComponent('{"type":"block_actions","__proto__":{"polluted":1},"user":{"id":"UFILER1"},"actions":[]}')}`;
    expect((await signed(payload)).status).toBeLessThan(500);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('isStaff');

    const replies = await bot.dm(USER, '/help');
    expect(textOf(replies)).toContain('/sciweek file');
  });

  it('stops reading an oversized body while it streams, and closes a cut-off body; the service lives', async () => {
    const bot = await start({ mode: 'http', users: { [USER]: { name: 'filer' } } });
    const port = portOf(bot.eventsUrl);
    // 100 MB offered without a length: refused long before it is all sent.
    const streamed = await streamLarge(bot.eventsUrl, signSlackRequest(SIGNING_SECRET, ''), 100 * ONE_MB);
    expect(streamed.status === 413 || streamed.status === undefined).toBe(true);
    expect(streamed.writtenBytes).toBeLessThan(20 * ONE_MB);
    // Content-Length says 1000, 10 bytes come, then the client hangs up.
    const cut = await rawRequest(port, `POST /slack/events HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n`, '{"type":"e', { end: true });
    expect(cut.status === undefined || (cut.status >= 400 && cut.status < 500)).toBe(true);
    expect(cut.closed).toBe(true);
    // 100 MB declared, with a bad signature: 413 and the connection closed before a byte of the body is sent.
    const declared = `POST /slack/events HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\nx-slack-request-timestamp: ${Math.floor(Date.now() / 1000)}\r\nx-slack-signature: v0=${'0'.repeat(64)}\r\ncontent-length: ${100 * ONE_MB}\r\n\r\n`;
    expect(await rawExchange(port, declared, { chunk: '', count: 0, everyMs: 0 }, { waitMs: 5_000 })).toMatchObject({ status: 413, closedByServer: true });

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(textOf(await bot.dm(USER, '/help'))).toContain('/sciweek file');
  });
});

describe('telegram webhook bodies', () => {
  it('answers 4xx to a wrong secret, malformed or non-object JSON, a non-update and an oversized body; the next update works', async () => {
    telegram = await startTelegramBot({ mode: 'webhook' });
    const hook = telegram.api.webhook();
    expect(hook).toBeDefined();
    const url = hook?.url ?? '';
    const post = async (body: string | Buffer, secret: string | null = WEBHOOK_SECRET): Promise<number> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
      const response = await fetch(url, { method: 'POST', headers, body });
      await response.text();
      return response.status;
    };
    expect(await post('{"update_id": 1, "message": ')).toBe(400);
    expect(await post('[1,2,3]')).toBe(400);
    expect(await post('"just a string"')).toBe(400);
    expect(await post('null')).toBe(400);
    expect(await post('{"message": {"text": "no update id"}}')).toBe(400);
    expect(await post(Buffer.from([0xff, 0xfe, 0x00, 0x7b]))).toBe(400);
    expect(await post('{"update_id": 5}', null)).toBe(401);
    expect(await post('{"update_id": 5}', `${WEBHOOK_SECRET}x`)).toBe(401);
    expect(await post(JSON.stringify({ update_id: 9, pad: 'x'.repeat(ONE_MB + 10) }))).toBe(413);
    // An update with an object in the wrong places is taken (200) and dropped without a crash.
    expect(await post(JSON.stringify({ update_id: 10, message: { from: { id: 5, is_bot: false }, chat: null } }))).toBe(200);
    expect(await post(JSON.stringify({ update_id: 11, message: 'text', callback_query: 7 }))).toBe(200);
    // `__proto__` keys (also written with escapes) are dropped before anything reads the update.
    const proto = '{"update_id":12,"__proto__":{"polluted":1},"message":{"message_id":1,"date":0,"chat":{"id":44,"type":"private","first_name":"x"},"from":{"id":44,"is_bot":false,"first_name":"x","\\u005f_proto__":{"isStaff":true}},"text":"/status"}}';
    expect(await post(proto)).toBe(200);
    const answer = await eventually(() => telegram?.api.sentMessages(44).at(0), 'the answer to /status');
    expect(answer.plainText).toBe(translate('zh-CN')('staff.refused'));
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('isStaff');

    const replies = await telegram.say(42, 42, '/help');
    expect(replies.map((m) => m.plainText).join('\n')).toContain('/file');
  });

  it('stops reading an oversized streamed body, and closes a cut-off body; the service lives', async () => {
    telegram = await startTelegramBot({ mode: 'webhook' });
    const url = telegram.api.webhook()?.url ?? '';
    const port = portOf(url);
    const path = new URL(url).pathname;
    const streamed = await streamLarge(url, { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET }, 100 * ONE_MB);
    expect(streamed.status === 413 || streamed.status === undefined).toBe(true);
    expect(streamed.writtenBytes).toBeLessThan(20 * ONE_MB);
    const head = `POST ${path} HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\nx-telegram-bot-api-secret-token: ${WEBHOOK_SECRET}\r\ncontent-length: 1000\r\n\r\n`;
    const cut = await rawRequest(port, head, '{"update_id": 3', { end: true });
    expect(cut.status === undefined || (cut.status >= 400 && cut.status < 500)).toBe(true);
    expect(cut.closed).toBe(true);
    const declared = `POST ${path} HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\nx-telegram-bot-api-secret-token: ${WEBHOOK_SECRET}\r\ncontent-length: ${100 * ONE_MB}\r\n\r\n`;
    expect(await rawExchange(port, declared, { chunk: '', count: 0, everyMs: 0 }, { waitMs: 5_000 })).toMatchObject({ status: 413, closedByServer: true });

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const replies = await telegram.say(43, 43, '/help');
    expect(replies.map((m) => m.plainText).join('\n')).toContain('/file');
  });
});
