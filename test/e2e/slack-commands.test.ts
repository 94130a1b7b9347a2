/**
 * `/sciweek` and mentions through the real Bolt adapter: staff commands are refused to
 * everyone but STAFF_IDS without a word of data; an unknown subcommand gets the help; the help lists
 * the commands as Slack spells them; `/sciweek edit|withdraw <receipt>` edit and withdraw; in a DM
 * the bare words `my` and `cancel` are commands outside a form; a mention in a channel is answered in
 * its thread; and what users type (`<!channel>`, `<@U…>`, `*bold*`) is echoed back harmlessly, never
 * as a mention or formatting.
 */
import { describe, expect, it } from 'vitest';
import { KEY_PROJECT_ANSWERS, keyProject, translate } from '../support/engine-harness.js';
import {
  STAFF_USER_ID,
  buttonLabels,
  eventually,
  lastOf,
  mrkdwnOf,
  startKeyProject,
  slackBotsPerTest,
  textOf,
  type SlackBot,
} from '../support/slack-harness.js';

const zh = translate('zh-CN');

const start = slackBotsPerTest();

/** What Slack puts in a message event for text a user typed literally: `&`, `<` and `>` as entities. */
function asSlackSendsTyped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const RECEIPT = /回执号：(KP-[0-9A-Z]{10})/;

/** Telegram's spellings of the commands, which Slack does not have. */
const TELEGRAM_SPELLING = /\/(start|file|my|edit|withdraw|receipt|none|ask|help|cancel|lang|bind|unbind|status|export)\b/;

/** Files the key project through the modal `/sciweek file key-project` opens; resolves with its receipt. */
async function fileByModal(bot: SlackBot, userId: string): Promise<string> {
  const dm = bot.dmChannel(userId);
  await bot.command(userId, dm, 'file key-project');
  const answers: Record<string, string> = {};
  keyProject().fields.forEach((field, i) => {
    answers[field.id] = KEY_PROJECT_ANSWERS[i] ?? '';
  });
  answers['district'] = '市南区';
  await bot.submitModal(userId, answers);
  const message = await eventually(() => bot.api.messages(dm).find((m) => RECEIPT.test(textOf([m]))), 'the receipt in the DM');
  await bot.settle();
  return RECEIPT.exec(textOf([message]))?.[1] ?? '';
}

/** The text of an ephemeral as a user reads it. */
function ephemeralText(e: { text: string; blocks: Parameters<typeof mrkdwnOf>[0]['blocks'] }): string {
  return textOf([e]);
}

describe('slack /sciweek and mentions', () => {
  it('refuses /sciweek status to a non-staff user, without data; the staff member in STAFF_IDS is not refused', async () => {
    const bot = await start({ users: { U0PLAIN: { name: 'plain', locale: 'zh-CN' }, [STAFF_USER_ID]: { name: 'staff', locale: 'zh-CN' } } });
    const refusedText = zh('staff.refused');

    const refused = await bot.command('U0PLAIN', 'C0BUREAU', 'status');
    expect(refused.ack.status).toBe(200);
    expect(refused.ephemerals).toHaveLength(1);
    expect(refused.ephemerals[0]).toMatchObject({ channel: 'C0BUREAU', user: 'U0PLAIN' });
    // The refusal and nothing else: no buttons, no counts, no other message.
    expect(ephemeralText(refused.ephemerals[0] ?? { text: '', blocks: undefined })).toBe(refusedText);
    expect(buttonLabels(refused.ephemerals[0] ?? { blocks: undefined })).toEqual([]);
    expect(refused.messages).toEqual([]);
    expect(bot.api.messages()).toEqual([]);

    // Also in a DM with the bot.
    const inDm = await bot.command('U0PLAIN', bot.dmChannel('U0PLAIN'), 'missing');
    expect(textOf(inDm.messages)).toBe(refusedText);

    const staff = await bot.command(STAFF_USER_ID, 'C0BUREAU', 'status');
    expect(staff.ephemerals).toHaveLength(1);
    expect(staff.ephemerals[0]).toMatchObject({ channel: 'C0BUREAU', user: STAFF_USER_ID });
    const staffText = ephemeralText(staff.ephemerals[0] ?? { text: '', blocks: undefined });
    expect(staffText).not.toBe('');
    expect(staffText).not.toContain(refusedText);
  });

  it('answers an unknown subcommand with the help, and a mention in a channel in its thread', async () => {
    const bot = await start({ users: { U0ASKER: { name: 'asker', locale: 'zh-CN' } } });

    const unknown = await bot.command('U0ASKER', 'C0DISTRICT', 'frobnicate');
    expect(unknown.ephemerals).toHaveLength(1);
    const channelHelp = await bot.command('U0ASKER', 'C0DISTRICT', 'help');
    const unknownText = ephemeralText(unknown.ephemerals[0] ?? { text: '', blocks: undefined });
    expect(unknownText.startsWith(zh('help.group_intro'))).toBe(true);
    expect(unknownText).toBe(ephemeralText(channelHelp.ephemerals[0] ?? { text: '', blocks: undefined }));
    const unknownInDm = await bot.command('U0ASKER', bot.dmChannel('U0ASKER'), 'frobnicate');
    const dmHelp = await bot.command('U0ASKER', bot.dmChannel('U0ASKER'), 'help');
    expect(textOf(unknownInDm.messages).startsWith(zh('help.title'))).toBe(true);
    expect(textOf(unknownInDm.messages)).toBe(textOf(dmHelp.messages));

    const { event, replies } = await bot.mention('U0ASKER', 'C0DISTRICT', '截止时间是哪天？');
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) expect(reply.thread_ts).toBe(event.ts);
    expect(textOf(replies)).toContain('2021年4月30日');
    // In the thread, not as an ephemeral and not at the channel's top level.
    expect(bot.api.messages('C0DISTRICT').filter((m) => m.thread_ts === undefined)).toEqual([]);
    // Only the answers to the two commands there.
    expect(bot.api.ephemerals('C0DISTRICT')).toHaveLength(2);
  });

  it('echoes <!channel>, <@U123> and *bold* typed by a user harmlessly', async () => {
    const bot = await start({ users: { U0TYPIST: { name: 'typist', locale: 'zh-CN' } } });
    const user = 'U0TYPIST';
    const channel = bot.dmChannel(user);
    const typed = '<!channel> <@U123> *bold* 科普节';
    await startKeyProject(bot, user);
    await bot.dm(user, KEY_PROJECT_ANSWERS[0] ?? '');
    await bot.dm(user, asSlackSendsTyped(typed));
    // A real @channel mention (Slack sends it as <!channel>) as the organizer.
    await bot.dm(user, '<!channel> 协会');
    let last = await bot.dm(user, KEY_PROJECT_ANSWERS[3] ?? '');
    for (const answer of KEY_PROJECT_ANSWERS.slice(4)) last = await bot.dm(user, answer);
    const summary = lastOf(last);
    expect(buttonLabels(summary)).toEqual(['提交', '修改', '取消']);

    const mrkdwn = mrkdwnOf(summary);
    expect(mrkdwn).toContain('&lt;!channel&gt; &lt;@U123&gt;');
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).not.toContain('<@U123>');
    expect(mrkdwn).not.toContain('*bold*');
    expect(mrkdwn).toContain('*\u200bbold*\u200b');
    // The notification text carries the same escapes.
    expect(summary.text).toContain('&lt;!channel&gt;');
    expect(summary.text).not.toMatch(/<!channel>|<@U123>|\*bold\*/);
    // Neither is a mention in the mrkdwn anywhere, and the bot never asks Slack to link names.
    for (const message of bot.api.messages(channel)) expect(mrkdwnOf(message)).not.toMatch(/<[!@#]/);
    for (const call of bot.api.callsOf('chat.postMessage')) expect(call.params.link_names).not.toBe(true);
    // What the user reads is what they typed.
    expect(textOf([summary])).toContain(`2. 项目名称：${typed}`);
    expect(textOf([summary])).toContain('3. 主办单位：@channel 协会');

    const submitted = await bot.press(user, channel, '提交');
    expect(textOf(submitted.replies)).toMatch(/回执号：KP-/);
    const [filing] = await bot.app.store.listFilings({ eventId: 'qingdao-2021', ownerKey: `slack:${user}` });
    expect(filing?.values.projectName).toBe(typed);
    expect(filing?.values.organizer).toBe('@channel 协会');
  });

  it('lists in /sciweek help the commands as Slack spells them, never as Telegram does', async () => {
    const bot = await start({ users: { U0READER: { name: 'reader', locale: 'zh-CN' } } });
    const inDm = textOf((await bot.command('U0READER', bot.dmChannel('U0READER'), 'help')).messages);
    for (const line of ['/sciweek file 表格编号 — 开始填报（如 /sciweek file key-project）', '/sciweek my — ', '/sciweek edit 回执号 — ', '/sciweek withdraw 回执号 — ', '/sciweek cancel — ']) {
      expect(inDm).toContain(line);
    }
    expect(inDm).toContain(zh('help.bare_words', { prefix: '/sciweek' }));
    expect(inDm).not.toMatch(TELEGRAM_SPELLING);

    const inChannel = await bot.command('U0READER', 'C0DISTRICT', 'help');
    const channelText = ephemeralText(inChannel.ephemerals[0] ?? { text: '', blocks: undefined });
    expect(channelText).toContain('/sciweek bind 区市名称 — ');
    expect(channelText).toContain('/sciweek unbind — ');
    expect(channelText).not.toMatch(TELEGRAM_SPELLING);
    // /sciweek bind without a district explains binding in Slack's words too.
    const usage = await bot.command('U0READER', 'C0DISTRICT', 'bind');
    expect(ephemeralText(usage.ephemerals[0] ?? { text: '', blocks: undefined })).toContain('发送 /sciweek bind 区市名称 绑定本群（如 /sciweek bind 市南区）');
  });

  it('edits and withdraws a filing with /sciweek edit <receipt> and /sciweek withdraw <receipt>', async () => {
    const user = 'U0EDITOR';
    const bot = await start({ users: { [user]: { name: 'editor', locale: 'zh-CN' } } });
    const dm = bot.dmChannel(user);
    const receipt = await fileByModal(bot, user);
    const owner = `slack:${user}`;

    // In a channel it points to the DM: filings are changed in private.
    const inChannel = await bot.command(user, 'C0DISTRICT', `edit ${receipt}`);
    expect(ephemeralText(inChannel.ephemerals[0] ?? { text: '', blocks: undefined })).toContain(zh('group.file_in_private'));

    const editing = await bot.command(user, dm, `edit ${receipt}`);
    expect(buttonLabels(lastOf(editing.messages))).toEqual(['提交', '修改', '取消']);
    expect(textOf(editing.messages)).toContain('2. 项目名称：青岛海洋科普嘉年华');
    await bot.dm(user, '修改 2');
    const changed = await bot.dm(user, '青岛海洋科普周');
    expect(textOf(changed)).toContain('2. 项目名称：青岛海洋科普周');
    await bot.press(user, dm, '提交');
    const [edited] = await bot.app.store.listFilings({ eventId: 'qingdao-2021', ownerKey: owner });
    expect(edited).toMatchObject({ receipt, status: 'submitted', version: 2 });
    expect(edited?.values.projectName).toBe('青岛海洋科普周');

    const asking = await bot.command(user, dm, `withdraw ${receipt}`);
    expect(textOf(asking.messages)).toContain(zh('filings.withdraw_confirm', { receipt, title: '青岛海洋科普周' }));
    expect(buttonLabels(lastOf(asking.messages))).toEqual(['是', '否']);
    const withdrawn = await bot.press(user, dm, '是');
    expect(textOf(withdrawn.replies)).toContain(zh('filings.withdrawn', { receipt, title: '青岛海洋科普周' }));
    expect(await bot.app.store.getFiling(receipt)).toMatchObject({ ownerKey: owner, status: 'withdrawn', version: 3 });
  });

  it('takes the bare words my and cancel in a DM as commands outside a form, and as the form\'s words inside one', async () => {
    const user = 'U0BARE';
    const bot = await start({ users: { [user]: { name: 'bare', locale: 'zh-CN' } } });
    const dm = bot.dmChannel(user);
    expect(textOf(await bot.dm(user, 'my'))).toContain(zh('filings.none'));
    expect(textOf(await bot.dm(user, 'cancel'))).toBe(zh('flow.nothing_to_cancel'));

    const receipt = await fileByModal(bot, user);
    const mine = textOf(await bot.dm(user, 'my'));
    expect(mine).toContain(receipt);
    expect(mine).toContain(zh('filings.mine_help', { edit: '/sciweek edit 回执号', withdraw: '/sciweek withdraw 回执号' }));

    // Inside a form the same words belong to the form: "my" answers the project name, "cancel" drops the
    // draft (after 确认放弃, since it holds an answer).
    // The district is remembered from the filing: the form starts at the project name.
    expect(textOf((await startKeyProject(bot, user)).replies)).toContain('（2/16） 项目名称');
    const answered = await bot.dm(user, 'my');
    expect(textOf(answered)).toContain('（3/16） 主办单位');
    expect((await bot.session(dm, user))?.flow?.values).toMatchObject({ projectName: 'my' });
    expect(textOf(await bot.dm(user, 'cancel'))).toContain(zh('flow.discard.question', { count: 2 }));
    expect(textOf(await bot.dm(user, '确认放弃'))).toBe(zh('flow.cancelled'));
    expect((await bot.session(dm, user))?.flow).toBeUndefined();
    // A sentence that starts with a command word is still a question.
    expect(textOf(await bot.dm(user, 'my question: when is the deadline?'))).not.toContain(receipt);
  });

  it('lets a workspace admin bind a channel with /sciweek bind, and refuses a member', async () => {
    const bot = await start({ users: { U0ADMIN: { name: 'admin', locale: 'zh-CN', is_admin: true }, U0MEMBER: { name: 'member', locale: 'zh-CN' } } });
    const refused = await bot.command('U0MEMBER', 'C0DISTRICT', 'bind 市南区');
    expect(ephemeralText(refused.ephemerals[0] ?? { text: '', blocks: undefined })).toBe(zh('group.bind_refused'));
    expect(await bot.app.store.getGroup('slack', 'C0DISTRICT')).toBeUndefined();

    const bound = await bot.command('U0ADMIN', 'C0DISTRICT', 'bind 市南区');
    expect(ephemeralText(bound.ephemerals[0] ?? { text: '', blocks: undefined })).toBe(zh('group.bound', { district: '市南区' }));
    expect(await bot.app.store.getGroup('slack', 'C0DISTRICT')).toMatchObject({ district: 'shinan', boundBy: 'slack:U0ADMIN' });

    const unbind = await bot.command('U0MEMBER', 'C0DISTRICT', 'unbind');
    expect(ephemeralText(unbind.ephemerals[0] ?? { text: '', blocks: undefined })).toBe(zh('group.bind_refused'));
    expect(await bot.app.store.getGroup('slack', 'C0DISTRICT')).toMatchObject({ district: 'shinan' });
  });
});
