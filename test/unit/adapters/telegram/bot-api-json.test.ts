/**
 * The plain JSON Bot API call the sender makes for every text message, against the Bot API stand-in:
 * the payload arrives as the method's parameters, an accepted call resolves, a refused one rejects
 * with grammY's GrammyError (so the sender classifies it as before), and no answer, a dropped
 * connection or the timeout reject with a plain Error (transient: retried).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GrammyError } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonCaller } from '../../../../src/adapters/telegram/bot-api-json.js';
import { classifyTelegramError } from '../../../../src/adapters/telegram/sender.js';
import { startBotApi, type BotApi } from '../../../support/telegram-bot-api.js';

let apis: BotApi[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all([...apis.map((api) => api.close()), ...closers.splice(0).map((close) => close())]);
  apis = [];
});

async function api(): Promise<BotApi> {
  const started = await startBotApi();
  apis.push(started);
  return started;
}

describe('JSON Bot API call', () => {
  it('posts the payload as the method parameters and resolves once Telegram accepts it', async () => {
    const bot = await api();
    const call = createJsonCaller({ apiRoot: bot.apiRoot, token: bot.token, timeoutMs: 5_000 });
    await expect(call('sendMessage', { chat_id: '42', text: '<b>你好</b> & bye', parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: '提交', callback_data: 'nav:submit' }]] } })).resolves.toBeUndefined();
    const [sent] = bot.callsOf('sendMessage');
    expect(sent?.params).toMatchObject({ chat_id: '42', text: '<b>你好</b> & bye', parse_mode: 'HTML' });
    expect(bot.sentMessages(42).map((message) => message.plainText)).toEqual(['你好 & bye']);
  });

  it('rejects a refused call with a GrammyError carrying the code, the description and retry_after', async () => {
    const bot = await api();
    const call = createJsonCaller({ apiRoot: bot.apiRoot, token: bot.token, timeoutMs: 5_000 });
    bot.failNext('sendMessage', { error_code: 429, parameters: { retry_after: 7 } });
    const limited = await call('sendMessage', { chat_id: '1', text: 'x' }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(GrammyError);
    expect(classifyTelegramError(limited)).toMatchObject({ kind: 'retryAfter', status: 429, seconds: 7 });
    bot.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const blocked = await call('sendMessage', { chat_id: '1', text: 'x' }).catch((error: unknown) => error);
    expect(classifyTelegramError(blocked)).toMatchObject({ kind: 'unreachable', status: 403, reason: '403 Forbidden: bot was blocked by the user' });
    bot.failNext('sendMessage', { error_code: 502 });
    expect(classifyTelegramError(await call('sendMessage', { chat_id: '1', text: 'x' }).catch((error: unknown) => error))).toMatchObject({ kind: 'transient', status: 502 });
  });

  it('rejects a dropped connection and an answer that is not JSON as transient failures', async () => {
    const bot = await api();
    const call = createJsonCaller({ apiRoot: bot.apiRoot, token: bot.token, timeoutMs: 5_000 });
    bot.failNext('sendMessage', { drop: true });
    const dropped = await call('sendMessage', { chat_id: '1', text: 'x' }).catch((error: unknown) => error);
    expect(dropped).toBeInstanceOf(Error);
    expect(dropped).not.toBeInstanceOf(GrammyError);
    expect(classifyTelegramError(dropped).kind).toBe('transient');

    const proxy = createServer((_request, response) => response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => proxy.close(() => resolve())));
    const behindProxy = createJsonCaller({ apiRoot: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token: 't', timeoutMs: 5_000 });
    const html = await behindProxy('sendMessage', { chat_id: '1', text: 'x' }).catch((error: unknown) => error);
    expect(String(html)).toContain('other than JSON');
    expect(classifyTelegramError(html).kind).toBe('transient');
  });

  it('gives up a call unanswered within its timeout', async () => {
    const bot = await api();
    const call = createJsonCaller({ apiRoot: bot.apiRoot, token: bot.token, timeoutMs: 300 });
    bot.delay('sendMessage', 5_000);
    const late = await call('sendMessage', { chat_id: '1', text: 'x' }).catch((error: unknown) => error);
    expect(String(late)).toContain('did not answer sendMessage within 300 ms');
    expect(classifyTelegramError(late).kind).toBe('transient');
  });
});
