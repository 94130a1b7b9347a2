/**
 * Malformed Slack payloads through the real Bolt adapter against the Web API stand-in, kept in the
 * durable inbox and answered through the outbox: a DM whose text is a number or whose sender is
 * missing, a mention whose text is not text, a press of the bot's button without its value and (in
 * Socket Mode) a slash command whose text is a number each get a localized apology, acknowledged so
 * Slack does not send them again; at the exhibitor photo step, a shared file whose size is null is
 * taken and one without an id is refused alone.
 */
import { describe, expect, it } from 'vitest';
import { filesOf } from '../../src/flow/attachments.js';
import { EXHIBITOR_ANSWERS, translate } from '../support/engine-harness.js';
import { appMentionEvent, blockActionsPayload, dmMessageEvent, slashCommandBody, type JsonObject, type StoredMessage } from '../support/slack-api.js';
import { buttonsOf, eventually, slackBotsPerTest, textOf, type SlackBot } from '../support/slack-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
const USER = 'UMALFORM1';
const ENGLISH = 'UMALFORM2';
const CHANNEL = 'CMALFORM1';

const start = slackBotsPerTest();

/** Does something, then waits for the bot's new messages in `channel` and for quiet; returns them. */
async function repliesTo(bot: SlackBot, channel: string, action: () => Promise<unknown>): Promise<StoredMessage[]> {
  const before = bot.api.messages(channel).length;
  await action();
  await eventually(() => (bot.api.messages(channel).length > before ? true : undefined), `a bot message in ${channel}`);
  await bot.settle();
  return bot.api.messages(channel).slice(before);
}

describe('slack payloads that cannot be read', () => {
  it('answers a DM with numeric text or no sender, a mention with odd text and a press without a value with a localized apology', async () => {
    const bot = await start({ mode: 'http', users: { [USER]: { name: 'filer', locale: 'zh-CN' }, [ENGLISH]: { name: 'reader', locale: 'en-US' } } });
    const dm = bot.dmChannel(USER);
    const numeric = await repliesTo(bot, dm, () => bot.deliverEvent({ ...dmMessageEvent({ userId: USER, channel: dm, text: 'x' }), text: 20210522 }));
    expect(textOf(numeric)).toBe(zh('errors.unreadable'));
    const anonymous = await repliesTo(bot, dm, () => bot.deliverEvent({ ...dmMessageEvent({ userId: USER, channel: dm, text: '你好' }), user: undefined }));
    expect(textOf(anonymous)).toBe(zh('errors.unreadable'));
    const englishDm = bot.dmChannel(ENGLISH);
    const inEnglish = await repliesTo(bot, englishDm, () => bot.deliverEvent({ ...dmMessageEvent({ userId: ENGLISH, channel: englishDm, text: 'x' }), text: { a: 1 } }));
    expect(textOf(inEnglish)).toBe(en('errors.unreadable'));

    const mention: JsonObject = { ...appMentionEvent({ userId: USER, channel: CHANNEL, text: 'x', botUserId: bot.api.botUserId }), text: ['x'] };
    const inChannel = await repliesTo(bot, CHANNEL, () => bot.deliverEvent(mention));
    expect(textOf(inChannel)).toBe(zh('errors.unreadable'));
    expect(inChannel[0]?.thread_ts).toBe(mention['ts']);

    const picker = await bot.command(USER, dm, 'file');
    const target = [...picker.messages].reverse().find((message) => buttonsOf(message).length > 0);
    const button = target === undefined ? undefined : buttonsOf(target)[0];
    if (target === undefined || button === undefined) throw new Error('no buttons to press');
    const payload = blockActionsPayload({ userId: USER, channel: dm, messageTs: target.ts, actionId: button.action_id, value: button.value, triggerId: bot.api.triggerId() });
    for (const action of payload['actions'] as JsonObject[]) delete action['value'];
    const pressed = await repliesTo(bot, dm, () => bot.deliverInteraction(payload));
    expect(textOf(pressed)).toBe(zh('errors.unreadable'));

    // The next readable DM is answered as usual.
    expect(textOf(await bot.dm(USER, '/help'))).toContain('/sciweek file');
  });

  it('in Socket Mode acknowledges a slash command with numeric text and apologizes in the DM', async () => {
    const bot = await start({ mode: 'socket', users: { [USER]: { name: 'filer', locale: 'zh-CN' } } });
    const socket = bot.api.socketMode;
    if (socket === undefined) throw new Error('no Socket Mode stand-in');
    const dm = bot.dmChannel(USER);
    const body = { ...slashCommandBody({ command: '/sciweek', text: 'x', userId: USER, channelId: dm, triggerId: bot.api.triggerId() }), text: 404 };
    const replies = await repliesTo(bot, dm, async () => {
      const ack = await socket.deliver('slash_commands', body);
      expect(ack.envelope_id).toBeDefined();
    });
    expect(textOf(replies)).toBe(zh('errors.unreadable'));
    const numeric = await repliesTo(bot, dm, () => bot.deliverEvent({ ...dmMessageEvent({ userId: USER, channel: dm, text: 'x' }), text: 5 }));
    expect(textOf(numeric)).toBe(zh('errors.unreadable'));
  });
});

describe('slack files of the wrong shape', () => {
  it('takes a shared photo whose size is null and refuses one without an id alone, at the photo step', async () => {
    const bot = await start({ mode: 'http', users: { [USER]: { name: 'filer', locale: 'zh-CN' } } });
    const dm = bot.dmChannel(USER);
    await bot.command(USER, dm, 'file');
    await bot.press(USER, dm, '附件1 启动式参展信息表');
    let last: StoredMessage[] = [];
    for (const answer of EXHIBITOR_ANSWERS) last = await bot.dm(USER, answer);
    expect(textOf(last)).toContain('相关展品照片');

    const good = { ...bot.api.registerFile({ id: 'FMALFORM1', name: 'exhibit.png', mimetype: 'image/png', size: 2048, user: USER }), size: null };
    const { id: _dropped, ...broken } = bot.api.registerFile({ id: 'FMALFORM2', name: 'broken.png', mimetype: 'image/png', size: 2048, user: USER });
    const event = { ...dmMessageEvent({ userId: USER, channel: dm, text: '', files: [] }), subtype: 'file_share', files: [good, broken] };
    const replies = await repliesTo(bot, dm, () => bot.deliverEvent(event));
    expect(textOf(replies)).toContain('收到 1 个文件，共 1 个（最多 9 个）');
    expect(textOf(replies)).toContain(`broken.png：${zh('errors.file.unreadable')}`);
    const kept = filesOf((await bot.session(dm, USER))?.flow?.values['photos']);
    expect(kept).toEqual([{ kind: 'photo', fileRef: 'FMALFORM1', uniqueId: 'FMALFORM1', name: 'exhibit.png', mime: 'image/png' }]);
  });
});
