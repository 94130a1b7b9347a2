/**
 * The outbound sender against the Bot API stand-in through grammY's real client: retries reach the
 * second attempt, a 403 stops and is reported once, a refused HTML falls back to plain text, and one
 * chat's replies keep their order.
 */
import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { botApiFetch } from '../../../../src/adapters/telegram/bot-api-fetch.js';
import { createTelegramSender } from '../../../../src/adapters/telegram/sender.js';
import { createJsonCaller } from '../../../../src/adapters/telegram/bot-api-json.js';
import { silentLogger } from '../../../../src/kernel/logger.js';
import { textReply } from '../../../../src/domain/reply.js';
import { startBotApi, type BotApi } from '../../../support/telegram-bot-api.js';

let apis: BotApi[] = [];
afterEach(async () => {
  await Promise.all(apis.map((api) => api.close()));
  apis = [];
});

async function setup(): Promise<{ api: BotApi; sender: ReturnType<typeof createTelegramSender>; unreachable: string[]; waits: number[] }> {
  const api = await startBotApi();
  apis.push(api);
  const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  const unreachable: string[] = [];
  const waits: number[] = [];
  const sender = createTelegramSender({
    api: bot.api,
    json: createJsonCaller({ apiRoot: api.apiRoot, token: api.token, timeoutMs: 60_000 }),
    botUsername: () => 'sciweek_test_bot',
    log: silentLogger,
    onUnreachable: (chatId, reason) => unreachable.push(`${chatId} ${reason}`),
    baseDelayMs: 5,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  return { api, sender, unreachable, waits };
}

describe('telegram sender', () => {
  it('retries a 500 with backoff and delivers once on the second attempt', async () => {
    const { api, sender, waits } = await setup();
    api.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    await sender.send('7', [textReply('你好')]);
    expect(api.sentMessages(7).map((m) => m.plainText)).toEqual(['你好']);
    expect(api.callsOf('sendMessage')).toHaveLength(2);
    expect(waits).toEqual([5]);
  });

  it('waits retry_after on a 429', async () => {
    const { api, sender, waits } = await setup();
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
    await sender.send('7', [textReply('a')]);
    expect(waits).toEqual([3000]);
    expect(api.sentMessages(7)).toHaveLength(1);
  });

  it('reports a 403 once and drops the rest of that chat’s replies', async () => {
    const { api, sender, unreachable } = await setup();
    api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await sender.send('7', [textReply('a'), textReply('b')]);
    expect(unreachable).toEqual(['7 403 Forbidden: bot was blocked by the user']);
    expect(api.callsOf('sendMessage')).toHaveLength(1);
  });

  it('gives up after the attempts and rejects with the platform error', async () => {
    const { api, sender } = await setup();
    api.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 10);
    await expect(sender.send('7', [textReply('a')])).rejects.toMatchObject({ code: 'platform_api_failed', platform: 'telegram', status: 502, method: 'sendMessage', transient: true });
    expect(api.callsOf('sendMessage')).toHaveLength(5);
  });

  it('sends a reply whose HTML Telegram refuses as plain text, and keeps it plain through a retry', async () => {
    const { api, sender, waits } = await setup();
    api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0' });
    api.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    expect(await sender.send('7', [textReply('见附件')])).toBe('sent');
    expect(api.callsOf('sendMessage').map((call) => call.params['parse_mode'])).toEqual(['HTML', undefined, undefined]);
    expect(waits).toEqual([5]);
    expect(api.sentMessages(7).map((m) => m.plainText)).toEqual(['见附件']);
  });

  it('does not retry a request Telegram refuses (400), and says the platform is not down', async () => {
    const { api, sender } = await setup();
    api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await expect(sender.send('7', [textReply('a')])).rejects.toMatchObject({ code: 'platform_api_failed', status: 400, transient: false });
    expect(api.callsOf('sendMessage')).toHaveLength(1);
  });

  it('keeps one chat’s replies in order', async () => {
    const { api, sender } = await setup();
    api.failNext('sendMessage', { error_code: 500, description: 'x' });
    await Promise.all([sender.send('7', [textReply('1'), textReply('2')]), sender.send('7', [textReply('3')])]);
    expect(api.sentMessages(7).map((m) => m.plainText)).toEqual(['1', '2', '3']);
  });
});

describe('telegram sender link previews', () => {
  it('turns previews off for a reply with a web address, and sends no such option otherwise', async () => {
    const { api, sender } = await setup();
    const texts = ['（2/16） 项目名称：请输入', '详见 https://kjj.qingdao.gov.cn 的通知', '邮箱 kp@example.cn', '见 www.qd.gov', '标志见 t.me/x', '约5.5万元'];
    await sender.send('7', texts.map((text) => textReply(text)));
    const sent = api.callsOf('sendMessage').map((call) => call.params['link_preview_options']);
    expect(sent).toEqual([undefined, { is_disabled: true }, { is_disabled: true }, { is_disabled: true }, { is_disabled: true }, undefined]);
  });
});

describe('telegram sender and a hung Bot API', () => {
  it('gives up a call that outlives the client timeout and delivers on a retry', async () => {
    const api = await startBotApi();
    apis.push(api);
    // As the adapter builds it: the JSON call gives up at its timeout (and grammY's client, for uploads, too).
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot, timeoutSeconds: 1, fetch: botApiFetch } });
    const json = createJsonCaller({ apiRoot: api.apiRoot, token: api.token, timeoutMs: 1_000 });
    const sender = createTelegramSender({ api: bot.api, json, botUsername: () => 'sciweek_test_bot', log: silentLogger, onUnreachable: () => undefined, baseDelayMs: 5 });
    api.delay('sendMessage', 3_000);
    const sent = sender.send('7', [textReply('仍在')]);
    // The first call hangs; once it is on the wire, the API answers promptly again.
    for (let i = 0; i < 100 && api.callsOf('sendMessage').length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    api.delay('sendMessage', 0);
    await expect(sent).resolves.toBe('sent');
    expect(api.callsOf('sendMessage').length).toBeGreaterThanOrEqual(2);
    expect(api.sentMessages(7).map((m) => m.plainText)).toContain('仍在');
  }, 15_000);
});
