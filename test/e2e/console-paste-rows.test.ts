/**
 * 附件3 rows pasted through the real console chat (a child process with piped stdin; `\t` stands for
 * a tab and `\n` for a line break): the header row, two rows with stray spaces, the second with a
 * phone number one digit short, and the table's 以下空白 note. The bad row is kept with its good cells,
 * only its phone is asked, the note is listed as not used, and the filing holds both rows whole.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir, runConsoleScript } from '../support/console-process.js';
import { translate } from '../support/engine-harness.js';

const zh = translate('zh-CN');

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

const TABLE = [
  '单位名称\t开放时间\t开放内容\t具体地址\t联系人\t联系方式',
  '青岛海洋科学馆 \t5月22日\t实验室参观\t青岛市市南区鱼山路5号\t张三\t0532-82031234',
  '',
  '黄海水产研究所\t 5月23日-24日\t科普讲座\t青岛市市南区南京路106号\t李四 \t1380013800',
  '（以下空白）',
].join('\\n').replace(/\t/g, '\\t');

describe('console chat: paste 附件3 rows with a bad cell', () => {
  it('keeps the row, asks only the bad cell, lists the unused line, and files both rows whole', async () => {
    const made = makeDataDir();
    cleanups.push(made.remove);
    const run = await runConsoleScript({ dataDir: made.dir, user: 'rows' }, [
      '/file open-institutions',
      '崂山区',
      '中国海洋大学',
      TABLE,
      '13800138000',
      '完成',
      '提交',
    ]);
    const out = run.stdout;
    expect(run.code, run.stderr).toBe(0);
    const pasted = out.indexOf(zh('flow.rows_pasted', { count: 2 }));
    expect(pasted, out).toBeGreaterThanOrEqual(0);
    const afterPaste = out.slice(pasted);
    expect(afterPaste).toContain(`✗ ${zh('flow.pasted_row_label', { n: 2 })} 联系方式：`);
    expect(afterPaste).toContain(zh('flow.rows_cells_kept'));
    expect(afterPaste).toContain(zh('flow.paste_unused', { count: 1 }));
    expect(afterPaste).toContain('「（以下空白）」');
    // Only the phone of row 2 is asked, not its name or the other five cells.
    const asked = afterPaste.indexOf(zh('flows.open-institutions.fields.institutions.contactPhone.prompt'));
    expect(asked).toBeGreaterThan(0);
    expect(afterPaste.slice(0, asked)).not.toContain(zh('flows.open-institutions.fields.institutions.unitName.prompt'));
    expect(afterPaste).toContain(zh('flow.row_saved', { n: 2 }));

    const receipt = /回执号：(OI-[0-9A-Z]{10})/.exec(out)?.[1];
    expect(receipt, out).toBeDefined();
    const filed = out.slice(out.indexOf(`回执号：${receipt ?? ''}`));
    expect(filed).toContain('第1行 青岛海洋科学馆 |');
    expect(filed).toMatch(/第2行 黄海水产研究所 \|[^\n]*\| 科普讲座 \| 青岛市市南区南京路106号 \| 李四 \| 13800138000/);
  });
});
