import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportFileName, exportFilings, type ExportFormat } from '../../../src/export/index.js';
import type { Filing } from '../../../src/domain/filing.js';
import { allFlows, event, exportContext, keyProjectFiling, openInstitutionsFiling } from '../../support/sample-filings.js';

const SAFE_NAME = /^sciweek-[a-z0-9-]+-\d{8}\.(xlsx|docx|csv)$/;

describe('export file names', () => {
  it('are built from ids and the Shanghai date only', async () => {
    const hostile = keyProjectFiling('shinan', { projectName: '../../etc/passwd' });
    hostile.receipt = '../x';
    hostile.ownerName = '..\\..\\evil';
    for (const format of ['xlsx', 'docx', 'csv'] as const satisfies readonly ExportFormat[]) {
      const file = await exportFilings({ format, formId: 'key-project', event, flows: allFlows, filings: [hostile], declarations: [], fieldContext: exportContext() });
      expect(file.name).toBe(`sciweek-qingdao-2021-key-project-20210501.${format}`);
      expect(file.name).toMatch(SAFE_NAME);
    }
  });

  it('reduce any id to safe characters and use the Shanghai day', () => {
    expect(exportFileName('../Evil Event/', 'a/b\\c', new Date('2021-04-30T16:30:00Z'), 'csv')).toBe('sciweek-evil-event-a-b-c-20210501.csv');
  });

  it('refuse an unknown form', async () => {
    await expect(
      exportFilings({ format: 'xlsx', formId: '../secret', event, flows: allFlows, filings: [], declarations: [], fieldContext: exportContext() }),
    ).rejects.toThrow(/no form/);
  });
});

describe('a large export', () => {
  const many: Filing[] = [];
  for (let i = 0; i < 500; i += 1) {
    const district = event.districts[i % event.districts.length]?.id ?? 'shinan';
    many.push(i % 5 === 0 ? openInstitutionsFiling(district) : keyProjectFiling(district, { projectName: `项目${i}` }));
  }
  const keyProjects = many.filter((f) => f.formId === 'key-project').length;
  const openRows = many.filter((f) => f.formId === 'open-institutions').length * 3;

  it('writes 500 filings to XLSX', async () => {
    const file = await exportFilings({ format: 'xlsx', event, flows: allFlows, filings: many, declarations: [], fieldContext: exportContext() });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.data) as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet('科技活动周重点项目备案表')?.rowCount).toBe(keyProjects + 1);
    expect(wb.getWorksheet('参与开放活动的科研机构和大学备案表')?.rowCount).toBe(openRows + 1);
  });

  it('writes 500 filings to CSV and DOCX', async () => {
    const csv = await exportFilings({ format: 'csv', formId: 'key-project', event, flows: allFlows, filings: many, declarations: [], fieldContext: exportContext() });
    const text = new TextDecoder().decode(csv.data);
    expect(text.split('\r\n').filter((line) => /^项目\d+,/.test(line))).toHaveLength(keyProjects);
    const docx = await exportFilings({ format: 'docx', event, flows: allFlows, filings: many, declarations: [], fieldContext: exportContext() });
    expect(docx.data.byteLength).toBeGreaterThan(10_000);
  });
});
