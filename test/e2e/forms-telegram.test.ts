/**
 * Every form filed end to end through the real grammY adapter against the Bot API
 * stand-in: photos and an image sent as a document for 附件1, typed answers for 附件2, rows pasted from
 * the Word table (tabs, one row a line) and typed for 附件3, and for the summary report a PDF document,
 * a video of 200 s refused naming the 3-minute limit, then one of 170 s accepted. Each ends with its
 * receipt and the filing in the store with the expected values; `/receipt` shows it to its owner only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filesOf } from '../../src/flow/attachments.js';
import { rowsOf } from '../../src/flow/repeat.js';
import { KEY_PROJECT_ANSWERS, KEY_PROJECT_VALUES, translate } from '../support/engine-harness.js';
import { buttonLabels, lastOf, startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';

const zh = translate('zh-CN');
const MB = 1024 * 1024;

let running: TelegramBot[] = [];
afterEach(async () => {
  await Promise.allSettled(running.map((bot) => bot.close()));
  running = [];
});

async function start(env: Record<string, string> = {}): Promise<TelegramBot> {
  const bot = await startTelegramBot({ mode: 'polling', env });
  running.push(bot);
  return bot;
}

function receiptIn(text: string, prefix: string): string {
  const receipt = new RegExp(`回执号：(${prefix}-[0-9A-Z]{10})`).exec(text)?.[1];
  if (receipt === undefined) throw new Error(`no ${prefix} receipt in:\n${text}`);
  return receipt;
}

/** Says each line in turn; returns the bot's messages after the last one. */
async function sayAll(bot: TelegramBot, chat: number, lines: readonly string[]): Promise<string> {
  let last = '';
  for (const line of lines) last = textOf(await bot.say(chat, chat, line));
  return last;
}

const EXHIBITOR_ANSWERS = [
  '崂山',
  '青岛海洋科学馆',
  '王五',
  '13800138000',
  '展出深海探测器模型和海洋生物标本，观众可以亲手操作水下机器人，体验海洋科考的乐趣。',
  '赵六',
  '0532-85911893',
];

describe('telegram: every form end to end', () => {
  it('附件1: two photos and an image document, 完成, 提交 → EX receipt; the filing keeps the three file ids', async () => {
    const bot = await start();
    const chat = 7101;
    await bot.say(chat, chat, '/file exhibitor');
    const atPhotos = await sayAll(bot, chat, EXHIBITOR_ANSWERS);
    expect(atPhotos).toContain('（8/8） 相关展品照片');

    const first = bot.api.photoMessage({ chatId: chat, fromId: chat, width: 1600, height: 1200 });
    const second = bot.api.photoMessage({ chatId: chat, fromId: chat });
    const image = bot.api.documentMessage({ chatId: chat, fromId: chat, fileName: 'exhibit.heic', mimeType: 'image/heic', fileSize: 3 * MB });
    expect(textOf(await bot.send(chat, first))).toContain(zh('flow.files_received', { count: 1, total: 1, max: 9 }));
    expect(textOf(await bot.send(chat, second))).toContain(zh('flow.files_received', { count: 1, total: 2, max: 9 }));
    const afterImage = await bot.send(chat, image);
    expect(textOf(afterImage)).toContain(zh('flow.files_received', { count: 1, total: 3, max: 9 }));
    expect(buttonLabels(lastOf(afterImage))).toEqual(expect.arrayContaining(['完成', '清空']));

    const summary = await bot.press(chat, chat, '完成');
    expect(textOf(summary.replies)).toContain('8. 相关展品照片：3 个文件');
    expect(textOf(summary.replies)).toContain('exhibit.heic');
    const done = await bot.press(chat, chat, '提交');
    const receipt = receiptIn(textOf(done.replies), 'EX');

    const stored = await bot.app.store.getFiling(receipt);
    expect(stored).toMatchObject({ formId: 'exhibitor', district: 'laoshan', ownerKey: `telegram:${chat}`, status: 'submitted' });
    expect(stored?.values).toMatchObject({ exhibitor: '青岛海洋科学馆', contactPhone: '13800138000', districtContactPhone: '0532-85911893' });
    expect(filesOf(stored?.values['photos']).map((f) => f.fileRef)).toEqual([
      first.message?.photo?.at(-1)?.file_id,
      second.message?.photo?.at(-1)?.file_id,
      image.message?.document?.file_id,
    ]);
    expect(filesOf(stored?.values['photos'])[2]).toMatchObject({ kind: 'document', name: 'exhibit.heic', mime: 'image/heic', sizeBytes: 3 * MB });
  });

  it('附件2: every answer typed, 提交 → KP receipt and the values stored', async () => {
    const bot = await start();
    const chat = 7201;
    await bot.say(chat, chat, '/file key-project');
    const summary = await sayAll(bot, chat, KEY_PROJECT_ANSWERS);
    expect(summary).toContain('请核对附件2 重点项目备案表');
    const done = await bot.press(chat, chat, '提交');
    const receipt = receiptIn(textOf(done.replies), 'KP');
    const stored = await bot.app.store.getFiling(receipt);
    expect(stored).toMatchObject({ formId: 'key-project', district: 'shinan', ownerKey: `telegram:${chat}` });
    expect(stored?.values).toEqual(KEY_PROJECT_VALUES);
  });

  it('附件3: two rows pasted with tabs, a third typed, 完成, 提交 → OI receipt and three rows stored', async () => {
    const bot = await start();
    const chat = 7301;
    await bot.say(chat, chat, '/file open-institutions');
    await sayAll(bot, chat, ['市北', '青岛大学']);
    const pasted = await bot.say(
      chat,
      chat,
      [
        '单位名称\t开放时间\t开放内容\t具体地址\t联系人\t联系方式',
        '青岛海洋科学馆\t5月22日\t实验室参观\t青岛市市南区鱼山路5号\t张三\t0532-82031234',
        '黄海水产研究所\t5月23日-24日\t科普讲座\t青岛市市南区南京路106号\t李四\t13800138000',
      ].join('\n'),
    );
    expect(textOf(pasted)).toContain(zh('flow.rows_pasted', { count: 2 }));
    expect(buttonLabels(lastOf(pasted))).toEqual(expect.arrayContaining([zh('flow.nav.add_row'), zh('flow.nav.done')]));

    const adding = await bot.press(chat, chat, zh('flow.nav.add_row'));
    expect(textOf(adding.replies)).toContain('第3行 单位名称 (1/6)');
    const saved = await sayAll(bot, chat, ['青岛科技大学', '5月25日', '化学实验开放日', '青岛市崂山区松岭路99号', '王五', '0532-88950000']);
    expect(saved).toContain(zh('flow.row_saved', { n: 3 }));
    const summary = await bot.press(chat, chat, zh('flow.nav.done'));
    expect(textOf(summary.replies)).toContain('3. 开放单位：');
    const done = await bot.press(chat, chat, '提交');
    const receipt = receiptIn(textOf(done.replies), 'OI');

    const stored = await bot.app.store.getFiling(receipt);
    expect(stored).toMatchObject({ formId: 'open-institutions', district: 'shibei', ownerKey: `telegram:${chat}` });
    expect(stored?.values['filer']).toBe('青岛大学');
    expect(rowsOf(stored?.values['institutions'])).toEqual([
      {
        unitName: '青岛海洋科学馆',
        openTime: { start: '2021-05-22', end: '2021-05-22' },
        openContent: '实验室参观',
        address: '青岛市市南区鱼山路5号',
        contactPerson: '张三',
        contactPhone: '0532-82031234',
      },
      {
        unitName: '黄海水产研究所',
        openTime: { start: '2021-05-23', end: '2021-05-24' },
        openContent: '科普讲座',
        address: '青岛市市南区南京路106号',
        contactPerson: '李四',
        contactPhone: '13800138000',
      },
      {
        unitName: '青岛科技大学',
        openTime: { start: '2021-05-25', end: '2021-05-25' },
        openContent: '化学实验开放日',
        address: '青岛市崂山区松岭路99号',
        contactPerson: '王五',
        contactPhone: '0532-88950000',
      },
    ]);
  });

  it('总结报告 (1 June): a PDF, a 200 s video refused naming the 3-minute limit, a 170 s video taken → SR receipt', async () => {
    const bot = await start({ SCIWEEK_NOW: '2021-06-01T10:00:00+08:00' });
    const chat = 7401;
    const started = await bot.say(chat, chat, '/file summary-report');
    expect(textOf(started)).not.toContain(zh('forms.late', { date: '2021年6月10日' }));
    await bot.say(chat, chat, '市南');

    const pdf = bot.api.documentMessage({ chatId: chat, fromId: chat, fileName: '2021科技活动周总结报告.pdf', mimeType: 'application/pdf', fileSize: 800_000 });
    const afterPdf = textOf(await bot.send(chat, pdf));
    expect(afterPdf).toContain(zh('flow.files_received_full', { count: 1, max: 1 }));
    expect(afterPdf).toContain(zh('flows.summary-report.fields.video.prompt'));

    const long = bot.api.videoMessage({ chatId: chat, fromId: chat, duration: 200, fileName: 'long.mp4', fileSize: 30 * MB });
    const refused = textOf(await bot.send(chat, long));
    expect(refused).toContain(`long.mp4：${zh('errors.file.video_too_long', { maxMinutes: 3, seconds: 200 })}`);
    expect(refused).toContain('3 分钟');
    expect(refused).toContain(zh('flows.summary-report.fields.video.prompt'));

    const short = bot.api.videoMessage({ chatId: chat, fromId: chat, duration: 170, fileName: 'week.mp4', fileSize: 25 * MB });
    const taken = textOf(await bot.send(chat, short));
    expect(taken).toContain(zh('flow.files_received_full', { count: 1, max: 1 }));
    expect(taken).not.toContain(zh('flow.video_unchecked', { maxMinutes: 3 }));
    expect(taken).toContain(zh('flows.summary-report.fields.summaryText.prompt'));

    const summary = textOf(await bot.say(chat, chat, '科技活动周期间共举办活动三十余场，参与群众超过一万人次，反响热烈。'));
    expect(summary).toContain('3. 影像资料：1 个文件：week.mp4');
    expect(summary).not.toContain('long.mp4');
    const done = await bot.press(chat, chat, '提交');
    const receipt = receiptIn(textOf(done.replies), 'SR');

    const stored = await bot.app.store.getFiling(receipt);
    expect(stored).toMatchObject({ formId: 'summary-report', district: 'shinan', ownerKey: `telegram:${chat}` });
    expect(stored?.createdAt).toMatch(/^2021-06-01T/);
    expect(filesOf(stored?.values['report'])).toEqual([
      expect.objectContaining({ kind: 'document', fileRef: pdf.message?.document?.file_id, name: '2021科技活动周总结报告.pdf', mime: 'application/pdf' }),
    ]);
    const [video] = filesOf(stored?.values['video']);
    expect(video).toMatchObject({ kind: 'video', fileRef: short.message?.video?.file_id, durationSeconds: 170, name: 'week.mp4' });
    expect(video?.durationUnchecked).toBeUndefined();
    expect(stored?.values['summaryText']).toBe('科技活动周期间共举办活动三十余场，参与群众超过一万人次，反响热烈。');
  });

  it('/receipt shows the owner the filing and tells another user it was not found', async () => {
    const bot = await start();
    const chat = 7501;
    await bot.say(chat, chat, '/file key-project');
    await sayAll(bot, chat, KEY_PROJECT_ANSWERS);
    const receipt = receiptIn(textOf((await bot.press(chat, chat, '提交')).replies), 'KP');

    const owner = textOf(await bot.say(chat, chat, `/receipt ${receipt}`));
    expect(owner).toContain(zh('filings.receipt', { receipt }));
    expect(owner).toContain(`项目名称：${KEY_PROJECT_VALUES.projectName}`);

    const other = 7502;
    const stranger = textOf(await bot.say(other, other, `/receipt ${receipt}`));
    expect(stranger).toContain(zh('filings.not_found'));
    expect(stranger).not.toContain(KEY_PROJECT_VALUES.projectName);
  });
});
