/**
 * XLSX export (exceljs): one sheet per form, named by its short official title, with the official
 * column titles in the official order (then 回执号, 区市, 提交人, 提交时间, 状态), a frozen header row and
 * widths fitted to the content; then the `汇总表` summary sheet, one row per district.
 *
 * Typed cells: money (元) and counts are numbers; a date-range field (举办时间, 开放时间) is split into
 * its start date under the official title and its end date in the next column (`举办时间（止）`), both
 * real Excel dates; when some filing gives the hours of the day, they follow as text in a third
 * column (`举办时间（时段）`: `9:00–16:00`). 提交时间 is a real date-time in Shanghai wall-clock time.
 * Every text cell goes through {@link neutralizeCell}.
 */
import ExcelJS from 'exceljs';
import type { Declaration } from '../domain/records.js';
import type { EventData } from '../domain/event.js';
import type { Filing } from '../domain/filing.js';
import { computeStatus } from '../domain/status.js';
import type { FieldContext } from '../flow/define.js';
import { toShanghaiDate, toShanghaiTime } from '../kernel/time.js';
import { neutralizeCell } from './cells.js';
import { filingsOf, flatTable, type ColumnKind, type ExportForm, type FlatTable, type TableCell } from './table.js';

/** The name of the summary sheet. */
export const SUMMARY_SHEET = '汇总表';

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const NUMBER_FORMATS: Partial<Record<ColumnKind, string>> = {
  money: '#,##0.00',
  integer: '0',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

/**
 * A valid, unique sheet name from a form title: the event year prefix (`2021年`) dropped, the
 * characters Excel forbids (`[]:*?/\`) removed, at most 31 characters, `(2)`… appended on a clash.
 */
export function sheetName(title: string, year: number, taken: ReadonlySet<string>): string {
  const short = title.replace(new RegExp(`^${year}年?`), '').replace(/[[\]:*?/\\]/g, '').replace(/^'+|'+$/g, '').trim();
  const base = [...(short === '' ? 'Sheet' : short)].slice(0, 31).join('');
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n += 1) {
    const suffix = `(${n})`;
    name = [...base].slice(0, 31 - suffix.length).join('') + suffix;
  }
  return name;
}

/** The display width of a text in Excel's character units: CJK and other wide characters count two. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
  return width;
}

/** A table cell as an exceljs value: text neutralized, dates as UTC-midnight Dates (Excel has no zone). */
function excelValue(cell: TableCell): ExcelJS.CellValue {
  if (cell === null) return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : new Date(cell.getTime() + SHANGHAI_OFFSET_MS);
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'string') return cell === '' ? null : neutralizeCell(cell);
  const day = new Date(`${cell.date}T00:00:00Z`);
  return Number.isNaN(day.getTime()) ? neutralizeCell(cell.date) : day;
}

function widthOf(kind: ColumnKind, header: string, rows: readonly TableCell[][], index: number): number {
  if (kind === 'date') return Math.max(12, textWidth(header) + 2);
  if (kind === 'datetime') return Math.max(17, textWidth(header) + 2);
  let widest = textWidth(header);
  for (const row of rows.slice(0, 200)) {
    const cell = row[index];
    if (typeof cell === 'string') widest = Math.max(widest, ...cell.split('\n').map(textWidth));
    else if (typeof cell === 'number') widest = Math.max(widest, String(cell).length + 3);
  }
  return Math.min(kind === 'longtext' ? 60 : 40, Math.max(8, widest + 2));
}

/** Writes a flat table to a new sheet: bold frozen header, typed cells, fitted widths. */
function addTableSheet(workbook: ExcelJS.Workbook, name: string, table: FlatTable): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((column, index) => {
    const format = NUMBER_FORMATS[column.kind];
    const style: Partial<ExcelJS.Style> = column.kind === 'longtext' ? { alignment: { wrapText: true, vertical: 'top' } } : {};
    if (format !== undefined) style.numFmt = format;
    return { header: neutralizeCell(column.header), key: `c${index}`, width: widthOf(column.kind, column.header, table.rows, index), style };
  });
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map(excelValue));
}

/** The `汇总表` sheet: per district and form, the filed count and ✓ / — (declared none) / ✗. */
function addSummarySheet(
  workbook: ExcelJS.Workbook,
  forms: readonly ExportForm[],
  names: ReadonlyMap<string, string>,
  input: { event: EventData; filings: readonly Filing[]; declarations: readonly Declaration[]; ctx: FieldContext },
): void {
  const sheet = workbook.addWorksheet(SUMMARY_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  const columns: Partial<ExcelJS.Column>[] = [{ header: '区市', key: 'district', width: 24 }];
  for (const { form } of forms) {
    const title = names.get(form.id) ?? form.id;
    columns.push({ header: neutralizeCell(`${title} 份数`), key: `${form.id}:n`, width: 10, style: { numFmt: '0' } });
    columns.push({ header: neutralizeCell(title), key: `${form.id}:s`, width: Math.min(40, textWidth(title) + 2), style: { alignment: { horizontal: 'center' } } });
  }
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { wrapText: true, vertical: 'middle' };
  const totals = new Map<string, number>();
  for (const status of computeStatus(input.event, input.filings, input.declarations)) {
    const row: Record<string, ExcelJS.CellValue> = { district: neutralizeCell(status.district.name[input.ctx.locale]) };
    for (const { form } of forms) {
      const state = status.forms.find((entry) => entry.formId === form.id);
      const filed = state?.filed ?? 0;
      row[`${form.id}:n`] = filed;
      row[`${form.id}:s`] = filed > 0 ? '✓' : state?.declaredNone === true ? '—' : '✗';
      totals.set(form.id, (totals.get(form.id) ?? 0) + filed);
    }
    sheet.addRow(row);
  }
  const total: Record<string, ExcelJS.CellValue> = { district: '合计' };
  for (const { form } of forms) total[`${form.id}:n`] = totals.get(form.id) ?? 0;
  sheet.addRow(total).font = { bold: true };
  sheet.addRow({});
  sheet.addRow({ district: '✓ 已报送　— 已声明无需报送　✗ 未报送' });
  addDeclarationRows(sheet, input);
}

/** Below the summary: each "nothing to file" declaration with who made it and when (Shanghai time). */
function addDeclarationRows(sheet: ExcelJS.Worksheet, input: { event: EventData; declarations: readonly Declaration[] }): void {
  const declarations = input.declarations.filter((d) => d.eventId === input.event.id);
  if (declarations.length === 0) return;
  sheet.addRow({});
  sheet.addRow(['无需报送声明', '区市', '表格', '声明人', '声明时间']).font = { bold: true };
  for (const d of declarations) {
    const district = input.event.districts.find((x) => x.id === d.district)?.name['zh-CN'] ?? d.district;
    const form = input.event.forms.find((x) => x.id === d.formId)?.title['zh-CN'] ?? d.formId;
    const who = d.declaredByName === undefined ? d.declaredBy : `${d.declaredByName}（${d.declaredBy}）`;
    const at = new Date(d.at);
    sheet.addRow(['—', ...[district, form, who, `${toShanghaiDate(at)} ${toShanghaiTime(at)}`].map(neutralizeCell)]);
  }
}

/** Input of {@link toXlsx}. */
export interface XlsxInput {
  event: EventData;
  forms: readonly ExportForm[];
  /** Every filing given to the export; each sheet keeps its form's submitted ones. */
  filings: readonly Filing[];
  declarations: readonly Declaration[];
  ctx: FieldContext;
}

/** The XLSX workbook of the given forms plus the `汇总表` summary, as bytes. */
export async function toXlsx(input: XlsxInput): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'sciweek-bot';
  workbook.created = input.ctx.now;
  const taken = new Set<string>([SUMMARY_SHEET.toLowerCase()]);
  const names = new Map<string, string>();
  for (const exportForm of input.forms) {
    const name = sheetName(exportForm.form.title['zh-CN'], input.event.year, taken);
    taken.add(name.toLowerCase());
    names.set(exportForm.form.id, name);
    const filings = filingsOf(input.event, exportForm.form.id, input.filings);
    addTableSheet(workbook, name, flatTable(exportForm, filings, input.ctx, { splitDates: true }));
  }
  addSummarySheet(workbook, input.forms, names, { event: input.event, filings: input.filings, declarations: input.declarations, ctx: input.ctx });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}
