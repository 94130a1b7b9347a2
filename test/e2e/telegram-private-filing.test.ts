/**
 * A private chat files the key-project form (附件2) end to end through the real grammY
 * adapter, against the Bot API stand-in, in long polling and in webhook mode: once by typing every
 * answer, once by pressing the inline buttons wherever there are some. Every callback query is
 * answered once, the pressed keyboard is retired, a stale button gets "this step is over" and the
 * current question again, and every reply goes out as HTML.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_PROJECT_ANSWERS } from '../support/engine-harness.js';
import {
  buttonLabels,
  chatOfCall,
  keyboardOf,
  lastOf,
  startTelegramBot,
  textOf,
  type Press,
  type TelegramBot,
  type TelegramMode,
} from '../support/telegram-harness.js';

const RECEIPT = /回执号：(KP-[0-9A-Z]{10})/;

let running: TelegramBot[] = [];
afterEach(async () => {
  await Promise.allSettled(running.map((bot) => bot.close()));
  running = [];
});

async function start(mode: TelegramMode): Promise<TelegramBot> {
  const bot = await startTelegramBot({ mode });
  running.push(bot);
  return bot;
}

/** Every sendMessage call to the chat went out with parse_mode HTML. */
function expectHtmlReplies(bot: TelegramBot, chatId: number): void {
  const calls = bot.api.callsOf('sendMessage').filter((call) => chatOfCall(call) === String(chatId));
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) expect(call.params.parse_mode).toBe('HTML');
}

/** The press was answered exactly once and the pressed message lost its keyboard by an edit. */
function expectPressHandled(bot: TelegramBot, chatId: number, press: Press): void {
  const answers = bot.api.callsOf('answerCallbackQuery').filter((call) => call.params.callback_query_id === press.callbackQueryId);
  expect(answers).toHaveLength(1);
  expect(answers[0]?.response).toMatchObject({ ok: true });
  const edits = bot.api
    .callsOf('editMessageReplyMarkup')
    .filter((call) => chatOfCall(call) === String(chatId) && Number(call.params.message_id) === press.messageId);
  expect(edits.length).toBeGreaterThanOrEqual(1);
  expect(edits[0]?.params.reply_markup).toEqual({ inline_keyboard: [] });
  const pressed = bot.api.sentMessages(chatId).find((message) => message.message_id === press.messageId);
  expect(pressed).toBeDefined();
  if (pressed === undefined) return;
  expect(keyboardOf(pressed)).toEqual([]);
  // The keyboard it had when pressed is kept in its history.
  expect(pressed.history.some((version) => version.reply_markup !== undefined && JSON.stringify(version.reply_markup).includes(press.data))).toBe(true);
}

describe.each<TelegramMode>(['polling', 'webhook'])('telegram private chat, %s mode', (mode) => {
  it('files a key project by typing every answer and gives a KP receipt', async () => {
    const bot = await start(mode);
    const chat = 4101;
    const started = await bot.say(chat, chat, '/file key-project');
    expect(textOf(started)).toContain('开始填写《2021年科技活动周重点项目备案表》');
    expect(textOf(started)).toContain('（1/16） 所属区市');

    let last = started;
    for (const answer of KEY_PROJECT_ANSWERS) last = await bot.say(chat, chat, answer);
    const summary = textOf(last);
    expect(summary).toContain('请核对附件2 重点项目备案表');
    expect(summary).toContain('1. 所属区市：市南区');
    expect(summary).toContain('6. 举办时间：2021年5月22日至5月28日');
    expect(summary).toContain('14. 活动经费：50000元');
    expect(buttonLabels(lastOf(last))).toEqual(['提交', '修改', '取消']);

    const done = await bot.say(chat, chat, '提交');
    const receipt = RECEIPT.exec(textOf(done))?.[1];
    expect(receipt, textOf(done)).toBeDefined();

    const filings = await bot.app.store.listFilings({ eventId: bot.app.event.id, ownerKey: `telegram:${chat}` });
    expect(filings.map((filing) => filing.receipt)).toEqual([receipt]);
    expect(filings[0]?.values.projectName).toBe('青岛海洋科普嘉年华');
    expect(filings[0]?.district).toBe('shinan');
    expect(await bot.session(chat, chat)).not.toHaveProperty('flow');
    expectHtmlReplies(bot, chat);
    // No button was pressed, so nothing was answered or edited.
    expect(bot.api.callsOf('answerCallbackQuery')).toHaveLength(0);
  });

  it('files a key project pressing the buttons; presses are answered, keyboards retired, a stale button is refused', async () => {
    const bot = await start(mode);
    const chat = 4202;
    const presses: Press[] = [];

    const started = await bot.say(chat, chat, '/file key-project');
    expect(buttonLabels(lastOf(started))).toContain('市南区');

    const district = await bot.press(chat, chat, '市南区');
    presses.push(district);
    expect(district.data).toMatch(/^pick:district\.[a-z0-9]{6}:shinan$/);
    expect(textOf(district.replies)).toContain('（2/16） 项目名称');

    // The district keyboard is gone; pressing its button anyway is a stale press.
    const stale = await bot.pressData(chat, chat, district.messageId, district.data);
    presses.push(stale);
    expect(textOf(stale.replies)).toContain('这一步已经过去了');
    expect(textOf(stale.replies)).toContain('（2/16） 项目名称');
    expect(textOf(stale.replies)).toContain('请输入项目名称');
    // … and it changed nothing: the district stays, the draft still waits for the project name.
    const draft = (await bot.session(chat, chat))?.flow;
    expect(draft?.values.district).toBe('shinan');
    expect(draft?.cursor).toMatchObject({ kind: 'field', fieldId: 'projectName' });

    const [, name, organizer, supervisor, venue, , lead, contact, address, postal, phone, , email, budget, attendance, summary] = KEY_PROJECT_ANSWERS;
    const namePrompt = lastOf(district.replies);
    const oldBack = keyboardOf(namePrompt).flat().find((button) => button.text === '返回')?.callback_data;
    expect(oldBack).toBeDefined();
    for (const answer of [name, organizer, supervisor, venue]) await bot.say(chat, chat, answer ?? '');

    // The 返回 of the project-name question, never pressed, is stale four answers later.
    const staleBack = await bot.pressData(chat, chat, namePrompt.message_id, oldBack ?? '');
    presses.push(staleBack);
    expect(textOf(staleBack.replies)).toContain('这一步已经过去了');
    expect(textOf(staleBack.replies)).toContain('（6/16） 举办时间');
    expect((await bot.session(chat, chat))?.flow?.cursor).toMatchObject({ kind: 'field', fieldId: 'period' });

    // A day before the week: the bot asks to confirm, with 是 / 否 buttons.
    const warned = await bot.say(chat, chat, '5月20日');
    expect(textOf(warned)).toContain('不在科技活动周');
    expect(buttonLabels(lastOf(warned))).toEqual(['是', '否']);
    const yes = await bot.press(chat, chat, '是');
    presses.push(yes);
    expect(textOf(yes.replies)).toContain('（7/16） 项目负责人');

    for (const answer of [lead, contact, address, postal, phone]) await bot.say(chat, chat, answer ?? '');
    // 传真 is optional: its question has a 跳过 button.
    expect(buttonLabels(lastOf(bot.api.sentMessages(chat)))).toContain('跳过');
    const skip = await bot.press(chat, chat, '跳过');
    presses.push(skip);
    expect(textOf(skip.replies)).toContain('（13/16） 电子邮箱');

    let last = skip.replies;
    for (const answer of [email, budget, attendance, summary]) last = await bot.say(chat, chat, answer ?? '');
    expect(textOf(last)).toContain('6. 举办时间：2021年5月20日');
    expect(textOf(last)).toContain('12. 传真：（未填）');

    const submit = await bot.press(chat, chat, '提交');
    presses.push(submit);
    const receipt = RECEIPT.exec(textOf(submit.replies))?.[1];
    expect(receipt, textOf(submit.replies)).toBeDefined();

    for (const press of presses) expectPressHandled(bot, chat, press);
    expect(bot.api.callsOf('answerCallbackQuery')).toHaveLength(presses.length);
    expectHtmlReplies(bot, chat);

    const filing = receipt === undefined ? undefined : await bot.app.store.getFiling(receipt);
    expect(filing?.values.period).toEqual({ start: '2021-05-20', end: '2021-05-20' });
    expect(filing?.values.fax).toBeNull();
  });
});
