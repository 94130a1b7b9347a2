/**
 * What the Telegram adapter owes the Bot API and its users, end to end: a 429 is waited out
 * and the reply delivered once, a user who blocked the bot (403) is recorded and not retried, the same
 * update delivered twice is handled once (polling and webhook), a webhook call with a wrong secret is
 * refused, user text is HTML-escaped, the command menu is set in both languages, and a second poller
 * on the same token is detected (409).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_PROJECT_ANSWERS } from '../support/engine-harness.js';
import { startBotApi, type BotApi } from '../support/telegram-bot-api.js';
import {
  WEBHOOK_SECRET,
  chatOfCall,
  eventually,
  startTelegramBot,
  succeeded,
  textOf,
  type TelegramBot,
  type TelegramMode,
} from '../support/telegram-harness.js';

const HELP_START = '可用命令：';

let running: TelegramBot[] = [];
let apis: BotApi[] = [];
afterEach(async () => {
  await Promise.allSettled(running.map((bot) => bot.close()));
  await Promise.allSettled(apis.map((api) => api.close()));
  running = [];
  apis = [];
});

async function start(mode: TelegramMode = 'polling', api?: BotApi): Promise<TelegramBot> {
  const bot = await startTelegramBot({ mode, ...(api === undefined ? {} : { api }) });
  running.push(bot);
  return bot;
}

/** sendMessage calls to a chat whose text starts with `prefix`. */
function sendsTo(bot: TelegramBot, chatId: number, prefix: string): ReturnType<BotApi['callsOf']> {
  return bot.api
    .callsOf('sendMessage')
    .filter((call) => chatOfCall(call) === String(chatId) && typeof call.params.text === 'string' && call.params.text.startsWith(prefix));
}

/** How many updates the engine dropped as duplicates (the `sciweek_updates_total` counter). */
async function duplicatesCounted(bot: TelegramBot): Promise<number> {
  const metric = bot.app.metrics.registry.getSingleMetric('sciweek_updates_total');
  const values = (await metric?.get())?.values ?? [];
  return values.filter((value) => value.labels.outcome === 'duplicate').reduce((sum, value) => sum + value.value, 0);
}

describe('telegram outbound', () => {
  it('waits out a 429, delivers the reply exactly once, and keeps the chat\'s replies in order', async () => {
    const bot = await start();
    const chat = 7101;
    bot.api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    await bot.deliver(bot.api.textMessage({ chatId: chat, fromId: chat, text: '/help' }));
    await bot.deliver(bot.api.textMessage({ chatId: chat, fromId: chat, text: '/lang zh' }));
    await eventually(() => (bot.api.sentMessages(chat).length >= 2 ? true : undefined), 'both replies', 8_000);
    await bot.settle(chat);

    const attempts = sendsTo(bot, chat, HELP_START);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.response).toMatchObject({ ok: false, error_code: 429 });
    expect(attempts.filter(succeeded)).toHaveLength(1);
    // The reply held back by the 429 still comes first.
    const sent = bot.api.sentMessages(chat).map((message) => message.plainText);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.startsWith(HELP_START)).toBe(true);
    expect(sent[1]).toContain('已切换为中文');
  });

  it('retries a 5xx and a dropped connection with backoff and delivers once', async () => {
    const bot = await start();
    const chat = 7151;
    bot.api.failNext('sendMessage', { error_code: 502 });
    bot.api.failNext('sendMessage', { drop: true });
    const replies = await bot.say(chat, chat, '/help', { timeoutMs: 8_000 });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.plainText.startsWith(HELP_START)).toBe(true);
    const attempts = bot.api.callsOf('sendMessage').filter((call) => chatOfCall(call) === String(chat));
    expect(attempts.map((call) => (typeof call.response === 'object' ? (call.response.ok ? 'ok' : call.response.error_code) : call.response))).toEqual([
      502,
      'dropped',
      'ok',
    ]);
  });

  it('records a chat that blocked the bot (403) and does not retry the reply', async () => {
    const bot = await start();
    const chat = 7202;
    bot.api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await bot.deliver(bot.api.textMessage({ chatId: chat, fromId: chat, text: '/help' }));
    const record = await eventually(
      async () => (await bot.app.store.listUnreachable()).find((chatRecord) => chatRecord.chatId === String(chat)),
      'the unreachable chat to be recorded',
    );
    expect(record).toMatchObject({ platform: 'telegram', chatId: String(chat) });
    expect(record.reason).toContain('403');

    // The user unblocks and writes again: replies to one chat keep their order, so a retry of the
    // first reply would have gone out before this one.
    const later = await bot.say(chat, chat, '/lang zh');
    expect(textOf(later)).toContain('已切换为中文');
    const helps = sendsTo(bot, chat, HELP_START);
    expect(helps).toHaveLength(1);
    expect(helps[0]?.response).toMatchObject({ ok: false, error_code: 403 });
    expect(bot.api.sentMessages(chat).some((message) => message.plainText.startsWith(HELP_START))).toBe(false);
  });
});

describe('telegram inbound', () => {
  it('handles an update delivered twice by long polling once', async () => {
    const bot = await start('polling');
    const chat = 7303;
    const first = bot.api.pushUpdate(bot.api.textMessage({ chatId: chat, fromId: chat, text: '/help' }));
    await eventually(() => (bot.api.sentMessages(chat).length > 0 ? true : undefined), 'the first reply');
    await bot.settle(chat);
    // Telegram sends it again to the poll that follows (the bot's offset is already past it).
    await eventually(
      () =>
        bot.api
          .callsOf('getUpdates')
          .some((call) => call.response === undefined && Number(call.params.offset) > first.update_id)
          ? true
          : undefined,
      'the next held poll',
    );
    bot.api.pushUpdate({ ...first });
    await eventually(async () => ((await duplicatesCounted(bot)) === 1 ? true : undefined), 'the repeat to be dropped as a duplicate');

    const after = await bot.say(chat, chat, '/lang zh');
    expect(textOf(after)).toContain('已切换为中文');
    expect(bot.api.sentMessages(chat).filter((message) => message.plainText.startsWith(HELP_START))).toHaveLength(1);
    expect(bot.api.sentMessages(chat)).toHaveLength(2);
  });

  it('handles an update delivered twice to the webhook once', async () => {
    const bot = await start('webhook');
    const chat = 7404;
    expect(bot.api.webhook()?.url).toBe(`http://127.0.0.1:${bot.service.port}/telegram/hook`);
    expect(bot.api.webhook()?.secret_token).toBe(WEBHOOK_SECRET);
    const update = { ...bot.api.textMessage({ chatId: chat, fromId: chat, text: '/help' }), update_id: 424_242 };
    expect(await bot.api.deliverWebhook(update)).toBe(200);
    expect(await bot.api.deliverWebhook(update)).toBe(200);
    await eventually(async () => ((await duplicatesCounted(bot)) === 1 ? true : undefined), 'the repeat to be dropped as a duplicate');

    const after = await bot.say(chat, chat, '/lang zh');
    expect(textOf(after)).toContain('已切换为中文');
    expect(bot.api.sentMessages(chat).filter((message) => message.plainText.startsWith(HELP_START))).toHaveLength(1);
    expect(bot.api.sentMessages(chat)).toHaveLength(2);
  });

  it('refuses a webhook call with a wrong secret: 401, no reply, no session change', async () => {
    const bot = await start('webhook');
    const chat = 7505;
    await bot.say(chat, chat, '/file key-project');
    const before = await bot.session(chat, chat);
    expect(before?.flow?.cursor).toMatchObject({ kind: 'field', fieldId: 'district' });
    const sent = bot.api.sentMessages(chat).length;

    const forged = bot.api.textMessage({ chatId: chat, fromId: chat, text: '市南' });
    expect(await bot.api.deliverWebhook(forged, { secret: 'not-the-secret' })).toBe(401);
    expect(await bot.api.deliverWebhook(forged, { secret: null })).toBe(401);

    // The next genuine update is answered, and it is the first thing answered since the forgeries.
    const genuine = await bot.say(chat, chat, '/help');
    expect(bot.api.sentMessages(chat).slice(sent)).toEqual(genuine);
    expect(textOf(genuine).startsWith(HELP_START)).toBe(true);
    expect(await bot.session(chat, chat)).toEqual(before);
  });

  it('escapes user text: typed markup comes back as literal text, not formatting', async () => {
    const bot = await start();
    const chat = 7606;
    const typed = '<b>x</b> & <script>';
    await bot.say(chat, chat, '/file key-project');
    const answers = [...KEY_PROJECT_ANSWERS];
    answers[1] = typed;
    let last = await bot.say(chat, chat, answers[0] ?? '');
    for (const answer of answers.slice(1)) last = await bot.say(chat, chat, answer);

    const summary = last.find((message) => message.plainText.includes('请核对附件2 重点项目备案表'));
    expect(summary, textOf(last)).toBeDefined();
    if (summary === undefined) return;
    expect(summary.parse_mode).toBe('HTML');
    expect(summary.text).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;');
    expect(summary.plainText).toContain(`2. 项目名称：${typed}`);
    const at = summary.plainText.indexOf(typed);
    const overlapping = summary.entities.filter((entity) => entity.offset < at + typed.length && entity.offset + entity.length > at);
    expect(overlapping).toEqual([]);
    // The bot's own markup still works: the field labels are bold.
    const label = summary.plainText.indexOf('项目名称：');
    expect(summary.entities).toContainEqual(expect.objectContaining({ type: 'bold', offset: label, length: '项目名称'.length }));
  });
});

describe('telegram service', () => {
  it('sets the command menu in Chinese and English', async () => {
    const bot = await start();
    const zh = bot.api.commands({ languageCode: 'zh' });
    const en = bot.api.commands({ languageCode: 'en' });
    expect(zh?.map((command) => command.command)).toEqual(expect.arrayContaining(['start', 'file', 'my', 'help', 'cancel', 'bind', 'unbind']));
    expect(zh).toContainEqual({ command: 'file', description: '填报表格' });
    expect(en?.map((command) => command.command)).toEqual(zh?.map((command) => command.command));
    const enFile = en?.find((command) => command.command === 'file')?.description ?? '';
    expect(enFile).not.toBe('');
    expect(enFile).not.toMatch(/[\u4e00-\u9fff]/);
    expect(bot.api.commands()).toEqual(zh);
  });

  it('detects a second poller on the same token (409) and fails the instance whose poll was cut off', async () => {
    const api = await startBotApi();
    apis.push(api);
    const older = await start('polling', api);
    const heldPolls = (): number => api.callsOf('getUpdates').filter((call) => call.response === undefined).length;
    await eventually(() => (heldPolls() > 0 ? true : undefined), 'the first instance to hold a long poll');

    const newer = await start('polling', api);
    let newerFailed = false;
    void newer.service.failed.then(() => {
      newerFailed = true;
    });
    // The stand-in, like Telegram, ends the older held poll with 409 when the newer one polls.
    const error = await older.service.failed;
    expect(error.message).toMatch(/409/);
    expect(error.message).toMatch(/another instance/);
    expect(api.callsOf('getUpdates').some((call) => typeof call.response === 'object' && !call.response.ok && call.response.error_code === 409)).toBe(true);

    // The newer instance goes on serving.
    const chat = 7707;
    const replies = await newer.say(chat, chat, '/help');
    expect(textOf(replies).startsWith(HELP_START)).toBe(true);
    expect(newerFailed).toBe(false);
  });
});
