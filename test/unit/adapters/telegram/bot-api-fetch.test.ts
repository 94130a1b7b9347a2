/**
 * The HTTP call under grammY's client, against a real local HTTP server: JSON and streamed bodies
 * arrive whole, answers are read whole, and every failure (refused, aborted, cut off, not JSON) is a
 * rejection grammY can turn into an HttpError.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { botApiFetch } from '../../../../src/adapters/telegram/bot-api-fetch.js';

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

async function serve(handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('botApiFetch', () => {
  it('posts a JSON body with its headers and reads the JSON answer', async () => {
    const seen: { method?: string; type?: string; url?: string; body?: string } = {};
    const root = await serve((req, body, res) => {
      Object.assign(seen, { method: req.method, type: req.headers['content-type'], url: req.url, body: body.toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result: { message_id: 7, text: '你好' } }));
    });
    const response = await botApiFetch(`${root}/bot1:x/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: 1, text: '你好' }) });
    expect(response.ok).toBe(true);
    expect(await response.json()).toEqual({ ok: true, result: { message_id: 7, text: '你好' } });
    expect(seen).toEqual({ method: 'POST', type: 'application/json', url: '/bot1:x/sendMessage', body: '{"chat_id":1,"text":"你好"}' });
  });

  it('streams an upload body (a multipart stream, as grammY sends files) whole', async () => {
    let received: Buffer = Buffer.alloc(0);
    const root = await serve((_req, body, res) => {
      received = body;
      res.end('{"ok":true,"result":true}');
    });
    const parts = [Buffer.from('--b\r\n'), Buffer.alloc(200_000, 7), Buffer.from('\r\n--b--\r\n')];
    const response = await botApiFetch(`${root}/bot1:x/sendDocument`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: Readable.from(parts) });
    expect(await response.json()).toEqual({ ok: true, result: true });
    expect(received.equals(Buffer.concat(parts))).toBe(true);
  });

  it('reads an error answer that is not JSON as a rejection of json(), its text kept', async () => {
    const root = await serve((_req, _body, res) => res.writeHead(502).end('<html>Bad Gateway</html>'));
    const response = await botApiFetch(`${root}/bot1:x/getMe`, { method: 'POST' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(502);
    await expect(response.json()).rejects.toBeInstanceOf(SyntaxError);
    expect(await response.text()).toBe('<html>Bad Gateway</html>');
  });

  it('rejects when the connection is refused, aborted, or cut off in the middle of the answer', async () => {
    const refused = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await expect(botApiFetch(`${refused}/bot1:x/getMe`, { method: 'POST' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const hanging = await serve(() => undefined);
    const controller = new AbortController();
    const aborted = botApiFetch(`${hanging}/bot1:x/getUpdates`, { method: 'POST', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });

    const cut = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"ok":tr');
      setTimeout(() => res.destroy(), 10);
    });
    await expect(botApiFetch(`${cut}/bot1:x/getMe`, { method: 'POST' })).rejects.toBeInstanceOf(Error);
  });
});
