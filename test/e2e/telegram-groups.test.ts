/**
 * Groups through the real grammY adapter: /bind <district> by a group administrator or by
 * staff (refused to anyone else; the /bind handler asks Telegram, through the bot's admin port, only
 * when it must), /unbind, a form asked for in a group answered with a deep link into the private
 * chat, questions answered only when the bot is mentioned or a command is used, and the command menu
 * written from the command registry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { menuCommands } from '../../src/bot/commands.js';
import { translate } from '../support/engine-harness.js';
import { STAFF_USER_ID, eventually, startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';

const GROUP = -1001234567890;
const ADMIN = 501;
const MEMBER = 502;
const OTHER_ADMIN = 503;

let running: TelegramBot[] = [];
afterEach(async () => {
  await Promise.allSettled(running.map((bot) => bot.close()));
  running = [];
});

async function start(): Promise<TelegramBot> {
  const bot = await startTelegramBot({ mode: 'polling' });
  running.push(bot);
  return bot;
}

function binding(bot: TelegramBot): ReturnType<TelegramBot['app']['store']['getGroup']> {
  return bot.app.store.getGroup('telegram', String(GROUP));
}

describe('telegram groups', () => {
  it('binds a group to a district by an administrator, refuses a plain member, lets staff rebind and unbind', async () => {
    const bot = await start();
    bot.api.setChatMember(GROUP, ADMIN, 'administrator');
    bot.api.setChatMember(GROUP, MEMBER, 'member');

    const asked = (userId: number): number => bot.api.callsOf('getChatMember').filter((call) => Number(call.params.user_id) === userId).length;

    // Showing the binding needs no admin: Telegram is not asked.
    const shown = await bot.say(GROUP, MEMBER, '/bind');
    expect(textOf(shown)).toContain('本群还没有绑定区市');
    expect(textOf(shown)).toContain('发送 /bind 区市名称 绑定本群（如 /bind 市南区）');
    expect(asked(MEMBER)).toBe(0);

    const bound = await bot.say(GROUP, ADMIN, '/bind 市南区');
    expect(textOf(bound)).toContain('本群已绑定到市南区');
    // The /bind handler asked Telegram, once, whether the sender administers the group.
    expect(asked(ADMIN)).toBe(1);
    expect(await binding(bot)).toMatchObject({ platform: 'telegram', chatId: String(GROUP), district: 'shinan', boundBy: `telegram:${ADMIN}` });

    const refused = await bot.say(GROUP, MEMBER, '/bind 崂山区');
    expect(textOf(refused)).toContain('只有群管理员或市科技局工作人员可以绑定或解绑本群');
    expect(asked(MEMBER)).toBe(1);
    expect(await binding(bot)).toMatchObject({ district: 'shinan', boundBy: `telegram:${ADMIN}` });

    const refusedUnbind = await bot.say(GROUP, MEMBER, '/unbind');
    expect(textOf(refusedUnbind)).toContain('只有群管理员或市科技局工作人员');
    expect(await binding(bot)).toMatchObject({ district: 'shinan' });

    // Staff are not administrators of this group (getChatMember says `left`), and may bind anyway.
    const byStaff = await bot.say(GROUP, STAFF_USER_ID, `/bind@${bot.botUsername} 崂山区`);
    expect(textOf(byStaff)).toContain('本群已绑定到崂山区');
    expect(asked(STAFF_USER_ID)).toBe(0);
    expect(await binding(bot)).toMatchObject({ district: 'laoshan', boundBy: `telegram:${STAFF_USER_ID}` });

    const status = await bot.say(GROUP, MEMBER, '/bind');
    expect(textOf(status)).toContain('本群已绑定：崂山区');

    const unbound = await bot.say(GROUP, ADMIN, '/unbind');
    expect(textOf(unbound)).toContain('已解除本群的区市绑定');
    expect(await binding(bot)).toBeUndefined();
  });

  it('applies one administrator’s /bind and another’s /unbind sent right after it in that order', async () => {
    const bot = await start();
    bot.api.setChatMember(GROUP, ADMIN, 'administrator');
    bot.api.setChatMember(GROUP, OTHER_ADMIN, 'administrator');
    // Telegram is slow to say whether the first sender administers the group, and quick about the
    // second: the /unbind arrives, and is checked, while the /bind still waits for its answer.
    bot.api.delay('getChatMember', 300);
    bot.api.pushUpdate(bot.api.textMessage({ chatId: GROUP, fromId: ADMIN, text: '/bind 市南区' }));
    await bot.api.waitFor((call) => call.method === 'getChatMember');
    bot.api.delay('getChatMember', 0);
    bot.api.pushUpdate(bot.api.textMessage({ chatId: GROUP, fromId: OTHER_ADMIN, text: '/unbind' }));
    await eventually(() => (bot.api.sentMessages(GROUP).length >= 2 ? true : undefined), 'both replies');
    await bot.settle(GROUP);

    const replies = bot.api.sentMessages(GROUP).map((message) => message.plainText);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('本群已绑定到市南区');
    expect(replies[1]).toContain('已解除本群的区市绑定');
    expect(await binding(bot)).toBeUndefined();
  });

  it('answers a form command in a group with a deep link into the private chat', async () => {
    const bot = await start();
    const replies = await bot.say(GROUP, MEMBER, '/file key-project');
    const link = `https://t.me/${bot.botUsername}?start=key-project`;
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply?.text).toContain(`<a href="${link}">`);
    expect(reply?.parse_mode).toBe('HTML');
    expect(reply?.entities).toContainEqual(expect.objectContaining({ type: 'text_link', url: link }));
    expect(reply?.plainText).toContain('表格请在与我的私聊中填报');
    // Nothing was started in the group.
    expect((await bot.session(GROUP, MEMBER))?.flow).toBeUndefined();

    // Following the link opens the form in the private chat.
    const opened = await bot.say(MEMBER, MEMBER, '/start key-project');
    expect(textOf(opened)).toContain('开始填写《2021年科技活动周重点项目备案表》');
  });

  it('stays silent on group chatter and answers a question that mentions it', async () => {
    const bot = await start();
    const before = bot.api.sentMessages(GROUP).length;
    // Delivered first; had it been answered, that answer would come before the next one (one queue per chat).
    await bot.deliver(bot.api.textMessage({ chatId: GROUP, fromId: MEMBER, text: '截止时间是哪天？大家记得按时报送' }));
    const answered = await bot.say(GROUP, MEMBER, `@${bot.botUsername} 截止时间是哪天？`);
    expect(bot.api.sentMessages(GROUP).slice(before)).toEqual(answered);
    expect(answered).toHaveLength(1);
    expect(textOf(answered)).toContain('4月30日');
    expect(textOf(answered)).not.toContain(`@${bot.botUsername}`);

    // A command is answered too, without a mention.
    const help = await bot.say(GROUP, MEMBER, '/help');
    expect(textOf(help)).toContain('/bind 区市名称');
  });

  it('sets the command menu in each language from the command registry', async () => {
    const bot = await start();
    const zh = translate('zh-CN');
    const en = translate('en');
    const names = menuCommands().map((entry) => entry.name);
    expect(names).toEqual(['start', 'file', 'my', 'ask', 'help', 'cancel', 'lang', 'bind', 'unbind']);
    const expected = (t: typeof zh): { command: string; description: string }[] =>
      menuCommands().map(({ name, menuKey }) => ({ command: name, description: t(menuKey) }));
    expect(bot.api.commands({ languageCode: 'zh' })).toEqual(expected(zh));
    expect(bot.api.commands({ languageCode: 'en' })).toEqual(expected(en));
    // Everyone else gets the default language (zh-CN).
    expect(bot.api.commands()).toEqual(expected(zh));
    expect(bot.api.commands({ languageCode: 'en' })).toContainEqual({ command: 'bind', description: 'Group: bind a district (admins)' });
  });
});
