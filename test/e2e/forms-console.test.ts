/**
 * Every form filed end to end through the real console chat, as a child process with piped
 * stdin on the embedded store in a temporary DATA_DIR: files come in with `/attach <path>` of small
 * temporary files, rows of 附件3 are typed, pasted as one tab-separated line (`\t` in piped mode),
 * changed and removed; a filing is edited after submit and locked after the deadline; a receipt is
 * shown to its owner only; "nothing to file" is declared and undone. The store is read afterwards.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import { computeStatus } from '../../src/domain/status.js';
import { filesOf } from '../../src/flow/attachments.js';
import { rowsOf } from '../../src/flow/repeat.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { AuditEntry, Declaration } from '../../src/domain/records.js';
import { dataDirsPerTest, runConsoleScript } from '../support/console-process.js';
import { EXHIBITOR_ANSWERS, KEY_PROJECT_ANSWERS, KEY_PROJECT_VALUES, event, translate } from '../support/engine-harness.js';

const zh = translate('zh-CN');
const SUMMARY_NOW = '2021-06-01T10:00:00+08:00';
const AFTER_FORMS_DEADLINE = '2021-05-01T00:00:01+08:00';

const dataDir = dataDirsPerTest();

/** Writes a small file into the data dir and returns its absolute path. */
function tempFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** What the store of a DATA_DIR holds once the console processes have exited. */
async function readStore(dir: string): Promise<{ filings: Filing[]; audit: AuditEntry[]; declarations: Declaration[]; filing: (receipt: string) => Promise<Filing | undefined> }> {
  const store = createSqliteStore({ file: path.join(dir, 'sciweek.db') });
  try {
    const filings = await store.listFilings({ eventId: event.id, includeWithdrawn: true });
    const audit = await store.listAudit(50);
    const declarations = await store.listDeclarations(event.id);
    const byReceipt = new Map(filings.map((f) => [f.receipt, f]));
    return { filings, audit, declarations, filing: (receipt) => Promise.resolve(byReceipt.get(receipt)) };
  } finally {
    await store.close();
  }
}

function receiptIn(stdout: string, prefix: string): string {
  const receipt = new RegExp(`回执号：(${prefix}-[0-9A-Z]{10})`).exec(stdout)?.[1];
  if (receipt === undefined) throw new Error(`no ${prefix} receipt in:\n${stdout}`);
  return receipt;
}


const SUMMARY_TEXT = '科技活动周期间共举办活动三十余场，参与群众超过一万人次，反响热烈。';

describe('console: every form end to end', () => {
  it('附件1 exhibitor: answers, two photos by /attach, 完成, 提交 → EX receipt and the filing stored', async () => {
    const dir = dataDir();
    const booth = tempFile(dir, 'booth.jpg', 'jpeg-bytes-1');
    const model = tempFile(dir, 'model.jpg', 'jpeg-bytes-22');
    const run = await runConsoleScript({ dataDir: dir, user: 'ex1' }, [
      '/file exhibitor',
      ...EXHIBITOR_ANSWERS,
      `/attach ${booth}`,
      `/attach ${model}`,
      '完成',
      '提交',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(zh('flow.files_received', { count: 1, total: 1, max: 9 }));
    expect(run.stdout).toContain(zh('flow.files_received', { count: 1, total: 2, max: 9 }));
    expect(run.stdout).toContain('8. 相关展品照片：2 个文件：booth.jpg、model.jpg');
    const receipt = receiptIn(run.stdout, 'EX');

    const stored = await (await readStore(dir)).filing(receipt);
    expect(stored).toMatchObject({ formId: 'exhibitor', district: 'shinan', ownerKey: 'console:ex1', status: 'submitted', version: 1 });
    expect(stored?.values).toMatchObject({
      district: 'shinan',
      exhibitor: '青岛海洋科学馆',
      contactPerson: '王五',
      contactPhone: '13800138000',
      districtContact: '赵六',
      districtContactPhone: '0532-85911893',
    });
    expect(filesOf(stored?.values['photos'])).toEqual([
      { kind: 'photo', fileRef: `file://${booth}`, name: 'booth.jpg', mime: 'image/jpeg', sizeBytes: 12 },
      { kind: 'photo', fileRef: `file://${model}`, name: 'model.jpg', mime: 'image/jpeg', sizeBytes: 13 },
    ]);
  });

  it('附件2 key project: every field typed, 提交 → KP receipt and the values stored', async () => {
    const dir = dataDir();
    const run = await runConsoleScript({ dataDir: dir, user: 'kp1' }, ['/file key-project', ...KEY_PROJECT_ANSWERS, '提交']);
    expect(run.code).toBe(0);
    const receipt = receiptIn(run.stdout, 'KP');
    const stored = await (await readStore(dir)).filing(receipt);
    expect(stored).toMatchObject({ formId: 'key-project', district: 'shinan', ownerKey: 'console:kp1' });
    expect(stored?.values).toEqual(KEY_PROJECT_VALUES);
  });

  it('总结报告 (SCIWEEK_NOW 1 June): a PDF and an MP4 by /attach, the video\'s length left to staff → SR receipt', async () => {
    const dir = dataDir();
    const report = tempFile(dir, 'report.pdf', '%PDF-1.4 summary');
    const video = tempFile(dir, 'week.mp4', 'not-really-a-video');
    const run = await runConsoleScript({ dataDir: dir, user: 'sr1', now: SUMMARY_NOW }, [
      '/file summary-report',
      '市南',
      `/attach ${report}`,
      `/attach ${video}`,
      SUMMARY_TEXT,
      '提交',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(zh('forms.late', { date: '2021年6月10日' }));
    expect(run.stdout).toContain(zh('flow.video_unchecked', { maxMinutes: 3 }));
    expect(run.stdout).toContain('2. 总结报告：1 个文件：report.pdf');
    expect(run.stdout).toContain('3. 影像资料：1 个文件：week.mp4');
    const receipt = receiptIn(run.stdout, 'SR');

    const stored = await (await readStore(dir)).filing(receipt);
    expect(stored).toMatchObject({ formId: 'summary-report', district: 'shinan', ownerKey: 'console:sr1', createdAt: expect.stringMatching(/^2021-06-01T/) as unknown });
    expect(filesOf(stored?.values['report'])).toEqual([
      { kind: 'document', fileRef: `file://${report}`, name: 'report.pdf', mime: 'application/pdf', sizeBytes: 16 },
    ]);
    expect(filesOf(stored?.values['video'])).toEqual([
      { kind: 'video', fileRef: `file://${video}`, name: 'week.mp4', mime: 'video/mp4', sizeBytes: 18, durationUnchecked: true },
    ]);
    expect(stored?.values['summaryText']).toBe(SUMMARY_TEXT);
  });

  it('refuses a photo where the report is asked, and says so for a path that does not exist', async () => {
    const dir = dataDir();
    const photo = tempFile(dir, 'photo.jpg', 'jpeg');
    const run = await runConsoleScript({ dataDir: dir, user: 'sr2', now: SUMMARY_NOW }, [
      '/file summary-report',
      '市南',
      `/attach ${photo}`,
      `/attach ${path.join(dir, 'missing.pdf')}`,
    ]);
    expect(run.stdout).toContain(`photo.jpg：${zh('errors.file.wrong_type')}`);
    expect(run.stdout).toContain(zh('console.file_not_found', { path: path.join(dir, 'missing.pdf') }));
    expect((await readStore(dir)).filings).toEqual([]);
  });
});

describe('console: 附件3 rows typed, pasted, changed and removed', () => {
  const ROW_1 = ['青岛海洋科学馆', '5月22日', '实验室参观', '青岛市市南区鱼山路5号', '张三', '0532-82031234'];
  const ROW_2 = ['黄海水产研究所', '5月23日-24日', '科普讲座', '青岛市市南区南京路106号', '李四', '13800138000'];
  const ROW_3 = ['青岛科技大学', '5月25日', '化学实验开放日', '青岛市崂山区松岭路99号', '王五', '0532-88950000'];
  const ROW_2_EDITED = ['中国水产科学研究院黄海水产研究所', '5月26日', '海洋牧场展示', '青岛市市南区南京路106号', '赵六', '0532-85830000'];

  it('three rows (one pasted as a tab-separated line), row 2 changed, row 1 removed → exactly two rows stored', async () => {
    const dir = dataDir();
    const run = await runConsoleScript({ dataDir: dir, user: 'oi1' }, [
      '/file open-institutions',
      '市南',
      '中国海洋大学',
      // Row 1, column by column.
      ...ROW_1,
      // Row 2, pasted from the Word table as one line (`\t` stands for a tab in piped mode).
      ROW_2.join('\\t'),
      // Row 3, column by column.
      '添加一行',
      ...ROW_3,
      '完成',
      // At the summary: 修改 3 opens the row menu, 修改第2行 asks row 2 again.
      '修改 3',
      '修改第2行',
      ...ROW_2_EDITED,
      '完成',
      // Row 1 is removed at the row menu reached from the summary (see the report: 删除第1行 typed at
      // the summary itself is refused).
      '修改 3',
      '删除第1行',
      '完成',
      '提交',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(zh('flow.rows_pasted', { count: 1 }));
    expect(run.stdout).toContain('第2行 黄海水产研究所 | 2021年5月23日至5月24日 | 科普讲座');
    expect(run.stdout).toContain(zh('flow.rows_count', { count: 3, min: 1, max: 30 }));
    expect(run.stdout).toContain(`${zh('flow.current_value')}黄海水产研究所`);
    expect(run.stdout).toContain(zh('flow.row_removed', { n: 1 }));
    const receipt = receiptIn(run.stdout, 'OI');
    const afterReceipt = run.stdout.slice(run.stdout.indexOf(`回执号：${receipt}`));
    expect(afterReceipt).toContain('第1行 中国水产科学研究院黄海水产研究所 | 2021年5月26日');
    expect(afterReceipt).toContain('第2行 青岛科技大学');
    expect(afterReceipt).not.toContain('青岛海洋科学馆');

    const stored = await (await readStore(dir)).filing(receipt);
    expect(stored).toMatchObject({ formId: 'open-institutions', district: 'shinan', ownerKey: 'console:oi1' });
    expect(stored?.values['filer']).toBe('中国海洋大学');
    expect(rowsOf(stored?.values['institutions'])).toEqual([
      {
        unitName: '中国水产科学研究院黄海水产研究所',
        openTime: { start: '2021-05-26', end: '2021-05-26' },
        openContent: '海洋牧场展示',
        address: '青岛市市南区南京路106号',
        contactPerson: '赵六',
        contactPhone: '0532-85830000',
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

  it('a header line and two rows pasted in one message (`\\n` and `\\t`) fill the rows at once; 高校 as the filer kind', async () => {
    const dir = dataDir();
    const header = ['单位名称', '开放时间', '开放内容', '具体地址', '联系人', '联系方式'];
    const run = await runConsoleScript({ dataDir: dir, user: 'oi2' }, [
      '/file open-institutions',
      '高校',
      '青岛大学',
      [header, ROW_1, ROW_3].map((row) => row.join('\\t')).join('\\n'),
      '完成',
      '提交',
    ]);
    expect(run.stdout).toContain(zh('flow.rows_pasted', { count: 2 }));
    const stored = await (await readStore(dir)).filing(receiptIn(run.stdout, 'OI'));
    expect(rowsOf(stored?.values['institutions']).map((row) => row['unitName'])).toEqual(['青岛海洋科学馆', '青岛科技大学']);
    expect(stored?.district).toBe('university');
    expect(stored?.values['district']).toBe('university');
    // A filer kind is not a district: no district's status changes.
    const held = await readStore(dir);
    const status = computeStatus(event, held.filings, held.declarations);
    expect(status.map((d) => d.district.id)).not.toContain('university');
    expect(status.flatMap((d) => d.forms).some((f) => f.done)).toBe(false);
  });
});

describe('console: after submit', () => {
  it('/edit → 修改 2 → new value → 提交 is version 2 of the same receipt with an audited change; after the deadline /edit and /withdraw are locked', async () => {
    const dir = dataDir();
    const first = await runConsoleScript({ dataDir: dir, user: 'ed1' }, ['/file key-project', ...KEY_PROJECT_ANSWERS, '提交']);
    const receipt = receiptIn(first.stdout, 'KP');

    const edit = await runConsoleScript({ dataDir: dir, user: 'ed1' }, [`/edit ${receipt}`, '修改 2', '青岛海洋科普嘉年华（第二届）', '提交']);
    expect(edit.stdout).toContain(zh('flow.summary_title_edit', { form: zh('flows.key-project.title') }));
    expect(edit.stdout).toContain(zh('filings.updated', { form: zh('flows.key-project.title') }));
    expect(edit.stdout).toContain(zh('filings.receipt', { receipt }));

    const afterEdit = await readStore(dir);
    expect(afterEdit.filings).toHaveLength(1);
    const stored = await afterEdit.filing(receipt);
    expect(stored?.version).toBe(2);
    expect(stored?.values).toEqual({ ...KEY_PROJECT_VALUES, projectName: '青岛海洋科普嘉年华（第二届）' });
    const updated = afterEdit.audit.find((entry) => entry.action === 'filing.updated');
    expect(updated).toMatchObject({ receipt, actor: 'console:ed1', formId: 'key-project' });
    expect(updated?.changes).toEqual([{ field: 'projectName', from: '青岛海洋科普嘉年华', to: '青岛海洋科普嘉年华（第二届）' }]);

    const late = await runConsoleScript({ dataDir: dir, user: 'ed1', now: AFTER_FORMS_DEADLINE }, [
      `/edit ${receipt}`,
      `/withdraw ${receipt}`,
      `/withdraw ${receipt} confirm`,
    ]);
    const locked = zh('filings.locked', { date: '2021年4月30日' });
    expect(late.stdout.split(locked).length - 1).toBe(3);
    const afterLate = await (await readStore(dir)).filing(receipt);
    expect(afterLate).toMatchObject({ version: 2, status: 'submitted' });
  });

  it('/receipt shows the filing with its file names to its owner and not found to another user', async () => {
    const dir = dataDir();
    const booth = tempFile(dir, 'booth.jpg', 'jpeg');
    const filed = await runConsoleScript({ dataDir: dir, user: 'rc1' }, ['/file exhibitor', ...EXHIBITOR_ANSWERS, `/attach ${booth}`, '完成', '提交']);
    const receipt = receiptIn(filed.stdout, 'EX');

    const owner = await runConsoleScript({ dataDir: dir, user: 'rc1' }, [`/receipt ${receipt}`]);
    expect(owner.stdout).toContain(zh('flows.exhibitor.title'));
    expect(owner.stdout).toContain(zh('filings.receipt', { receipt }));
    expect(owner.stdout).toContain('参展单位：青岛海洋科学馆');
    expect(owner.stdout).toContain('相关展品照片：1 个文件：booth.jpg');

    const stranger = await runConsoleScript({ dataDir: dir, user: 'rc2' }, [`/receipt ${receipt}`]);
    expect(stranger.stdout).toContain(zh('filings.not_found'));
    expect(stranger.stdout).not.toContain('青岛海洋科学馆');
  });

  it('/none exhibitor 市南区 (staff, confirmed) counts as done in computeStatus; undo reverts it; after the deadline it is locked', async () => {
    const dir = dataDir();
    // Staff may declare for any district; the declaration is recorded only after 1) 确认.
    const env = { STAFF_IDS: 'console:nn1' };
    const declared = await runConsoleScript({ dataDir: dir, user: 'nn1', env }, ['/none exhibitor 市南区', '1', '/none key-project']);
    expect(declared.stdout).toContain(zh('declarations.declared', { form: zh('flows.exhibitor.title'), district: '市南区' }));
    expect(declared.stdout).toContain(zh('declarations.usage', { forms: 'exhibitor, open-institutions' }));
    const first = await readStore(dir);
    const shinan = computeStatus(event, first.filings, first.declarations).find((d) => d.district.id === 'shinan');
    expect(shinan?.forms.find((f) => f.formId === 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: true, done: true });

    const undone = await runConsoleScript({ dataDir: dir, user: 'nn1', env }, ['/none exhibitor 市南区 undo', '1']);
    expect(undone.stdout).toContain(zh('declarations.undone', { form: zh('flows.exhibitor.title'), district: '市南区' }));
    const second = await readStore(dir);
    const after = computeStatus(event, second.filings, second.declarations).find((d) => d.district.id === 'shinan');
    expect(after?.forms.find((f) => f.formId === 'exhibitor')?.done).toBe(false);

    const late = await runConsoleScript({ dataDir: dir, user: 'nn1', env, now: AFTER_FORMS_DEADLINE }, ['/none exhibitor 市南区']);
    expect(late.stdout).toContain(zh('declarations.locked', { form: zh('flows.exhibitor.title'), district: '市南区' }));
    expect((await readStore(dir)).declarations).toEqual([]);
  });
});
