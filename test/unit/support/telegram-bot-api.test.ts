import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotApi, type ApiResponse, type BotApi, type Message, type Update } from '../../support/telegram-bot-api.js';

let open: BotApi[] = [];
afterEach(async () => {
  await Promise.all(open.map((api) => api.close()));
  open = [];
});

async function start(): Promise<BotApi> {
  const api = await startBotApi();
  open.push(api);
  return api;
}

interface Answer {
  status: number;
  body: ApiResponse;
}

async function call(api: BotApi, method: string, params: Record<string, unknown> = {}, token = api.token): Promise<Answer> {
  const response = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as ApiResponse };
}

function result<T>(answer: Answer): T {
  if (!answer.body.ok) throw new Error(`call failed: ${answer.body.description}`);
  return answer.body.result as T;
}

const keyboard = (data: string): Record<string, unknown> => ({ inline_keyboard: [[{ text: 'Go', callback_data: data }]] });

describe('Telegram Bot API stand-in', () => {
  it('answers getMe, 401 for a wrong token, 404 for an unknown method, and method names case-insensitively', async () => {
    const api = await start();
    expect(result(await call(api, 'getMe'))).toMatchObject({
      id: 123456, is_bot: true, username: 'sciweek_test_bot', can_join_groups: true,
      can_read_all_group_messages: false, supports_inline_queries: false,
    });
    expect(await call(api, 'getMe', {}, '999:nope')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await call(api, 'sendTelepathy')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    expect((await call(api, 'getme')).status).toBe(200);
    expect(api.callsOf('getMe')).toHaveLength(3);
  });

  it('holds getUpdates until an update arrives, confirms with offset, and answers [] on timeout', async () => {
    const api = await start();
    const poll = call(api, 'getUpdates', { timeout: 5 });
    await api.waitFor((c) => c.method === 'getUpdates');
    const pushed = api.pushUpdate(api.textMessage({ chatId: 42, fromId: 42, firstName: 'Ann', languageCode: 'zh-hans', text: '/start@sciweek_test_bot hi' }));
    const updates = result<Update[]>(await poll);
    expect(updates).toEqual([pushed]);
    expect(updates[0]?.message).toMatchObject({
      message_id: 1, chat: { id: 42, type: 'private', first_name: 'Ann' }, from: { id: 42, is_bot: false, language_code: 'zh-hans' },
      entities: [{ type: 'bot_command', offset: 0, length: 23 }],
    });
    expect(result(await call(api, 'getUpdates', { offset: pushed.update_id, timeout: 0 }))).toEqual([pushed]);
    expect(result(await call(api, 'getUpdates', { offset: pushed.update_id + 1, timeout: 0 }))).toEqual([]);
    expect(api.pendingUpdates()).toEqual([]);
    const began = Date.now();
    expect(result(await call(api, 'getUpdates', { timeout: 1 }))).toEqual([]);
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
  });

  it('releases a long poll the client abandons, keeping its updates queued, and closes with a poll held', async () => {
    const api = await startBotApi();
    const abort = new AbortController();
    const abandoned = fetch(`${api.apiRoot}/bot${api.token}/getUpdates?timeout=5`, { signal: abort.signal });
    await api.waitFor((c) => c.method === 'getUpdates');
    abort.abort();
    await expect(abandoned).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.callsOf('getUpdates')[0]?.response).toEqual({ ok: true, result: [] });
    const update = api.pushUpdate({ message: { message_id: 9, date: 0, chat: { id: 1, type: 'private' }, text: 'raw' } });
    expect(api.pendingUpdates()).toEqual([update]);
    const held = call(api, 'getUpdates', { offset: update.update_id + 1, timeout: 30 });
    await api.waitFor((c) => c.method === 'getUpdates' && c.params.timeout === 30);
    await api.close();
    expect((await held).body).toEqual({ ok: true, result: [] });
  });

  it('terminates a held getUpdates with 409 when another arrives, and refuses polling while a webhook is set', async () => {
    const api = await start();
    const first = call(api, 'getUpdates', { timeout: 5 });
    await api.waitFor((c) => c.method === 'getUpdates');
    const second = await call(api, 'getUpdates', { timeout: 0 });
    expect(second.body).toEqual({ ok: true, result: [] });
    expect(await first).toEqual({
      status: 409,
      body: { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' },
    });
    expect((await call(api, 'setWebhook', { url: 'https://example.org/hook' })).body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
    expect((await call(api, 'getUpdates')).body).toEqual({
      ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
  });

  it('parses HTML like Telegram and rejects bad markup with its error texts', async () => {
    const api = await start();
    const text = '  <b>Hi</b> &lt;3 AT&T <a href="example.org">site</a> <pre><code class="language-ts">x</code></pre>\n';
    const message = result<Message>(await call(api, 'sendMessage', { chat_id: 7, text, parse_mode: 'HTML' }));
    expect(message).toMatchObject({ message_id: 1, chat: { id: 7, type: 'private' }, from: { id: 123456, is_bot: true }, text: 'Hi <3 AT&T site x' });
    expect(message.entities).toEqual([
      { type: 'bold', offset: 0, length: 2 },
      { type: 'text_link', offset: 11, length: 4, url: 'http://example.org/' },
      { type: 'pre', offset: 16, length: 1, language: 'ts' },
    ]);
    expect(api.sentMessages(7)[0]).toMatchObject({ text, parse_mode: 'HTML', plainText: 'Hi <3 AT&T site x', message_id: 1 });
    const bad = async (html: string): Promise<Answer> => call(api, 'sendMessage', { chat_id: 7, text: html, parse_mode: 'HTML' });
    expect(await bad('日本 <x>y</x>')).toEqual({
      status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 7' },
    });
    expect((await bad('<b>open')).body).toMatchObject({ description: 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"' });
    expect((await bad('<b>a</i>')).body).toMatchObject({ description: 'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"' });
    expect((await bad('1 < 2')).body).toMatchObject({ description: 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2' });
    expect((await bad('<span>s</span>')).body).toMatchObject({ description: 'Bad Request: can\'t parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0' });
    expect((await bad(`<b>${'a'.repeat(4096)}</b>`)).status).toBe(200);
    expect((await bad('a'.repeat(4097))).body).toMatchObject({ description: 'Bad Request: message is too long' });
    expect((await bad('<b> </b>')).body).toMatchObject({ description: 'Bad Request: message text is empty' });
    expect((await call(api, 'sendMessage', { text: 'x' })).body).toMatchObject({ description: 'Bad Request: chat_id is empty' });
  });

  it('rejects callback_data outside 1–64 bytes with BUTTON_DATA_INVALID', async () => {
    const api = await start();
    expect((await call(api, 'sendMessage', { chat_id: 7, text: 'a', reply_markup: keyboard('x'.repeat(64)) })).status).toBe(200);
    for (const data of ['', '科'.repeat(22)]) {
      expect(await call(api, 'sendMessage', { chat_id: 7, text: 'a', reply_markup: keyboard(data) })).toEqual({
        status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' },
      });
    }
  });

  it('edits messages, refusing unchanged content and unknown ids; answers a callback query once', async () => {
    const api = await start();
    const sent = result<Message>(await call(api, 'sendMessage', { chat_id: -1001, text: 'Pick', reply_markup: keyboard('a') }));
    const same = await call(api, 'editMessageText', { chat_id: -1001, message_id: sent.message_id, text: 'Pick', reply_markup: keyboard('a') });
    expect(same.body).toMatchObject({ error_code: 400, description: expect.stringMatching(/^Bad Request: message is not modified: /) as unknown });
    expect((await call(api, 'editMessageReplyMarkup', { chat_id: -1001, message_id: 99 })).body).toMatchObject({ description: 'Bad Request: message to edit not found' });
    const edited = result<Message>(await call(api, 'editMessageText', { chat_id: -1001, message_id: sent.message_id, text: '<i>Picked</i>', parse_mode: 'HTML' }));
    expect(edited).toMatchObject({ text: 'Picked', entities: [{ type: 'italic', offset: 0, length: 6 }] });
    expect(edited.reply_markup).toBeUndefined();
    expect(api.sentMessages(-1001)[0]).toMatchObject({ plainText: 'Picked', history: [{ plainText: 'Pick' }] });
    const update = api.pushUpdate(api.callbackQuery({ chatId: -1001, fromId: 5, data: 'a', messageId: sent.message_id }));
    expect(update.callback_query).toMatchObject({ from: { id: 5 }, data: 'a', message: { message_id: sent.message_id, text: 'Picked' } });
    const id = update.callback_query?.id;
    expect((await call(api, 'answerCallbackQuery', { callback_query_id: id })).body).toEqual({ ok: true, result: true });
    expect((await call(api, 'answerCallbackQuery', { callback_query_id: id })).status).toBe(400);
  });

  it('injects failures with failNext: 429 with retry_after, 403, and a dropped connection', async () => {
    const api = await start();
    api.failNext('sendMessage', { error_code: 429, parameters: { retry_after: 7 } });
    api.failNext('sendMessage', { error_code: 403 });
    expect(await call(api, 'sendMessage', { chat_id: 1, text: 'a' })).toEqual({
      status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
    });
    expect((await call(api, 'sendMessage', { chat_id: 1, text: 'a' })).body).toEqual({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect((await call(api, 'sendMessage', { chat_id: 1, text: 'a' })).status).toBe(200);
    api.failNext('getMe', { drop: true });
    await expect(call(api, 'getMe')).rejects.toThrow();
    expect(api.callsOf('getMe')[0]?.response).toBe('dropped');
    expect(api.sentMessages(1)).toHaveLength(1);
  });

  it('delivers an update to the webhook with the secret header and runs a method in the reply', async () => {
    const api = await start();
    const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
    const hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.push({ headers: request.headers, body });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ method: 'sendMessage', chat_id: 9, text: 'pong' }));
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/tg`;
      await call(api, 'setWebhook', { url, secret_token: 's3cret', allowed_updates: ['message'], drop_pending_updates: true });
      expect(result(await call(api, 'getWebhookInfo'))).toMatchObject({ url, pending_update_count: 0, allowed_updates: ['message'] });
      expect(await api.deliverWebhook(api.textMessage({ chatId: 9, fromId: 9, text: 'ping' }))).toBe(200);
      expect(seen[0]?.headers['x-telegram-bot-api-secret-token']).toBe('s3cret');
      expect(seen[0]?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(seen[0]?.body ?? '{}')).toMatchObject({ update_id: expect.any(Number) as unknown, message: { text: 'ping' } });
      expect(api.sentMessages(9).map((m) => m.plainText)).toEqual(['pong']);
      await api.deliverWebhook(api.textMessage({ chatId: 9, fromId: 9, text: 'x' }), { secret: null });
      expect(seen[1]?.headers['x-telegram-bot-api-secret-token']).toBeUndefined();
      expect((await call(api, 'deleteWebhook')).body).toMatchObject({ result: true, description: 'Webhook was deleted' });
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it('serves registered files through getFile and the download route, and refuses files over 20 MB', async () => {
    const api = await start();
    const update = api.pushUpdate(api.documentMessage({ chatId: 3, fromId: 3, fileName: 'plan.pdf', mimeType: 'application/pdf', content: '%PDF-1.4 hello' }));
    const document = update.message?.document;
    expect(document).toMatchObject({ file_name: 'plan.pdf', mime_type: 'application/pdf', file_size: 14 });
    const file = result<{ file_path: string }>(await call(api, 'getFile', { file_id: document?.file_id }));
    const download = await fetch(`${api.apiRoot}/file/bot${api.token}/${file.file_path}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('%PDF-1.4 hello');
    expect((await fetch(`${api.apiRoot}/file/bot${api.token}/documents/missing.pdf`)).status).toBe(404);
    const video = api.videoMessage({ chatId: 3, fromId: 3, duration: 60, fileSize: 25 * 1024 * 1024 }).message?.video;
    expect((await call(api, 'getFile', { file_id: video?.file_id })).body).toMatchObject({ error_code: 400, description: 'Bad Request: file is too big' });
    expect((await call(api, 'getFile', { file_id: 'nope' })).body).toMatchObject({ description: 'Bad Request: invalid file_id' });
  });

  it("accepts grammY's multipart uploads (attach://, unquoted filename) and standard FormData", async () => {
    const api = await start();
    const boundary = '----------abc123';
    const body = [
      `--${boundary}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n77`,
      `\r\n--${boundary}\r\ncontent-disposition:form-data;name="document"\r\n\r\nattach://f1`,
      `\r\n--${boundary}\r\ncontent-disposition:form-data;name="reply_markup"\r\n\r\n${JSON.stringify(keyboard('ok'))}`,
      `\r\n--${boundary}\r\ncontent-disposition:form-data;name="f1";filename=filings.csv\r\n\r\na,b\n1,2\n`,
      `\r\n--${boundary}--`,
    ].join('');
    const response = await fetch(`${api.apiRoot}/bot${api.token}/sendDocument`, {
      method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body,
    });
    expect(response.status).toBe(200);
    const form = new FormData();
    form.set('chat_id', '77');
    form.set('caption', '<b>Photo</b>');
    form.set('parse_mode', 'HTML');
    form.set('photo', new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }), 'p.jpg');
    expect((await fetch(`${api.apiRoot}/bot${api.token}/sendPhoto`, { method: 'POST', body: form })).status).toBe(200);
    const [doc, photo] = api.sentMessages(77);
    expect(doc?.document).toMatchObject({ fileName: 'filings.csv', mimeType: 'text/csv', uploaded: true });
    expect(doc?.document?.bytes.toString('utf8')).toBe('a,b\n1,2\n');
    expect(doc?.message.document).toMatchObject({ file_name: 'filings.csv', mime_type: 'text/csv', file_size: 8 });
    expect(doc?.reply_markup).toEqual(keyboard('ok'));
    expect(photo).toMatchObject({ plainText: 'Photo', photo: { fileName: 'p.jpg', mimeType: 'image/jpeg' } });
    expect(photo?.message.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
    const resent = await call(api, 'sendDocument', { chat_id: 77, document: doc?.document?.fileId });
    expect(result<Message>(resent).document?.file_name).toBe('filings.csv');
    expect((await call(api, 'sendDocument', { chat_id: 77 })).body).toMatchObject({ description: 'Bad Request: there is no document in the request' });
  });

  it('answers getChatMember from the table, stores commands per language, and accepts chat actions', async () => {
    const api = await start();
    api.setChatMember(-100200, 5, 'administrator');
    expect(result(await call(api, 'getChatMember', { chat_id: -100200, user_id: 5 }))).toMatchObject({ status: 'administrator', user: { id: 5 }, can_manage_chat: true });
    expect(result(await call(api, 'getChatMember', { chat_id: -100200, user_id: 6 }))).toEqual({ status: 'left', user: { id: 6, is_bot: false, first_name: 'User 6' } });
    await call(api, 'setMyCommands', { commands: [{ command: 'start', description: '开始' }], language_code: 'zh' });
    expect(api.commands({ languageCode: 'zh' })).toEqual([{ command: 'start', description: '开始' }]);
    expect(api.commands()).toBeUndefined();
    expect((await call(api, 'setMyCommands', { commands: [{ command: 'Start', description: 'x' }] })).body).toMatchObject({ description: 'Bad Request: BOT_COMMAND_INVALID' });
    expect((await call(api, 'sendChatAction', { chat_id: 5, action: 'typing' })).body).toEqual({ ok: true, result: true });
    const mention = api.textMessage({ chatId: -100200, fromId: 5, text: 'hi @SciWeek_test_bot' }).message;
    expect(mention).toMatchObject({ chat: { type: 'supergroup', title: 'Test supergroup -100200' }, entities: [{ type: 'mention', offset: 3, length: 17 }] });
  });
});
