/**
 * Receipts and changes after submit, through the real engine on the SQLite store: `/receipt <no>`
 * (typed in any case, with a full-width dash or a space) shows the filing (every answer, files by
 * name, the day filed in Shanghai time) to its owner only; `/edit <no>` → 修改 N → new value → 提交
 * writes version 2 under the same receipt with a `filing.updated` audit entry naming the changed field
 * (from → to), and of two chats editing the same filing the later submit is told it changed
 * elsewhere; after the form's deadline `/edit` and `/withdraw` are refused with `filings.locked`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundAttachment } from '../../../src/domain/inbound.js';
import { filesOf } from '../../../src/flow/attachments.js';
import {
  AFTER_DEADLINE,
  KEY_PROJECT_VALUES,
  createHarness,
  submitKeyProject,
  toTurn,
  translate,
  type Harness,
  type Sender,
  type Turn,
} from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
const KP_FORM = zh('flows.key-project.title');
const FORMS_DEADLINE = '2021年4月30日';

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

function harness(now?: Date): Harness {
  const h = createHarness(now === undefined ? {} : { now });
  harnesses.push(h);
  return h;
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

const PHOTOS: InboundAttachment[] = [
  { kind: 'photo', fileRef: 'tg-photo-1', name: 'booth.jpg', mime: 'image/jpeg', sizeBytes: 120_000 },
  { kind: 'document', fileRef: 'tg-doc-2', name: 'model.png', mime: 'image/png', sizeBytes: 240_000 },
];

async function sendFiles(h: Harness, files: InboundAttachment[], sender: Sender = {}): Promise<Turn> {
  const message = h.inbound({}, sender);
  message.attachments = files;
  return toTurn(await h.handle(message));
}

/** Files an exhibitor with two named images and returns its receipt. */
async function submitExhibitor(h: Harness, sender: Sender = {}): Promise<string> {
  await h.say('/file exhibitor', sender);
  for (const answer of EXHIBITOR_ANSWERS) await h.say(answer, sender);
  await sendFiles(h, PHOTOS, sender);
  await h.say('完成', sender);
  const done = await h.say('提交', sender);
  const receipt = /回执号：(EX-[0-9A-Z]{10})/.exec(done.text)?.[1];
  if (receipt === undefined) throw new Error(`no receipt in:\n${done.text}`);
  return receipt;
}

describe('/receipt', () => {
  it('shows its owner the filing: title, receipt, state and every answer with the file names', async () => {
    const h = harness();
    const receipt = await submitExhibitor(h);
    const shown = await h.say(`/receipt ${receipt}`);
    expect(shown.text).toContain(zh('flows.exhibitor.title'));
    expect(shown.text).toContain(zh('filings.receipt', { receipt }));
    expect(shown.text).toContain(zh('filings.state_submitted', { at: '2021-04-20' }));
    expect(shown.text).toContain('所属区市：崂山区');
    expect(shown.text).toContain('参展单位：青岛海洋科学馆');
    expect(shown.text).toContain('联系方式：13800138000');
    expect(shown.text).toContain('区市联系人联系方式：0532-85911893');
    expect(shown.text).toContain('相关展品照片：2 个文件：booth.jpg、model.png');
    const stored = await h.store.getFiling(receipt);
    expect(filesOf(stored?.values['photos']).map((f) => f.fileRef)).toEqual(['tg-photo-1', 'tg-doc-2']);
  });

  it('finds the receipt typed in lower case with a full-width dash', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const typed = ` ${receipt.toLowerCase().replace('-', '－')} `;
    const shown = await h.say(`/receipt ${typed}`);
    expect(shown.text).toContain(zh('filings.receipt', { receipt }));
    expect(shown.text).toContain(`项目名称：${KEY_PROJECT_VALUES.projectName}`);
  });

  it('shows the day of filing in Shanghai time, and finds a receipt typed with a space inside', async () => {
    const h = harness(new Date('2021-04-20T07:30:00+08:00'));
    const receipt = await submitKeyProject(h);
    const spaced = `${receipt.slice(0, 7)} ${receipt.slice(7)}`;
    const shown = await h.say(`/receipt ${spaced}`);
    expect(shown.text).toContain(zh('filings.state_submitted', { at: '2021-04-20' }));
    expect(shown.text).toContain(zh('filings.receipt', { receipt }));
  });

  it('says not found to another user, without a word of the filing', async () => {
    const h = harness();
    const receipt = await submitExhibitor(h);
    const stranger = await h.say(`/receipt ${receipt}`, { userId: 'u2', chatId: 'c2' });
    expect(stranger.text).toContain(zh('filings.not_found'));
    expect(stranger.text).not.toContain('青岛海洋科学馆');
    expect(stranger.text).not.toContain('booth.jpg');
    expect(stranger.text).not.toContain(receipt);
  });

  it('says not found for no number and an unknown number', async () => {
    const h = harness();
    expect((await h.say('/receipt')).text).toContain(zh('filings.not_found'));
    expect((await h.say('/receipt KP-2222222222')).text).toContain(zh('filings.not_found'));
  });

  it('in a group it points to the private chat and shows nothing of the filing', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const inGroup = await h.say(`/receipt ${receipt}`, { chatId: 'g1', chatKind: 'group' });
    expect(inGroup.text).toContain(zh('group.file_in_private'));
    expect(inGroup.text).not.toContain(KEY_PROJECT_VALUES.projectName);
    expect(inGroup.text).not.toContain(zh('filings.receipt', { receipt }));
  });

  it('shows a withdrawn filing to its owner as withdrawn', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    await h.say(`/withdraw ${receipt} confirm`);
    const shown = await h.say(`/receipt ${receipt}`);
    expect(shown.text).toContain(zh('filings.state_withdrawn', { at: '2021-04-20' }));
  });

  it('speaks the owner\'s language', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    await h.say('/lang en');
    const shown = await h.say(`/receipt ${receipt}`);
    expect(shown.text).toContain(en('filings.receipt', { receipt }));
    expect(shown.text).toContain(`${en('flows.key-project.fields.projectName.label')}: ${KEY_PROJECT_VALUES.projectName}`);
  });
});

describe('edit after submit', () => {
  it('/edit → 修改 2 → new name → 提交: version 2, same receipt, audit filing.updated naming the field', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const opened = await h.say(`/edit ${receipt}`);
    expect(opened.text).toContain(zh('flow.summary_title_edit', { form: KP_FORM }));
    const asked = await h.say('修改 2');
    expect(asked.text).toContain(zh('flows.key-project.fields.projectName.prompt'));
    const back = await h.say('青岛海洋科普嘉年华（第二届）');
    expect(back.text).toContain('2. 项目名称：青岛海洋科普嘉年华（第二届）');
    const done = await h.say('提交');
    expect(done.text).toContain(zh('filings.updated', { form: KP_FORM }));
    expect(done.text).toContain(zh('filings.receipt', { receipt }));

    const stored = await h.store.getFiling(receipt);
    expect(stored?.version).toBe(2);
    expect(stored?.receipt).toBe(receipt);
    expect(stored?.values).toEqual({ ...KEY_PROJECT_VALUES, projectName: '青岛海洋科普嘉年华（第二届）' });
    expect(await h.store.listFilings({ eventId: 'qingdao-2021', ownerKey: 'test:u1' })).toHaveLength(1);

    const [latest, first] = await h.store.listAudit(2);
    expect(latest).toMatchObject({ action: 'filing.updated', receipt, formId: 'key-project', actor: 'test:u1' });
    expect(latest?.changes).toEqual([{ field: 'projectName', from: KEY_PROJECT_VALUES.projectName, to: '青岛海洋科普嘉年华（第二届）' }]);
    expect(first).toMatchObject({ action: 'filing.submitted', receipt });
    expect(first?.changes).toBeUndefined();
  });

  it('names every changed field and only those (a structured value too)', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    await h.say(`/edit ${receipt}`);
    await h.say('修改 6');
    await h.say('5月23日-24日');
    await h.say('修改 15');
    await h.say('500');
    await h.say('提交');
    const [latest] = await h.store.listAudit(1);
    expect(latest?.changes).toEqual(
      expect.arrayContaining([
        { field: 'period', from: { start: '2021-05-22', end: '2021-05-28' }, to: { start: '2021-05-23', end: '2021-05-24' } },
        { field: 'attendance', from: 300, to: 500 },
      ]),
    );
    expect(latest?.changes).toHaveLength(2);
    expect((await h.store.getFiling(receipt))?.version).toBe(2);
  });

  it('an edit of files names the file field with the old and new files', async () => {
    const h = harness();
    const receipt = await submitExhibitor(h);
    await h.say(`/edit ${receipt}`);
    await h.say('修改 8');
    await h.say('清空');
    await sendFiles(h, [{ kind: 'photo', fileRef: 'tg-photo-3', name: 'new.jpg', mime: 'image/jpeg', sizeBytes: 1000 }]);
    await h.say('完成');
    const done = await h.say('提交');
    expect(done.text).toContain('相关展品照片：1 个文件：new.jpg');
    const [latest] = await h.store.listAudit(1);
    expect(latest?.changes).toHaveLength(1);
    expect(latest?.changes?.[0]?.field).toBe('photos');
    expect(filesOf(latest?.changes?.[0]?.from ?? null).map((f) => f.name)).toEqual(['booth.jpg', 'model.png']);
    expect(filesOf(latest?.changes?.[0]?.to ?? null).map((f) => f.name)).toEqual(['new.jpg']);
  });

  it('in two private chats, the later submit is told the filing changed elsewhere, and the draft ends', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const chatA = { chatId: 'private-a' };
    const chatB = { chatId: 'private-b' };
    await h.say(`/edit ${receipt}`, chatA);
    await h.say(`/edit ${receipt}`, chatB);
    await h.say('修改 2', chatB);
    await h.say('B 的名称', chatB);
    expect((await h.say('提交', chatB)).text).toContain(zh('filings.receipt', { receipt }));
    await h.say('修改 2', chatA);
    await h.say('A 的名称', chatA);
    const late = await h.say('提交', chatA);
    expect(late.text).toContain(zh('filings.changed_elsewhere'));
    expect(late.text).not.toContain(zh('errors.conflict'));
    const filing = await h.store.getFiling(receipt);
    expect(filing?.values['projectName']).toBe('B 的名称');
    expect(filing?.version).toBe(2);
    // The draft in chat A is gone: the next message is not an answer to it.
    expect((await h.say('/cancel', chatA)).text).toBe(zh('flow.nothing_to_cancel'));
  });
});

describe('after the deadline', () => {
  it('/edit and /withdraw are refused with filings.locked (the forms\' deadline, 30 April, Asia/Shanghai)', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    h.clock.set(AFTER_DEADLINE);
    const locked = zh('filings.locked', { date: FORMS_DEADLINE });
    const edit = await h.say(`/edit ${receipt}`);
    expect(edit.text).toContain(locked);
    expect(edit.text).not.toContain(zh('flow.summary_title_edit', { form: KP_FORM }));
    expect((await h.say(`/withdraw ${receipt}`)).text).toContain(locked);
    expect((await h.say(`/withdraw ${receipt} confirm`)).text).toContain(locked);
    const stored = await h.store.getFiling(receipt);
    expect(stored?.status).toBe('submitted');
    expect(stored?.version).toBe(1);
    expect((await h.store.listAudit(10)).map((a) => a.action)).toEqual(['filing.submitted']);
  });

  it('is open until the end of 30 April Shanghai time, and locked one millisecond later', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    h.clock.set(new Date('2021-04-30T23:59:59.999+08:00'));
    expect((await h.say(`/withdraw ${receipt}`)).text).toContain(
      zh('filings.withdraw_confirm', { receipt, title: KEY_PROJECT_VALUES.projectName }),
    );
    h.clock.set(new Date('2021-05-01T00:00:00.000+08:00'));
    expect((await h.say(`/withdraw ${receipt} confirm`)).text).toContain(zh('filings.locked', { date: FORMS_DEADLINE }));
    expect((await h.store.getFiling(receipt))?.status).toBe('submitted');
  });

  it('the lock is in the user\'s language', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    await h.say('/lang en');
    h.clock.set(AFTER_DEADLINE);
    expect((await h.say(`/edit ${receipt}`)).text).toContain(en('filings.locked', { date: '30 April 2021' }));
  });

  it('a summary report filed in May is still editable on 1 May (its deadline is 10 June), and locked after', async () => {
    const h = harness(new Date('2021-06-01T10:00:00+08:00'));
    await h.say('/file summary-report');
    await h.say('市南');
    await sendFiles(h, [{ kind: 'document', fileRef: 'r1', name: '总结报告.pdf', mime: 'application/pdf', sizeBytes: 50_000 }]);
    await sendFiles(h, [{ kind: 'video', fileRef: 'v1', name: 'week.mp4', mime: 'video/mp4', sizeBytes: 5_000_000, durationSeconds: 170 }]);
    await h.say('科技活动周期间共举办活动三十余场，参与群众超过一万人次，反响热烈。');
    const done = await h.say('提交');
    const receipt = /回执号：(SR-[0-9A-Z]{10})/.exec(done.text)?.[1] ?? '';
    expect(receipt).not.toBe('');
    h.clock.set(new Date('2021-06-10T23:00:00+08:00'));
    expect((await h.say(`/edit ${receipt}`)).text).toContain(zh('flow.summary_title_edit', { form: zh('flows.summary-report.title') }));
    await h.say('/cancel');
    h.clock.set(new Date('2021-06-11T00:00:01+08:00'));
    expect((await h.say(`/edit ${receipt}`)).text).toContain(zh('filings.locked', { date: '2021年6月10日' }));
  });
});
