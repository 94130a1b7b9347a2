/**
 * Staff in a Telegram group, through the bot as `npm start` builds it on the Bot API stand-in: every
 * answer that names people or their filings (/show, /list, /status <district>, /export, /reopen,
 * /remind log) goes to the staff member's private chat, and the group reads only that it was sent —
 * or, when Telegram will not let the bot write to the user first, how to open the private chat.
 * Answers without personal data (/status, /missing) stay in the group.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import { translate } from '../support/engine-harness.js';
import { keyProjectFiling, seedFilings } from '../support/sample-filings.js';
import { STAFF_USER_ID, startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';

const zh = translate('zh-CN');
const GROUP = -1009876543210;
const MEMBER = 4711;

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

/** The values of the filing no group may read. */
const SECRET = { projectName: '海底隧道科普夜游（机密）', contactPerson: '欧阳娜娜', phone: '13912345678', email: 'ouyang.nana@example.cn' };

function personalValues(filing: Filing): string[] {
  return [filing.receipt, ...Object.values(SECRET)];
}

describe('staff commands in a telegram group', () => {
  it('sends every answer holding personal data to the private chat, and tells the group only that', async () => {
    const bot = await start();
    const filing = keyProjectFiling('shinan', SECRET);
    await seedFilings(bot.app.store, [filing]);

    const commands = [`/show ${filing.receipt}`, '/list', '/list key-project 市南区', '/status 市南区', '/export csv key-project', '/export xlsx', '/remind log', `/reopen ${filing.receipt}`];
    for (const command of commands) {
      const privateBefore = bot.api.sentMessages(STAFF_USER_ID).length;
      const inGroup = await bot.say(GROUP, STAFF_USER_ID, command, { timeoutMs: 10_000 });
      expect(inGroup.map((m) => m.plainText), command).toEqual([zh('staff.sent_privately')]);
      expect(bot.api.sentMessages(STAFF_USER_ID).length, command).toBeGreaterThan(privateBefore);
    }

    // The group holds the notes and nothing else; the private chat holds the data.
    const group = bot.api.sentMessages(GROUP);
    const groupText = textOf(group);
    for (const value of personalValues(filing)) expect(groupText).not.toContain(value);
    expect(group.every((m) => m.method === 'sendMessage' && m.document === undefined)).toBe(true);
    const privately = bot.api.sentMessages(STAFF_USER_ID);
    const privateText = textOf(privately);
    for (const value of [filing.receipt, SECRET.projectName, SECRET.contactPerson, SECRET.phone, SECRET.email]) expect(privateText).toContain(value);
    expect(privately.filter((m) => m.document !== undefined).map((m) => m.document?.fileName?.split('.').pop())).toEqual(['csv', 'xlsx']);
    const csv = privately.find((m) => m.document?.fileName?.endsWith('.csv'))?.document?.bytes.toString('utf8') ?? '';
    expect(csv).toContain(SECRET.phone);
    for (const call of bot.api.callsOf('sendDocument')) expect(String(call.params['chat_id'])).toBe(String(STAFF_USER_ID));

    // What the command stores is stored as in a private chat.
    expect(await bot.app.store.getFiling(filing.receipt)).toMatchObject({ reopened: true, version: 2 });
  });

  it('keeps answers without personal data in the group, and refuses others there without a word of data', async () => {
    const bot = await start();
    const filing = keyProjectFiling('shinan', SECRET);
    await seedFilings(bot.app.store, [filing]);

    const status = textOf(await bot.say(GROUP, STAFF_USER_ID, '/status'));
    expect(status).toContain(zh('staff.status_title'));
    expect(status).toContain('市南区：附1 ✗ · 附2 ✓');
    expect(textOf(await bot.say(GROUP, STAFF_USER_ID, '/missing'))).toContain('市北区');
    for (const command of [`/show ${filing.receipt}`, '/export csv key-project']) {
      expect((await bot.say(GROUP, MEMBER, command)).map((m) => m.plainText), command).toEqual([zh('staff.refused')]);
    }
    expect(bot.api.sentMessages(STAFF_USER_ID)).toEqual([]);
    expect(bot.api.sentMessages(MEMBER)).toEqual([]);
    for (const value of personalValues(filing)) expect(textOf(bot.api.sentMessages(GROUP))).not.toContain(value);
  });

  it('tells the group how to open the private chat when Telegram will not let the bot write there first', async () => {
    const bot = await start();
    const filing = keyProjectFiling('shinan', SECRET);
    await seedFilings(bot.app.store, [filing]);
    bot.api.failNext('sendMessage', { error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" });

    const inGroup = await bot.say(GROUP, STAFF_USER_ID, `/show ${filing.receipt}`);
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0]?.plainText).toContain(zh('staff.private_refused'));
    expect(inGroup[0]?.plainText).toContain(zh('group.open_private'));
    // The button opens the private chat with the bot.
    expect(inGroup[0]?.message.entities?.some((e) => e.type === 'text_link' && (e.url ?? '').includes(`t.me/${bot.botUsername}?start=`))).toBe(true);
    for (const value of personalValues(filing)) expect(textOf(bot.api.sentMessages(GROUP))).not.toContain(value);
    expect(bot.api.sentMessages(STAFF_USER_ID)).toEqual([]);
  });
});
