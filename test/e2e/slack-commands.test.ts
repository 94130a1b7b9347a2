/**
 * Issue 5 — `/sciweek` and mentions through the real Bolt adapter: staff commands are refused to
 * everyone but STAFF_IDS without a word of data; an unknown subcommand gets the help; a mention in a
 * channel is answered in its thread; and what users type (`<!channel>`, `<@U…>`, `*bold*`) is echoed
 * back harmlessly, never as a mention or formatting.
 */
import { describe, expect, it } from 'vitest';
import { KEY_PROJECT_ANSWERS, translate } from '../support/engine-harness.js';
import {
  STAFF_USER_ID,
  buttonLabels,
  lastOf,
  mrkdwnOf,
  startKeyProject,
  slackBotsPerTest,
  textOf,
} from '../support/slack-harness.js';

const zh = translate('zh-CN');

const start = slackBotsPerTest();

/** What Slack puts in a message event for text a user typed literally: `&`, `<` and `>` as entities. */
function asSlackSendsTyped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
});
