/**
 * Dates with the hours of the day through the engine on the real SQLite store: 附件2's 举办时间 and a
 * whole 附件3 row keep `9:00-16:00` / `9am-4pm` (stored, on the summary and the receipt), a time that
 * cannot be read is asked again with an example, and an 开放时间 outside the week is flagged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/flow/repeat.js';
import { KEY_PROJECT_ANSWERS, createHarness, fillKeyProject, translate, type Harness } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
const EN = { localeHint: 'en' } as const;

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

function harness(): Harness {
  const h = createHarness();
  harnesses.push(h);
  return h;
}

const PERIOD_AT = KEY_PROJECT_ANSWERS.indexOf('5月22日-28日');

describe('hours of the day', () => {
  it('附件2 举办时间 keeps 上午9点至下午4点: summary, stored value and receipt', async () => {
    const h = harness();
    const answers = KEY_PROJECT_ANSWERS.map((answer, i) => (i === PERIOD_AT ? '5月22日上午9点至下午4点' : answer));
    const summary = await fillKeyProject(h, {}, answers);
    expect(summary.text).toContain('2021年5月22日 9:00–16:00');
    const done = await h.say('提交');
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(done.text)?.[1] ?? '';
    const stored = await h.store.getFiling(receipt);
    expect(stored?.values['period']).toEqual({ start: '2021-05-22', end: '2021-05-22', startTime: '09:00', endTime: '16:00' });
    expect((await h.say(`/receipt ${receipt}`)).text).toContain('2021年5月22日 9:00–16:00');
  });

  it('a time that cannot be read is asked again with an example, then a readable one is kept', async () => {
    const h = harness();
    await fillKeyProject(h, {}, KEY_PROJECT_ANSWERS.slice(0, PERIOD_AT));
    const refused = await h.say('5月22日 25:00');
    expect(refused.text).toContain(zh('errors.date.time_invalid', { text: '25:00' }));
    const accepted = await h.say('5月22日 下午2点到4点');
    expect(accepted.text).not.toContain(zh('errors.date.time_invalid', { text: '25:00' }));
    const rest = KEY_PROJECT_ANSWERS.slice(PERIOD_AT + 1);
    let turn = accepted;
    for (const answer of rest) turn = await h.say(answer);
    expect(turn.text).toContain('2021年5月22日 14:00–16:00');
  });

  it('附件3 rows in English keep 9am-4pm; an open day outside the week is flagged (en and zh-CN)', async () => {
    const h = harness();
    await h.say('/file open-institutions', EN);
    await h.say('1', EN);
    await h.say('Ocean University of China', EN);
    const row1 = ['Marine Science Museum', 'May 22-23, 9am-4pm', 'Lab tours', '5 Yushan Road, Shinan', 'Zhang San', '0532-82031234'];
    for (const cell of row1) {
      const answered = await h.say(cell, EN);
      expect(answered.text).not.toContain('⚠');
    }
    await h.say('add row', EN);
    let turn = await h.say('Yellow Sea Institute', EN);
    turn = await h.say('June 1, 9:00-16:00', EN);
    const week = en('warnings.outside_week', { week: '22–28 May 2021' });
    expect(turn.text).toContain(week);
    for (const cell of ['Open lab', '106 Nanjing Road', 'Li Si', '13800138000']) turn = await h.say(cell, EN);
    const summary = await h.say('done', EN);
    expect(summary.text).toContain('22–23 May 2021, 9:00–16:00');
    expect(summary.text).toContain('1 June 2021, 9:00–16:00');
    const done = await h.say('submit', EN);
    const receipt = /Receipt: (OI-[0-9A-Z]{10})/.exec(done.text)?.[1] ?? '';
    const rows = rowsOf((await h.store.getFiling(receipt))?.values['institutions']);
    expect(rows.map((row) => row['openTime'])).toEqual([
      { start: '2021-05-22', end: '2021-05-23', startTime: '09:00', endTime: '16:00' },
      { start: '2021-06-01', end: '2021-06-01', startTime: '09:00', endTime: '16:00' },
    ]);

    const zhUser = { userId: 'u2', chatId: 'c2' };
    await h.say('/file open-institutions', zhUser);
    await h.say('市南', zhUser);
    await h.say('中国海洋大学', zhUser);
    await h.say('青岛海洋科学馆', zhUser);
    const flagged = await h.say('5月30日 9:00-16:00', zhUser);
    expect(flagged.text).toContain(`⚠ 开放时间：${zh('warnings.outside_week', { week: '2021年5月22日至5月28日' })}`);
    expect(flagged.text).toContain('开放内容');
  });
});
