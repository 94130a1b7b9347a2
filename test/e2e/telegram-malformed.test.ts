/**
 * Malformed updates through the real grammY adapter against the Bot API stand-in, kept in the durable
 * inbox and answered through the outbox like any other: at the exhibitor photo step holding 7 photos,
 * a document with `file_size: null` is taken as the 8th, and one without a file_id is refused alone
 * while the photos stay; an update with text that is a number, a sender without an id, or a button
 * press whose data is a number gets a localized apology (polling and webhook), a group message that
 * was not meant for the bot gets nothing, and the draft is as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filesOf } from '../../src/flow/attachments.js';
import { EXHIBITOR_ANSWERS, KEY_PROJECT_ANSWERS, translate } from '../support/engine-harness.js';
import type { UpdateInput } from '../support/telegram-bot-api.js';
import { lastOf, startTelegramBot, textOf, type TelegramBot, type TelegramMode } from '../support/telegram-harness.js';

const zh = translate('zh-CN');
const en = translate('en');

let running: TelegramBot[] = [];
afterEach(async () => {
  await Promise.allSettled(running.map((bot) => bot.close()));
  running = [];
});

async function start(mode: TelegramMode = 'polling'): Promise<TelegramBot> {
  const bot = await startTelegramBot({ mode });
  running.push(bot);
  return bot;
}

/** An update as a broken sender may produce it: a real one, then fields changed past their types. */
function bend(update: UpdateInput, change: (message: Record<string, unknown>) => void): UpdateInput {
  const message = update.message as unknown as Record<string, unknown> | undefined;
  if (message === undefined) throw new Error('no message to bend');
  change(message);
  return update;
}

async function photoRefs(bot: TelegramBot, chat: number): Promise<string[]> {
  return filesOf((await bot.session(chat, chat))?.flow?.values.photos).map((file) => file.fileRef);
}

describe('telegram files of the wrong shape', () => {
  it('takes a document with file_size null as the 8th photo and refuses one without a file_id alone; the photos stay', async () => {
    const bot = await start();
    const chat = 6201;
    await bot.say(chat, chat, '/file exhibitor');
    for (const answer of EXHIBITOR_ANSWERS) await bot.say(chat, chat, answer);
    const refs: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const photo = bot.api.photoMessage({ chatId: chat, fromId: chat });
      refs.push(photo.message?.photo?.at(-1)?.file_id ?? '');
      await bot.send(chat, photo);
    }
    expect(await photoRefs(bot, chat)).toEqual(refs);

    const nullSize = bot.api.documentMessage({ chatId: chat, fromId: chat, fileName: 'exhibit.png', mimeType: 'image/png', fileSize: 300_000 });
    refs.push(nullSize.message?.document?.file_id ?? '');
    const taken = await bot.send(chat, bend(nullSize, (m) => ((m['document'] as Record<string, unknown>)['file_size'] = null)));
    expect(textOf(taken)).toContain('收到 1 个文件，共 8 个（最多 9 个）');
    expect(await photoRefs(bot, chat)).toEqual(refs);
    const kept = filesOf((await bot.session(chat, chat))?.flow?.values.photos).at(-1);
    expect(kept).toEqual({ kind: 'document', fileRef: refs[7], uniqueId: nullSize.message?.document?.file_unique_id, name: 'exhibit.png', mime: 'image/png' });

    const noId = bot.api.documentMessage({ chatId: chat, fromId: chat, fileName: 'broken.png', mimeType: 'image/png', fileSize: 1000 });
    const refused = await bot.send(chat, bend(noId, (m) => delete (m['document'] as Record<string, unknown>)['file_id']));
    expect(textOf(refused)).toContain('收到 0 个文件，共 8 个');
    expect(textOf(refused)).toContain(`✗ broken.png：${zh('errors.file.unreadable')}`);
    const oddPhoto = await bot.send(chat, bend(bot.api.photoMessage({ chatId: chat, fromId: chat }), (m) => (m['photo'] = 'not sizes')));
    expect(textOf(oddPhoto)).toContain(`✗ #1：${zh('errors.file.unreadable')}`);
    expect(await photoRefs(bot, chat)).toEqual(refs);

    const summary = await bot.say(chat, chat, '完成');
    expect(textOf(summary)).toContain('8. 相关展品照片：8 个文件');
  });
});

describe.each(['polling', 'webhook'] as const)('telegram updates that cannot be read (%s)', (mode) => {
  it('answers each with a localized apology where there is a chat and a person, and the draft stays as it was', async () => {
    const bot = await start(mode);
    const chat = 6301;
    await bot.say(chat, chat, '/file key-project');
    await bot.say(chat, chat, KEY_PROJECT_ANSWERS[0] ?? '');
    const before = (await bot.session(chat, chat))?.flow;
    expect(before?.values).toHaveProperty('district');

    const numeric = await bot.send(chat, bend(bot.api.textMessage({ chatId: chat, fromId: chat, text: 'x' }), (m) => (m['text'] = 20210522)));
    expect(textOf(numeric)).toBe(zh('errors.unreadable'));
    const noSender = await bot.send(chat, bend(bot.api.textMessage({ chatId: chat, fromId: chat, text: '青岛海洋嘉年华' }), (m) => (m['from'] = { first_name: '张三' })));
    expect(textOf(noSender)).toBe(zh('errors.unreadable'));
    const english = await bot.send(chat, bend(bot.api.textMessage({ chatId: chat, fromId: chat, text: 'x', languageCode: 'en' }), (m) => (m['caption'] = { bold: true })));
    expect(textOf(english)).toBe(en('errors.unreadable'));

    const withButtons = [...bot.api.sentMessages(chat)].reverse().find((message) => message.reply_markup !== undefined);
    if (withButtons === undefined) throw new Error('no message with buttons');
    const press = bot.api.callbackQuery({ chatId: chat, fromId: chat, data: 'nav:back:f.district', messageId: withButtons.message_id });
    (press.callback_query as unknown as Record<string, unknown>)['data'] = 7;
    expect(textOf(await bot.send(chat, press))).toBe(zh('errors.unreadable'));
    // The keyboard stays, so the button can be pressed again.
    expect(bot.api.callsOf('editMessageReplyMarkup').filter((call) => call.params.message_id === withButtons.message_id)).toEqual([]);

    // A chat id written as digits is the same chat: the answer is taken as usual.
    const asDigits = await bot.send(chat, bend(bot.api.textMessage({ chatId: chat, fromId: chat, text: KEY_PROJECT_ANSWERS[1] ?? '' }), (m) => (m['chat'] = { id: String(chat), type: 'private' })));
    expect(textOf(asDigits)).toContain('主办单位');
    expect((await bot.session(chat, chat))?.flow?.values).toEqual({ ...before?.values, projectName: KEY_PROJECT_ANSWERS[1] });
  });

  it('in a group answers an unreadable reply to the bot and ignores an unreadable message meant for nobody', async () => {
    const bot = await start(mode);
    const group = -1006301;
    const user = 6302;
    const help = await bot.say(group, user, '/help');
    const ours = lastOf(help);
    const ignored = bend(bot.api.textMessage({ chatId: group, fromId: user, text: 'x' }), (m) => (m['text'] = 5));
    await bot.deliver(ignored);
    const reply = bend(bot.api.textMessage({ chatId: group, fromId: user, text: 'x', replyToMessageId: ours.message_id }), (m) => (m['text'] = 6));
    const answered = await bot.send(group, reply);
    expect(textOf(answered)).toBe(zh('errors.unreadable'));
    // The next readable command is answered as usual, once.
    const again = await bot.say(group, user, '/help');
    expect(textOf(again)).toContain('/file');
  });
});
