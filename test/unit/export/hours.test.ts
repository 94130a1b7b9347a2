/**
 * The hours of the day in the staff exports: CSV and DOCX write them after the days, XLSX keeps the
 * days as real dates and adds the hours as text in a `（时段）` column — only when some exported filing
 * has hours, so exports of filings without them keep their old columns.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportFilings } from '../../../src/export/index.js';
import type { Filing } from '../../../src/domain/filing.js';
import { allFlows, event, exportContext, keyProjectFiling, openInstitutionsFiling } from '../../support/sample-filings.js';
import { parseCsv } from '../../support/csv.js';

const WITH_HOURS = { start: '2021-05-22', end: '2021-05-22', startTime: '09:00', endTime: '16:00' };

async function exported(format: 'csv' | 'xlsx', formId: string, filings: readonly Filing[]): Promise<Uint8Array> {
  const file = await exportFilings({ format, formId, event, flows: allFlows, filings, declarations: [], fieldContext: exportContext() });
  return file.data;
}

async function sheetOf(formId: string, filings: readonly Filing[]): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await exported('xlsx', formId, filings)) as unknown as ExcelJS.Buffer);
  const sheet = wb.worksheets[0];
  if (sheet === undefined) throw new Error('no sheet');
  return sheet;
}

function rowValues(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  const values = sheet.getRow(n).values;
  return Array.isArray(values) ? values.slice(1) : [];
}

/** 附件3 with its first institution open 9:00–16:00 on 22 May. */
function openWithHours(): Filing {
  const f = openInstitutionsFiling();
  const rows = f.values['institutions'];
  if (!Array.isArray(rows) || rows[0] === undefined || rows[0] === null || typeof rows[0] !== 'object' || Array.isArray(rows[0])) throw new Error('rows');
  rows[0] = { ...rows[0], openTime: WITH_HOURS };
  return f;
}

describe('hours in exports', () => {
  it('CSV writes 举办时间 and 开放时间 with their hours', async () => {
    const kp = parseCsv(new TextDecoder().decode(await exported('csv', 'key-project', [keyProjectFiling('shinan', { period: WITH_HOURS })])).replace(/^\uFEFF/, ''));
    const at = kp[0]?.indexOf('举办时间') ?? -1;
    expect(kp[1]?.[at]).toBe('2021年5月22日 9:00–16:00');
    const oi = parseCsv(new TextDecoder().decode(await exported('csv', 'open-institutions', [openWithHours()])).replace(/^\uFEFF/, ''));
    const open = oi[0]?.indexOf('开放时间') ?? -1;
    expect(oi[1]?.[open]).toBe('2021年5月22日 9:00–16:00');
    expect(oi[2]?.[open]).toBe('2021年5月25日');
  });

  it('XLSX keeps the days as dates and adds the hours as text in 举办时间（时段）', async () => {
    const sheet = await sheetOf('key-project', [keyProjectFiling('shinan', { period: WITH_HOURS }), keyProjectFiling('shibei')]);
    const headers = rowValues(sheet, 1);
    const at = headers.indexOf('举办时间');
    expect(headers.slice(at, at + 3)).toEqual(['举办时间', '举办时间（止）', '举办时间（时段）']);
    expect(rowValues(sheet, 2).slice(at, at + 3)).toEqual([new Date('2021-05-22T00:00:00Z'), new Date('2021-05-22T00:00:00Z'), '9:00–16:00']);
    const other = rowValues(sheet, 3);
    expect(other.slice(at, at + 2)).toEqual([new Date('2021-05-22T00:00:00Z'), new Date('2021-05-28T00:00:00Z')]);
    expect(other[at + 2] ?? null).toBeNull();
  });

  it('XLSX of 附件3 rows: 开放时间（时段） beside the open days', async () => {
    const sheet = await sheetOf('open-institutions', [openWithHours()]);
    const headers = rowValues(sheet, 1);
    const at = headers.indexOf('开放时间');
    expect(headers[at + 2]).toBe('开放时间（时段）');
    expect(rowValues(sheet, 2)[at + 2]).toBe('9:00–16:00');
  });

  it('XLSX without any hours keeps the old columns', async () => {
    const headers = rowValues(await sheetOf('key-project', [keyProjectFiling()]), 1);
    expect(headers).not.toContain('举办时间（时段）');
    expect(headers[headers.indexOf('举办时间') + 1]).toBe('举办时间（止）');
    expect(headers[headers.indexOf('举办时间') + 2]).toBe('项目负责人');
  });
});
