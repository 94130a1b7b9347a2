/**
 * CSV export of one form: UTF-8 with a byte-order mark (so Excel opens Chinese text correctly), CRLF
 * line ends, RFC 4180 quoting, the official column titles in the official order then 回执号, 区市, 提交人,
 * 提交时间, 状态; one line per filing, or per 附件3 row with the filing's columns repeated. Every cell
 * goes through {@link neutralizeCell}.
 */
import type { Filing } from '../domain/filing.js';
import type { FieldContext } from '../flow/define.js';
import { neutralizeCell } from './cells.js';
import { flatTable, type ExportForm, type TableCell } from './table.js';

const BOM = '\uFEFF';
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An instant as Shanghai wall-clock time, `YYYY-MM-DD HH:mm`. */
export function shanghaiDateTime(instant: Date): string {
  if (Number.isNaN(instant.getTime())) return '';
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** One field quoted as RFC 4180 asks: in double quotes (doubled inside) when it holds `"`, `,`, CR or LF. */
export function quoteCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellString(cell: TableCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return shanghaiDateTime(cell);
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'string') return cell;
  return cell.date;
}

/** Rows of cells as CSV text: each cell neutralized and quoted, CRLF after every record, BOM first. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return BOM + rows.map((row) => `${row.map((cell) => quoteCsvField(neutralizeCell(cell))).join(',')}\r\n`).join('');
}

/** The CSV file of one form's filings (already selected and ordered), as UTF-8 bytes. */
export function toCsv(exportForm: ExportForm, filings: readonly Filing[], ctx: FieldContext): Uint8Array {
  const table = flatTable(exportForm, filings, ctx, { splitDates: false });
  const rows = [table.columns.map((column) => column.header), ...table.rows.map((row) => row.map(cellString))];
  return new TextEncoder().encode(csvText(rows));
}
