/**
 * Acceptance — staff's `/remind preview | send [rule] | log`, through the bot as `npm start` builds
 * it (createApp → runService: the engine gets the RemindersPort of service.ts and the dispatcher sends
 * with the real Telegram adapter) on the Bot API stand-in, STAFF_IDS=telegram:900, the event clock at
 * 27 April 2021 10:00 (T-3 is due). Non-staff are refused without a word of data and trigger nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';
import { groupBinding, messagesTo, STAFF_USER_ID, zh } from '../support/reminders-harness.js';

const GROUP = '-1007000001';
const FILED_GROUP = '-1007000002';
const USER = 4242;
const LINE = `2021-04-27 09:00 forms-t3 telegram:${GROUP} shinan exhibitor(0) key-project(0) open-institutions(0)`;

describe('/remind for staff', () => {
  let bot: TelegramBot | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  async function start(): Promise<TelegramBot> {
    bot = await startTelegramBot({ env: { SCIWEEK_NOW: '2021-04-27T10:00:00+08:00' } });
    await bot.app.store.putGroup(groupBinding('shinan', GROUP));
    // 李沧区 declared "nothing to file" for all three forms: its group is not due.
    await bot.app.store.putGroup(groupBinding('licang', FILED_GROUP));
    for (const formId of ['exhibitor', 'key-project', 'open-institutions']) {
      await bot.app.store.putDeclaration({ eventId: bot.app.event.id, district: 'licang', formId, declaredBy: 'telegram:1', at: '2021-04-20T02:00:00.000Z' });
    }
    return bot;
  }

  it('refuses non-staff for preview, send and log, and sends nothing', async () => {
    const b = await start();
    for (const text of ['/remind preview', '/remind send', '/remind send forms-t3', '/remind log']) {
      expect(textOf(await b.say(USER, USER, text))).toBe(zh('staff.refused'));
    }
    expect(messagesTo(b.api, GROUP)).toHaveLength(0);
    expect(await b.app.store.listReminders(10)).toEqual([]);
  });

  it('lets staff preview what is due, send it once under the claims, and read the outcomes', async () => {
    const b = await start();
    const staff = STAFF_USER_ID;

    expect(textOf(await b.say(staff, staff, '/remind log'))).toBe(zh('reminders.log_empty'));

    const preview = textOf(await b.say(staff, staff, '/remind preview'));
    expect(preview).toContain(zh('reminders.preview_title', { count: 1 }));
    expect(preview).toContain(LINE);
    expect(preview).not.toContain(FILED_GROUP);

    // A rule that is not the latest due rung sends nothing.
    expect(textOf(await b.say(staff, staff, '/remind send forms-t7'))).toBe(zh('reminders.wave_done', { due: 0, sent: 0, unreachable: 0, failed: 0, skipped: 0 }));
    expect(messagesTo(b.api, GROUP)).toHaveLength(0);

    expect(textOf(await b.say(staff, staff, '/remind send'))).toBe(zh('reminders.wave_done', { due: 1, sent: 1, unreachable: 0, failed: 0, skipped: 0 }));
    const sent = messagesTo(b.api, GROUP);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.plainText).toContain(zh('reminders.title', { district: '市南区', date: '2021年4月30日', when: zh('reminders.days_left', { days: 3 }) }));
    expect(messagesTo(b.api, FILED_GROUP)).toHaveLength(0);

    // Again: already claimed, nothing sent twice.
    expect(textOf(await b.say(staff, staff, '/remind send forms-t3'))).toBe(zh('reminders.wave_done', { due: 1, sent: 0, unreachable: 0, failed: 0, skipped: 1 }));
    expect(messagesTo(b.api, GROUP)).toHaveLength(1);
    // What was sent is no longer previewed as going out now.
    expect(textOf(await b.say(staff, staff, '/remind preview'))).toBe(zh('reminders.nothing_due'));

    const log = textOf(await b.say(staff, staff, '/remind log'));
    // Times in Qingdao's time: the wave went out at 10:00 +08:00.
    expect(log).toMatch(new RegExp(`^• 2021-04-27 10:00 forms-t3 telegram:${GROUP} shinan sent$`, 'm'));
    expect(log.split('\n')).toHaveLength(1);

    expect(textOf(await b.say(staff, staff, '/remind'))).toBe(zh('reminders.usage'));
  });
});
