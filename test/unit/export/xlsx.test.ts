import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportFilings } from '../../../src/export/index.js';
import { sheetName } from '../../../src/export/xlsx.js';
import type { Filing } from '../../../src/domain/filing.js';
import {
  allFlows,
  declaration,
  event,
  exhibitorFiling,
  exportContext,
  filing,
  keyProjectFiling,
  openInstitutionsFiling,
  summaryReportFiling,
} from '../../support/sample-filings.js';

async function workbookOf(filings: readonly Filing[], formId?: string): Promise<{ wb: ExcelJS.Workbook; name: string }> {
  const file = await exportFilings({
    format: 'xlsx',
    ...(formId === undefined ? {} : { formId }),
    event,
    flows: allFlows,
    filings,
    declarations: [declaration('pingdu', 'exhibitor')],
    fieldContext: exportContext(),
  });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(file.data) as unknown as ExcelJS.Buffer);
  return { wb, name: file.name };
}

function rowValues(sheet: ExcelJS.Worksheet | undefined, n: number): unknown[] {
  const values = sheet?.getRow(n).values;
  return Array.isArray(values) ? values.slice(1) : [];
}

describe('XLSX export', () => {
  it('has one sheet per form named by its short title, then 汇总表', async () => {
    const { wb, name } = await workbookOf([keyProjectFiling(), exhibitorFiling(), openInstitutionsFiling(), summaryReportFiling()]);
    expect(name).toBe('sciweek-qingdao-2021-all-20210501.xlsx');
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      '青岛市科技活动周启动式参展信息表',
      '科技活动周重点项目备案表',
      '参与开放活动的科研机构和大学备案表',
      '总结报告和影像资料',
      '汇总表',
    ]);
    for (const sheet of wb.worksheets) {
      expect(sheet.name.length).toBeLessThanOrEqual(31);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('writes 附件2 in the official column order with numbers as numbers and dates as dates', async () => {
    const kp = keyProjectFiling();
    const { wb } = await workbookOf([kp], 'key-project');
    const sheet = wb.getWorksheet('科技活动周重点项目备案表');
    const headers = rowValues(sheet, 1);
    expect(headers).toEqual([
      '项目名称', '主办单位', '主管部门', '举办地点', '举办时间', '举办时间（止）', '项目负责人', '联系人', '地址', '邮政编码',
      '联系电话', '传真', '电子邮箱', '活动经费', '拟参加人数', '项目简介', '回执号', '区市', '提交人', '提交时间', '状态',
    ]);
    const official = event.forms.find((f) => f.id === 'key-project')?.fields.map((f) => f['zh-CN']) ?? [];
    const titles = headers.filter((h) => typeof h === 'string' && !h.endsWith('（止）')).slice(0, official.length);
    official.forEach((title, i) => expect(title.startsWith(String(titles[i]))).toBe(true));
    const row = rowValues(sheet, 2);
    expect(row[0]).toBe('“百年回望”科技成就展');
    expect(row[4]).toEqual(new Date('2021-05-22T00:00:00Z'));
    expect(row[5]).toEqual(new Date('2021-05-28T00:00:00Z'));
    expect(row[13]).toBe(55000.5);
    expect(row[14]).toBe(300);
    expect(typeof row[15]).toBe('string');
    expect(row.slice(16)).toEqual([kp.receipt, '市南区', '王小明', new Date('2021-04-21T14:45:00Z'), '已提交']);
    expect(sheet?.getColumn(14).numFmt).toBe('#,##0.00');
    expect(sheet?.getColumn(1).width).toBeGreaterThan(10);
  });

  it('expands 附件3 rows with real dates', async () => {
    const oi = openInstitutionsFiling();
    const { wb } = await workbookOf([oi], 'open-institutions');
    const sheet = wb.getWorksheet('参与开放活动的科研机构和大学备案表');
    expect(rowValues(sheet, 1).slice(0, 8)).toEqual(['填报单位', '单位名称', '开放时间', '开放时间（止）', '开放内容', '具体地址', '联系人', '联系方式']);
    expect(sheet?.rowCount).toBe(4);
    expect(rowValues(sheet, 3).slice(0, 4)).toEqual(['黄岛区科学技术局', '山东科技大学', new Date('2021-05-25T00:00:00Z'), new Date('2021-05-25T00:00:00Z')]);
  });

  it('summarises each district: count, ✓ filed, — declared none, ✗ missing', async () => {
    const { wb } = await workbookOf([keyProjectFiling('shinan'), keyProjectFiling('shinan'), exhibitorFiling('shinan')]);
    const sheet = wb.getWorksheet('汇总表');
    expect(rowValues(sheet, 1).slice(0, 5)).toEqual([
      '区市',
      '青岛市科技活动周启动式参展信息表 份数',
      '青岛市科技活动周启动式参展信息表',
      '科技活动周重点项目备案表 份数',
      '科技活动周重点项目备案表',
    ]);
    const byDistrict = new Map<unknown, unknown[]>();
    for (let n = 2; n <= (sheet?.rowCount ?? 0); n += 1) byDistrict.set(rowValues(sheet, n)[0], rowValues(sheet, n));
    expect(byDistrict.get('市南区')?.slice(1, 5)).toEqual([1, '✓', 2, '✓']);
    expect(byDistrict.get('平度市')?.slice(1, 5)).toEqual([0, '—', 0, '✗']);
    expect(byDistrict.get('合计')?.slice(1, 4)).toEqual([1, undefined, 2]);
    expect(event.districts.every((d) => byDistrict.has(d.name['zh-CN']))).toBe(true);
  });

  it('lists each "nothing to file" declaration under the summary, with who declared it and when', async () => {
    const { wb } = await workbookOf([keyProjectFiling('shinan')]);
    const sheet = wb.getWorksheet('汇总表');
    const rows = Array.from({ length: sheet?.rowCount ?? 0 }, (_, n) => rowValues(sheet, n + 1));
    const header = rows.findIndex((row) => row[0] === '无需报送声明');
    expect(rows[header]?.slice(0, 5)).toEqual(['无需报送声明', '区市', '表格', '声明人', '声明时间']);
    // declared by telegram:9 at 2021-04-25T01:00Z, 09:00 in Qingdao
    expect(rows[header + 1]?.slice(0, 5)).toEqual(['—', '平度市', '2021青岛市科技活动周启动式参展信息表', 'telegram:9', '2021-04-25 09:00']);
  });

  it('exports formula-like answers as text cells', async () => {
    const evil = keyProjectFiling('shibei', { projectName: '=HYPERLINK("http://evil.example","点击")', organizer: '@SUM(A1:A9)' });
    const { wb } = await workbookOf([evil], 'key-project');
    const sheet = wb.getWorksheet('科技活动周重点项目备案表');
    const a2 = sheet?.getCell('A2');
    expect(a2?.type).toBe(ExcelJS.ValueType.String);
    expect(a2?.value).toBe('\'=HYPERLINK("http://evil.example","点击")');
    expect(sheet?.getCell('B2').value).toBe("'@SUM(A1:A9)");
    expect(sheet?.getCell('B2').type).toBe(ExcelJS.ValueType.String);
  });

  it('makes valid unique sheet names', () => {
    const taken = new Set(['表'.toLowerCase()]);
    expect(sheetName('2021年a[b]:c*d?e/f\\g', 2021, new Set())).toBe('abcdefg');
    expect(sheetName('表', 2021, taken)).toBe('表(2)');
    expect([...sheetName('很'.repeat(40), 2021, new Set())]).toHaveLength(31);
  });

  it('leaves a withdrawn filing out of its sheet and of the summary', async () => {
    const gone = filing('exhibitor', 'jimo', { exhibitor: '即墨某单位' }, { status: 'withdrawn' });
    const { wb } = await workbookOf([gone], 'exhibitor');
    expect(wb.worksheets[0]?.rowCount).toBe(1);
  });
});
