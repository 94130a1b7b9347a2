/**
 * Acceptance on Slack — the bot as `npm start` builds it on the Web API stand-in (HTTP mode,
 * STAFF_IDS=slack:USTAFF, the event clock at 20 April 2021): staff commands refused to a district user
 * with exactly `staff.refused` and no data; `/sciweek export csv key-project` asked in a channel over
 * 500 stored filings uploaded as one CSV with a BOM and 501 lines; `/list` over the 500 posted as
 * messages within Slack's limits (≤ 50 blocks, sections ≤ 3000 characters).
 */
import { describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import { translate } from '../support/engine-harness.js';
import { postSigned, slashCommandBody, type JsonObject } from '../support/slack-api.js';
import { SIGNING_SECRET, SLASH_COMMAND, STAFF_USER_ID, eventually, slackBotsPerTest, textOf, type SlackBot } from '../support/slack-harness.js';
import { exhibitorFiling, keyProjectFiling, seedFilings, summaryReportFiling } from '../support/sample-filings.js';

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

/** A key project withdrawn by its owner (version 2). */
function withdrawnKeyProject(): Filing {
  return { ...keyProjectFiling('shinan', { projectName: '已撤回的项目' }), status: 'withdrawn', version: 2 };
}

/** `count` key-project filings spread over the districts, each with its own name (single-line answers). */
function keyProjects(count: number): Filing[] {
  const districts = ['shinan', 'shibei', 'licang', 'chengyang', 'jiaozhou'];
  return Array.from({ length: count }, (_, i) =>
    keyProjectFiling(districts[i % districts.length] ?? 'shinan', {
      projectName: `第${i + 1}届社区科普进万家活动（海洋与生命科学专题）`,
      summary: '面向社区居民开展科普讲座、实验体验和展板展示，通过公众号和社区宣传栏宣传。',
    }),
  );
}

/** POSTs `/sciweek <text>` as Slack does, without waiting for anything in the channel. */
async function slash(bot: SlackBot, userId: string, channel: string, text: string): Promise<void> {
  const body = slashCommandBody({ command: SLASH_COMMAND, text, userId, channelId: channel, triggerId: bot.api.triggerId() });
  const answer = await postSigned(bot.eventsUrl, SIGNING_SECRET, new URLSearchParams(body).toString());
  expect(answer.status).toBe(200);
}

/** The section blocks' mrkdwn lengths of a message. */
function sectionLengths(blocks: readonly JsonObject[]): number[] {
  return blocks.flatMap((block) => {
    const text = block['text'];
    return block['type'] === 'section' && typeof text === 'object' && text !== null && 'text' in text && typeof text.text === 'string' ? [text.text.length] : [];
  });
}

describe('staff commands on slack', () => {
  it('refuses staff commands to a district user with exactly staff.refused, in a channel and in a DM', async () => {
    const bot = await start();
    const kp = keyProjectFiling('shinan', { projectName: '机密项目名称' });
    await seedFilings(bot.app.store, [kp, exhibitorFiling('laoshan')]);
    const refused = zh('staff.refused');

    for (const text of ['status', 'status 市南区', 'missing', 'export csv key-project', 'export xlsx', 'remind preview']) {
      const result = await bot.command(DISTRICT_USER, CHANNEL, text);
      expect(result.ephemerals.map((e) => textOf([e])), text).toEqual([refused]);
      expect(result.ephemerals[0]).toMatchObject({ channel: CHANNEL, user: DISTRICT_USER });
      expect(result.messages, text).toEqual([]);
    }
    // /list, /show and /reopen typed in the DM with the bot reach the same router.
    for (const text of ['/list', `/show ${kp.receipt}`, `/reopen ${kp.receipt}`, '/export csv key-project']) {
      expect(textOf(await bot.dm(DISTRICT_USER, text)), text).toBe(refused);
    }
    const dmCommand = await bot.command(DISTRICT_USER, bot.dmChannel(DISTRICT_USER), 'status');
    expect(textOf(dmCommand.messages)).toBe(refused);

    expect(bot.api.sharedFiles()).toEqual([]);
    const all = [...bot.api.messages(), ...bot.api.ephemerals()].map((m) => textOf([m])).join('\n');
    expect(all).not.toContain(kp.receipt);
    expect(all).not.toContain('机密项目名称');
    expect(await bot.app.store.getFiling(kp.receipt)).toMatchObject({ reopened: false, version: 1 });

    // The staff member in STAFF_IDS gets the matrix.
    const staff = await bot.command(STAFF_USER_ID, CHANNEL, 'status');
    expect(textOf(staff.ephemerals)).toContain('市南区：附1 ✗ · 附2 ✓ · 附3 ✗ · 总结 ✗');
  });

  it('uploads /sciweek export csv key-project over 500 filings as one CSV with a BOM and 501 lines', async () => {
    const bot = await start();
    const filings = keyProjects(500);
    const withdrawn = withdrawnKeyProject();
    await seedFilings(bot.app.store, [...filings, withdrawn, exhibitorFiling('shinan'), summaryReportFiling('jimo')]);

    await slash(bot, STAFF_USER_ID, CHANNEL, 'export csv key-project');
    const shared = await eventually(() => (bot.api.sharedFiles().length > 0 ? bot.api.sharedFiles() : undefined), 'the shared export', 20_000);
    await bot.settle();
    expect(bot.api.sharedFiles()).toHaveLength(1);
    const file = shared[0];
    // Files are never shared to the channel: the export goes to the asker's DM.
    expect(file?.channel).toBe(bot.dmChannel(STAFF_USER_ID));
    expect(file?.filename).toBe('sciweek-qingdao-2021-key-project-20210420.csv');
    expect(file?.initialComment).toBe(zh('staff.export_caption', { count: 500 }));
    // No chat message is posted to the channel.
    expect(bot.api.messages(CHANNEL)).toEqual([]);

    const content = file?.content ?? Buffer.alloc(0);
    expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = content.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(1, -2).split('\r\n');
    expect(lines).toHaveLength(501);
    expect(lines[0]?.startsWith('项目名称,主办单位,')).toBe(true);
    expect(lines[0]?.endsWith(',回执号,区市,提交人,提交时间,状态')).toBe(true);
    const receipts = new Set(lines.slice(1).map((line) => line.split(',').at(-5)));
    expect(receipts).toEqual(new Set(filings.map((f) => f.receipt)));
    expect(text).not.toContain(withdrawn.receipt);
  });

  it('posts /list over 500 filings in messages of at most 50 blocks with sections of at most 3000 characters', async () => {
    const bot = await start();
    const filings = keyProjects(500);
    await seedFilings(bot.app.store, [...filings, withdrawnKeyProject(), exhibitorFiling('shinan'), summaryReportFiling('jimo')]);
    const dm = bot.dmChannel(STAFF_USER_ID);

    const replies = await bot.dm(STAFF_USER_ID, '/list key-project');
    expect(replies.length).toBeGreaterThan(0);
    let sections = 0;
    for (const message of replies) {
      expect(message.channel).toBe(dm);
      const blocks = message.blocks ?? [];
      expect(blocks.length).toBeGreaterThan(0);
      expect(blocks.length).toBeLessThanOrEqual(50);
      const lengths = sectionLengths(blocks);
      sections += lengths.length;
      for (const length of lengths) expect(length).toBeLessThanOrEqual(3000);
      expect(message.text.length).toBeLessThanOrEqual(3000);
    }
    // 500 lines of some 60 characters do not fit one section: the list was split.
    expect(sections).toBeGreaterThan(1);
    const lines = textOf(replies).split('\n');
    expect(lines[0]).toBe(zh('staff.list_title', { count: 500 }));
    const listed = lines.filter((line) => line.startsWith('• ')).map((line) => line.slice(2).split(' ')[0]);
    expect(listed).toEqual(filings.map((f) => f.receipt));
  });
});
