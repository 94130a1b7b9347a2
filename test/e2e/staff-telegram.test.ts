/**
 * Acceptance on Telegram — the bot as `npm start` builds it on the Bot API stand-in
 * (STAFF_IDS=telegram:900, the event clock at 20 April 2021): every staff command refused to a
 * district user with exactly `staff.refused` and no data; `/export xlsx` over 500 stored filings sent
 * to the staff's private chat as one document whose workbook holds the 500 rows; `/list` over the same
 * 500 paged into several messages, none over Telegram's 4096 characters.
 */
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import { translate } from '../support/engine-harness.js';
import { STAFF_USER_ID, startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';
import { declaration, exhibitorFiling, keyProjectFiling, seedFilings } from '../support/sample-filings.js';

const zh = translate('zh-CN');
const DISTRICT_USER = 4242;
const KP_SHEET = '科技活动周重点项目备案表';

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

/** `count` key-project filings spread over the districts, each with its own name. */
function keyProjects(count: number, districts: readonly string[]): Filing[] {
  return Array.from({ length: count }, (_, i) =>
    keyProjectFiling(districts[i % districts.length] ?? 'shinan', {
      projectName: `第${i + 1}届社区科普进万家活动（海洋与生命科学专题）`,
      summary: '面向社区居民开展科普讲座、实验体验和展板展示，通过公众号和社区宣传栏宣传。',
    }),
  );
}

describe('staff commands on telegram', () => {
  it('refuses each staff command to a district user with exactly staff.refused and sends no data', async () => {
    const bot = await start();
    const kp = keyProjectFiling('shinan', { projectName: '机密项目名称' });
    await seedFilings(bot.app.store, [kp, exhibitorFiling('laoshan')]);
    await bot.app.store.putDeclaration(declaration('licang', 'exhibitor'));

    const commands = ['/status', '/status 市南区', '/missing', '/list', '/list key-project 市南区', `/show ${kp.receipt}`, `/reopen ${kp.receipt}`, '/export xlsx', '/export csv key-project', '/remind preview', '/remind log'];
    for (const command of commands) {
      const replies = await bot.say(DISTRICT_USER, DISTRICT_USER, command);
      expect(replies.map((m) => m.plainText), command).toEqual([zh('staff.refused')]);
      expect(replies[0]?.method, command).toBe('sendMessage');
    }
    expect(bot.api.callsOf('sendDocument')).toEqual([]);
    const everything = textOf(bot.api.sentMessages(DISTRICT_USER));
    expect(everything).not.toContain(kp.receipt);
    expect(everything).not.toContain('机密项目名称');
    expect(await bot.app.store.getFiling(kp.receipt)).toMatchObject({ reopened: false, version: 1 });

    // STAFF_IDS is read: the staff member gets the matrix.
    const staff = textOf(await bot.say(STAFF_USER_ID, STAFF_USER_ID, '/status'));
    expect(staff).toContain(zh('staff.status_title'));
    expect(staff).toContain('市南区：附1 ✗ · 附2 ✓ · 附3 ✗ · 总结 ✗');
    expect(staff).toContain('李沧区：附1 — · 附2 ✗ · 附3 ✗ · 总结 ✗');
  });

  it('sends /export xlsx over 500 filings as one document whose key-project sheet has the 500 rows', async () => {
    const bot = await start();
    const filings = keyProjects(500, ['shinan', 'shibei', 'laoshan', 'jimo', 'huangdao']);
    const withdrawn: Filing = { ...keyProjectFiling('laoshan', { projectName: '已撤回的项目' }), status: 'withdrawn', version: 2 };
    await seedFilings(bot.app.store, [...filings, withdrawn]);

    const replies = await bot.say(STAFF_USER_ID, STAFF_USER_ID, '/export xlsx', { timeoutMs: 20_000 });
    const calls = bot.api.callsOf('sendDocument');
    expect(calls).toHaveLength(1);
    const call = calls[0];
    expect(String(call?.params['chat_id'])).toBe(String(STAFF_USER_ID));
    expect(replies.map((m) => m.method)).toEqual(['sendDocument']);
    const sent = replies[0];
    expect(sent?.document?.fileName).toBe('sciweek-qingdao-2021-all-20210420.xlsx');
    expect(sent?.plainText).toBe(zh('staff.export_caption', { count: 500 }));

    const bytes = call?.files[0]?.bytes;
    expect(bytes?.length ?? 0).toBeGreaterThan(0);
    expect(bytes?.equals(sent?.document?.bytes ?? Buffer.alloc(0))).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((s) => s.name)).toContain(KP_SHEET);
    expect(workbook.worksheets.map((s) => s.name).at(-1)).toBe('汇总表');
    const sheet = workbook.getWorksheet(KP_SHEET);
    expect(sheet?.actualRowCount).toBe(501);
    const header = sheet?.getRow(1).values;
    const headers = Array.isArray(header) ? header.slice(1) : [];
    expect(headers[0]).toBe('项目名称');
    const receiptColumn = headers.indexOf('回执号') + 1;
    expect(receiptColumn).toBeGreaterThan(0);
    const receipts = new Set<string>();
    sheet?.eachRow((row, n) => {
      const value = row.getCell(receiptColumn).value;
      if (n > 1 && typeof value === 'string') receipts.add(value);
    });
    expect(receipts).toEqual(new Set(filings.map((f) => f.receipt)));
    // The other forms' sheets have their header only.
    expect(workbook.getWorksheet('总结报告和影像资料')?.actualRowCount).toBe(1);
  });

  it('pages /list over 500 filings into several messages of at most 4096 characters', async () => {
    const bot = await start();
    const filings = keyProjects(500, ['shinan', 'shibei', 'laoshan', 'jimo', 'huangdao']);
    await seedFilings(bot.app.store, filings);

    const replies = await bot.say(STAFF_USER_ID, STAFF_USER_ID, '/list', { timeoutMs: 20_000 });
    expect(replies.length).toBeGreaterThan(1);
    for (const message of replies) {
      expect(message.method).toBe('sendMessage');
      expect(message.plainText.length).toBeLessThanOrEqual(4096);
      expect(message.plainText.length).toBeGreaterThan(0);
    }
    const lines = replies.flatMap((m) => m.plainText.split('\n'));
    expect(lines[0]).toBe(zh('staff.list_title', { count: 500 }));
    const listed = lines.filter((line) => line.startsWith('• ')).map((line) => line.slice(2).split(' ')[0]);
    // Every filing once, in the store's order, none cut across two messages.
    expect(listed).toEqual(filings.map((f) => f.receipt));
    for (const message of replies.slice(1)) expect(message.plainText.startsWith('• ')).toBe(true);
  });
});
