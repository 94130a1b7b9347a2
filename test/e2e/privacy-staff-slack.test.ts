/**
 * Staff answers that hold personal data stay out of Slack channels — the bot as `npm start` builds it
 * on the Web API stand-in (HTTP mode, STAFF_IDS=slack:USTAFF): `@bot /show|/list|/export|/status
 * <district>` in a channel and `/sciweek show` there put the filing's phone, e-mail, names, receipt and
 * title only in the staff member's DM (the channel conversations.open returns), the export file is
 * shared there too, and the channel's thread or the ephemeral to the asker gets exactly
 * `staff.sent_privately`. `/status` and `/missing` (no personal data) are still answered in the thread;
 * a district user is refused there with no DM; and when Slack will not open the DM, the thread gets
 * the `staff.private_refused` note and none of the data.
 */
import { describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import { translate } from '../support/engine-harness.js';
import { isObject } from '../support/slack-api-ids.js';
import { STAFF_USER_ID, plainOf, slackBotsPerTest, textOf, type SlackBot } from '../support/slack-harness.js';
import { exhibitorFiling, keyProjectFiling, seedFilings } from '../support/sample-filings.js';

const zh = translate('zh-CN');
const DISTRICT_USER = 'U0PLAIN';
const CHANNEL = 'C0BUREAU';

const startBot = slackBotsPerTest();

function start(): Promise<SlackBot> {
  return startBot({
    mode: 'http',
    users: { [DISTRICT_USER]: { name: 'district', locale: 'zh-CN' }, [STAFF_USER_ID]: { name: 'staff', locale: 'zh-CN' } },
  });
}

/** A key project whose personal values are all distinct, so each can be looked for. */
function secretFiling(): { filing: Filing; personal: string[] } {
  const values = { projectName: '机密的海洋牧场项目', contactPerson: '欧阳娜娜', projectLead: '司马建国', phone: '0532-81234567', email: 'secret.contact@shinan.example.cn' };
  const filing = keyProjectFiling('shinan', values);
  return { filing, personal: [filing.receipt, ...Object.values(values)] };
}

/**
 * Everything the bot sent to a conversation other than `dm`, as sent: every call's arguments naming
 * another channel (posts, thread replies, ephemerals, updates, file shares) and the bytes of files
 * shared elsewhere, each as raw JSON and as a user reads it (zero-width spaces gone).
 */
function sentOutside(bot: SlackBot, dm: string): string {
  const calls = bot.api.calls.filter((call) => {
    const channel = call.params['channel'] ?? call.params['channel_id'];
    return typeof channel === 'string' && channel !== dm;
  });
  const raw = JSON.stringify(calls.map((call) => call.params));
  const files = bot.api.sharedFiles().filter((file) => file.channel !== dm).map((file) => file.content.toString('utf8'));
  const read = [...bot.api.messages(), ...bot.api.ephemerals()].filter((m) => m.channel !== dm).map(plainOf);
  return [raw, raw.replace(/\u200b/g, ''), ...files, ...read].join('\n');
}

/** The DM channel ids conversations.open answered with. */
function openedDms(bot: SlackBot): string[] {
  return bot.api.callsOf('conversations.open').flatMap((call) => {
    const channel = call.response['channel'];
    return call.response.ok && isObject(channel) && typeof channel['id'] === 'string' ? [channel['id']] : [];
  });
}

describe('staff answers on slack go to the asker privately', () => {
  it('puts @bot /show, /list, /export csv and /status <district> asked in a channel only in the DM; the thread hears staff.sent_privately', async () => {
    const bot = await start();
    const { filing, personal } = secretFiling();
    await seedFilings(bot.app.store, [filing, exhibitorFiling('laoshan')]);
    const dm = bot.dmChannel(STAFF_USER_ID);
    const sent = zh('staff.sent_privately');

    /** What each command must put in the DM (messages and shared files) and nowhere else. */
    const expected: [string, string[]][] = [
      [`/show ${filing.receipt}`, personal],
      ['/list', [filing.receipt, '机密的海洋牧场项目']],
      ['/export csv key-project', personal],
      ['/status 市南区', [filing.receipt]],
    ];
    for (const [text, data] of expected) {
      const before = { messages: bot.api.messages(dm).length, files: bot.api.sharedFiles(dm).length };
      const { event, replies } = await bot.mention(STAFF_USER_ID, CHANNEL, text);
      // The thread gets exactly the note, nothing else.
      expect(replies.map(plainOf), text).toEqual([sent]);
      expect(replies[0]?.thread_ts, text).toBe(event['ts']);
      const inDm = [
        textOf(bot.api.messages(dm).slice(before.messages)),
        ...bot.api.sharedFiles(dm).slice(before.files).map((file) => file.content.toString('utf8')),
      ].join('\n');
      for (const value of data) expect(inDm, `${text}: ${value} in the DM`).toContain(value);
    }

    // The export is a file shared to the DM, with its caption, never to the channel or its thread.
    expect(bot.api.sharedFiles().map((file) => file.channel)).toEqual([dm]);
    expect(bot.api.sharedFiles(dm)[0]?.initialComment).toBe(zh('staff.export_caption', { count: 1 }));
    expect(bot.api.sharedFiles(dm)[0]?.filename.endsWith('.csv')).toBe(true);
    // The DM the data went to is the one Slack opened for the asker.
    expect(new Set(openedDms(bot))).toEqual(new Set([dm]));
    expect(bot.api.callsOf('conversations.open').every((call) => call.params['users'] === STAFF_USER_ID)).toBe(true);

    // In the channel: only the four notes, in threads; no ephemeral, and not a word of the data.
    expect(bot.api.messages(CHANNEL).map(plainOf)).toEqual([sent, sent, sent, sent]);
    expect(bot.api.messages(CHANNEL).every((m) => m.thread_ts !== undefined)).toBe(true);
    expect(bot.api.ephemerals()).toEqual([]);
    const outside = sentOutside(bot, dm);
    for (const value of personal) expect(outside, value).not.toContain(value);
  });

  it('answers /sciweek show <receipt> and /sciweek list in a channel in the DM; the ephemeral to the asker is exactly staff.sent_privately', async () => {
    const bot = await start();
    const { filing, personal } = secretFiling();
    await seedFilings(bot.app.store, [filing]);
    const dm = bot.dmChannel(STAFF_USER_ID);

    const shown = await bot.command(STAFF_USER_ID, CHANNEL, `show ${filing.receipt}`);
    expect(shown.ack.status).toBe(200);
    expect(shown.messages).toEqual([]);
    expect(shown.ephemerals.map((e) => textOf([e]))).toEqual([zh('staff.sent_privately')]);
    expect(shown.ephemerals[0]).toMatchObject({ channel: CHANNEL, user: STAFF_USER_ID });
    const shownInDm = textOf(bot.api.messages(dm));
    for (const value of personal) expect(shownInDm, value).toContain(value);

    const listed = await bot.command(STAFF_USER_ID, CHANNEL, 'list key-project');
    expect(listed.messages).toEqual([]);
    expect(listed.ephemerals.map((e) => textOf([e]))).toEqual([zh('staff.sent_privately')]);
    expect(textOf(bot.api.messages(dm))).toContain(zh('staff.list_title', { count: 1 }));

    expect(bot.api.messages(CHANNEL)).toEqual([]);
    expect(bot.api.messages().every((m) => m.channel === dm)).toBe(true);
    const outside = sentOutside(bot, dm);
    for (const value of personal) expect(outside, value).not.toContain(value);
  });

  it('still answers @bot /status and @bot /missing in the channel thread, with no DM', async () => {
    const bot = await start();
    const { filing, personal } = secretFiling();
    await seedFilings(bot.app.store, [filing]);

    const status = await bot.mention(STAFF_USER_ID, CHANNEL, '/status');
    expect(status.replies.every((m) => m.thread_ts === status.event['ts'])).toBe(true);
    expect(textOf(status.replies)).toContain('市南区：附1 ✗ · 附2 ✓ · 附3 ✗ · 总结 ✗');
    expect(textOf(status.replies)).not.toContain(zh('staff.sent_privately'));

    const missing = await bot.mention(STAFF_USER_ID, CHANNEL, '/missing');
    expect(missing.replies.every((m) => m.thread_ts === missing.event['ts'])).toBe(true);
    const owed = textOf(missing.replies);
    expect(owed.startsWith('尚有 ')).toBe(true);
    expect(owed).toContain('市南区：附件1');
    expect(owed).not.toContain(zh('staff.sent_privately'));

    // Neither holds personal data, so no DM was opened or written to.
    expect(bot.api.callsOf('conversations.open')).toEqual([]);
    expect(bot.api.messages().every((m) => m.channel === CHANNEL)).toBe(true);
    for (const value of personal) expect(sentOutside(bot, bot.dmChannel(STAFF_USER_ID)), value).not.toContain(value);
  });

  it('refuses a district user in the channel thread with exactly staff.refused and writes no DM', async () => {
    const bot = await start();
    const { filing, personal } = secretFiling();
    await seedFilings(bot.app.store, [filing]);

    for (const text of [`/show ${filing.receipt}`, '/list', '/export csv key-project', '/status 市南区']) {
      const { event, replies } = await bot.mention(DISTRICT_USER, CHANNEL, text);
      expect(replies.map(plainOf), text).toEqual([zh('staff.refused')]);
      expect(replies[0]?.thread_ts).toBe(event['ts']);
    }
    expect(bot.api.callsOf('conversations.open')).toEqual([]);
    expect(bot.api.messages().every((m) => m.channel === CHANNEL)).toBe(true);
    expect(bot.api.sharedFiles()).toEqual([]);
    const all = sentOutside(bot, '');
    for (const value of personal) expect(all, value).not.toContain(value);
  });

  it('tells the channel how to open the DM, and shows none of the data, when Slack will not open it', async () => {
    const bot = await start();
    const { filing, personal } = secretFiling();
    await seedFilings(bot.app.store, [filing]);
    const dm = bot.dmChannel(STAFF_USER_ID);
    const refusedNote = `${zh('staff.private_refused')}\n${zh('group.open_private')}`;

    bot.api.failNext('conversations.open', { error: 'cannot_dm_bot' });
    const shown = await bot.mention(STAFF_USER_ID, CHANNEL, `/show ${filing.receipt}`);
    expect(shown.replies.map(plainOf)).toEqual([refusedNote]);
    expect(shown.replies[0]?.thread_ts).toBe(shown.event['ts']);

    bot.api.failNext('conversations.open', { error: 'user_not_found' });
    const exported = await bot.mention(STAFF_USER_ID, CHANNEL, '/export csv key-project');
    expect(exported.replies.map(plainOf)).toEqual([refusedNote]);

    // Slack was asked, and refused both times: nothing reached any conversation but the two notes.
    expect(bot.api.callsOf('conversations.open').map((call) => call.response.error)).toEqual(['cannot_dm_bot', 'user_not_found']);
    expect(bot.api.messages(dm)).toEqual([]);
    expect(bot.api.sharedFiles()).toEqual([]);
    expect(bot.api.ephemerals()).toEqual([]);
    expect(bot.api.messages().map((m) => m.channel)).toEqual([CHANNEL, CHANNEL]);
    const outside = sentOutside(bot, dm);
    for (const value of personal) expect(outside, value).not.toContain(value);

    // The slash command in the channel asks for the DM twice (for the update, for the answer): it is
    // still acknowledged, and the asker alone reads the note.
    bot.api.failNext('conversations.open', { error: 'cannot_dm_bot' }, 2);
    const slashed = await bot.command(STAFF_USER_ID, CHANNEL, `show ${filing.receipt}`);
    expect(slashed.ack.status).toBe(200);
    expect(slashed.messages).toEqual([]);
    expect(slashed.ephemerals.map((e) => textOf([e]))).toEqual([refusedNote]);
    expect(bot.api.messages(dm)).toEqual([]);
    for (const value of personal) expect(sentOutside(bot, dm), value).not.toContain(value);

    // Once Slack opens the DM, the same command is answered there.
    const again = await bot.mention(STAFF_USER_ID, CHANNEL, `/show ${filing.receipt}`);
    expect(again.replies.map(plainOf)).toEqual([zh('staff.sent_privately')]);
    expect(textOf(bot.api.messages(dm))).toContain(filing.receipt);
  });
});
