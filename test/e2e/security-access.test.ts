/**
 * Access, through the real adapters: a filer cannot see, edit or withdraw another user's
 * (another district's) filing by `/receipt`, `/edit`, `/withdraw` or a stale confirmation button on
 * Telegram or Slack, and gets the very answer a receipt that does not exist gets (no oracle); on Slack
 * only staff or a workspace admin binds a channel; in the console chat staff commands are refused to
 * everyone not in STAFF_IDS. (Staff refusals on Telegram and Slack: staff-telegram / staff-slack tests.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import type { Store } from '../../src/store/store.js';
import { translate } from '../support/engine-harness.js';
import { makeDataDir, runConsoleScript } from '../support/console-process.js';
import { slackBotsPerTest, STAFF_USER_ID, textOf as slackText } from '../support/slack-harness.js';
import { startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';
import { keyProjectFiling } from '../support/sample-filings.js';

const zh = translate('zh-CN');
const OWNER = 5151;
const OTHER = 6161;
const MISSING = 'KP-2345678923';

let telegram: TelegramBot | undefined;
afterEach(async () => {
  await telegram?.close();
  telegram = undefined;
});
const startSlack = slackBotsPerTest();

/** Stores one submitted filing of `ownerKey` (in 市北区, before the deadline). */
async function seedFiling(store: Store, ownerKey: string): Promise<Filing> {
  const filing: Filing = { ...keyProjectFiling('shibei', { projectName: '他人的机密项目' }), ownerKey, ownerName: '他人' };
  const result = await store.commit({ key: { platform: 'seed', chatId: 'seed', userId: 'seed' }, expectedVersion: 0, data: null, sessionTtlMs: 1000, filings: [{ filing, expectedVersion: 0 }] });
  if (!result.ok) throw new Error('seed not committed');
  return filing;
}

/** The commands a filer could try on someone else's receipt. */
function attempts(receipt: string): string[] {
  return [`/receipt ${receipt}`, `/receipt ${receipt.toLowerCase()}`, `/edit ${receipt}`, `/withdraw ${receipt}`, `/withdraw ${receipt} confirm`];
}

describe('another user\'s filing', () => {
  it('on Telegram: every attempt gets exactly the answer of a receipt that does not exist; nothing changes', async () => {
    telegram = await startTelegramBot({ mode: 'polling' });
    const bot = telegram;
    const filing = await seedFiling(bot.app.store, `telegram:${OWNER}`);

    for (const command of attempts(filing.receipt)) {
      const theirs = textOf(await bot.say(OTHER, OTHER, command));
      const missing = textOf(await bot.say(OTHER, OTHER, command.replace(filing.receipt, MISSING).replace(filing.receipt.toLowerCase(), MISSING.toLowerCase())));
      expect(theirs, command).toBe(zh('filings.not_found'));
      expect(theirs, command).toBe(missing);
    }
    // A stale confirmation button with their receipt, pressed on an old message.
    const old = bot.api.sentMessages(OTHER).at(-1)?.message_id ?? 0;
    const press = await bot.pressData(OTHER, OTHER, old, `/withdraw ${filing.receipt} confirm`);
    expect(textOf(press.replies)).toBe(zh('filings.not_found'));
    expect(textOf(bot.api.sentMessages(OTHER))).not.toContain('他人的机密项目');
    expect(await bot.app.store.getFiling(filing.receipt)).toMatchObject({ status: 'submitted', version: 1 });

    // The owner still sees it.
    expect(textOf(await bot.say(OWNER, OWNER, `/receipt ${filing.receipt}`))).toContain('他人的机密项目');
  });

  it('on Slack: every attempt gets exactly the answer of a receipt that does not exist; nothing changes', async () => {
    const bot = await startSlack({ mode: 'http', users: { UOWNER: { name: 'owner', locale: 'zh-CN' }, UOTHER: { name: 'other', locale: 'zh-CN' } } });
    const filing = await seedFiling(bot.app.store, 'slack:UOWNER');
    for (const command of attempts(filing.receipt)) {
      const theirs = slackText(await bot.dm('UOTHER', command));
      const missing = slackText(await bot.dm('UOTHER', command.replace(filing.receipt, MISSING).replace(filing.receipt.toLowerCase(), MISSING.toLowerCase())));
      expect(theirs, command).toBe(zh('filings.not_found'));
      expect(theirs, command).toBe(missing);
    }
    const slash = await bot.command('UOTHER', bot.dmChannel('UOTHER'), `receipt ${filing.receipt}`);
    expect(slackText([...slash.messages, ...slash.ephemerals])).toBe(zh('filings.not_found'));
    expect(await bot.app.store.getFiling(filing.receipt)).toMatchObject({ status: 'submitted', version: 1 });
    expect(slackText(await bot.dm('UOWNER', `/receipt ${filing.receipt}`))).toContain('他人的机密项目');
  });
});

describe('binding a Slack channel', () => {
  it('is refused to a member and allowed to a workspace admin and to staff', async () => {
    const bot = await startSlack({ mode: 'http', users: { UMEMBER: { name: 'member', locale: 'zh-CN' }, UADMIN: { name: 'admin', is_admin: true, locale: 'zh-CN' } } });
    const channel = 'C0DISTRICT';
    const member = await bot.command('UMEMBER', channel, 'bind 市南区');
    expect(slackText(member.ephemerals)).toBe(zh('group.bind_refused'));
    expect(await bot.app.store.getGroup('slack', channel)).toBeUndefined();
    const unbind = await bot.command('UMEMBER', channel, 'unbind');
    expect(slackText(unbind.ephemerals)).toBe(zh('group.bind_refused'));

    const admin = await bot.command('UADMIN', channel, 'bind 市南区');
    expect(slackText(admin.ephemerals)).toContain('市南区');
    expect(await bot.app.store.getGroup('slack', channel)).toMatchObject({ district: 'shinan', boundBy: 'slack:UADMIN' });
    expect(slackText((await bot.command('UMEMBER', channel, 'unbind')).ephemerals)).toBe(zh('group.bind_refused'));
    expect(await bot.app.store.getGroup('slack', channel)).toBeDefined();

    await bot.command(STAFF_USER_ID, 'C0OTHER', 'bind 李沧区');
    expect(await bot.app.store.getGroup('slack', 'C0OTHER')).toMatchObject({ district: 'licang', boundBy: `slack:${STAFF_USER_ID}` });
  });
});

describe('staff commands in the console chat', () => {
  it('are refused to a user not in STAFF_IDS, with no data, and answered for the one who is', async () => {
    const data = makeDataDir();
    try {
      const commands = ['/status', '/missing', '/list', '/show KP-2345678923', '/reopen KP-2345678923', '/export csv key-project', '/remind preview'];
      const filer = await runConsoleScript({ dataDir: data.dir, user: 'alice', env: { STAFF_IDS: 'console:boss', LOG_LEVEL: 'silent' } }, commands);
      expect(filer.code).toBe(0);
      const refusals = filer.stdout.split(zh('staff.refused')).length - 1;
      expect(refusals).toBe(commands.length);
      expect(filer.stdout).not.toContain(zh('staff.status_title'));

      const boss = await runConsoleScript({ dataDir: data.dir, user: 'boss', env: { STAFF_IDS: 'console:boss', LOG_LEVEL: 'silent' } }, ['/status']);
      expect(boss.code).toBe(0);
      expect(boss.stdout).toContain(zh('staff.status_title'));
      expect(boss.stdout).not.toContain(zh('staff.refused'));
    } finally {
      data.remove();
    }
  });
});
