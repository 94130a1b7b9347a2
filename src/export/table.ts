/**
 * The export's shared model: which filings are exported (submitted, of this event, of the chosen form,
 * in district order) and the flat table of a form — the official columns in the official order, 附件3's
 * rows expanded one line each, then the staff columns 回执号, 区市, 提交人, 提交时间, 状态.
 */
import { BotError } from '../kernel/errors.js';
import type { EventData, EventForm } from '../domain/event.js';
import type { Filing } from '../domain/filing.js';
import type { JsonValue } from '../kernel/json.js';
import type { FieldContext, FieldSpec, FlowDefinition } from '../flow/define.js';
import { rowsOf, type Row } from '../flow/repeat.js';
import { cellValue, dateRangeOf, hoursOf, type CellValue } from './cells.js';

/** The export was asked for something that does not exist (an unknown form, CSV of every form). */
export class ExportError extends BotError {
  constructor(message: string) {
    super('export_invalid', message);
  }
}

/** A form of the event together with the flow that files it. */
export interface ExportForm {
  form: EventForm;
  flow: FlowDefinition;
}

/** How a column is typed in a spreadsheet. */
export type ColumnKind = 'text' | 'longtext' | 'money' | 'integer' | 'date' | 'datetime';

/** One column of a flat table. */
export interface TableColumn {
  header: string;
  kind: ColumnKind;
}

/** A cell of a flat table: a {@link CellValue}, or an instant for 提交时间. */
export type TableCell = CellValue | Date;

/** A form's filings as one flat table. */
export interface FlatTable {
  columns: TableColumn[];
  rows: TableCell[][];
}

/** The staff columns after the official ones. */
export const META_HEADERS = ['回执号', '区市', '提交人', '提交时间', '状态'] as const;

/** The forms of the event that have a flow, in the event's order; only `formId` when given. */
export function exportForms(event: EventData, flows: readonly FlowDefinition[], formId?: string): ExportForm[] {
  const forms: ExportForm[] = [];
  for (const form of event.forms) {
    const flow = flows.find((f) => f.id === form.id);
    if (flow !== undefined && (formId === undefined || form.id === formId)) forms.push({ form, flow });
  }
  if (formId !== undefined && forms.length === 0) throw new ExportError(`no form with a flow has id "${formId}"`);
  return forms;
}

/** The position of a filer in the event's lists (districts, then other filers), for sorting. */
function filerRank(event: EventData, district: string | undefined): number {
  const ids = [...event.districts, ...(event.filerKinds ?? [])].map((filer) => filer.id);
  const index = district === undefined ? -1 : ids.indexOf(district);
  return index === -1 ? ids.length : index;
}

/** The submitted filings of one form of the event (withdrawn ones left out), by district then time. */
export function filingsOf(event: EventData, formId: string, filings: readonly Filing[]): Filing[] {
  return filings
    .filter((f) => f.status === 'submitted' && f.eventId === event.id && f.formId === formId)
    .sort(
      (a, b) =>
        filerRank(event, a.district) - filerRank(event, b.district) ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.receipt.localeCompare(b.receipt),
    );
}

/** The fields of a form as the official table has them: every field but the filer's district. */
export function officialFields(flow: FlowDefinition): FieldSpec[] {
  return flow.fields.filter((field) => field.id !== flow.districtField);
}

/** The filer's name (区市 or department) in the staff's language. */
export function districtName(filing: Filing, flow: FlowDefinition, ctx: FieldContext): string {
  const field = flow.fields.find((f) => f.id === flow.districtField);
  const value = field === undefined ? undefined : filing.values[field.id];
  if (field !== undefined && value !== undefined && value !== null) return field.format(value, ctx);
  const filer = [...ctx.event.districts, ...(ctx.event.filerKinds ?? [])].find((d) => d.id === filing.district);
  return filer?.name[ctx.locale] ?? filing.district ?? '';
}

/** The 状态 of a filing: withdrawn ones are never exported, so it says whether it was reopened. */
export function statusText(filing: Filing): string {
  if (filing.status === 'withdrawn') return '已撤回';
  return filing.reopened ? '已提交（已重新开放修改）' : '已提交';
}

/** When a filing was last submitted, as an instant (`updatedAt`; `createdAt` if that is unreadable). */
export function submittedAt(filing: Filing): Date {
  const at = new Date(filing.updatedAt);
  return Number.isNaN(at.getTime()) ? new Date(filing.createdAt) : at;
}

/** Options of {@link flatTable}. */
export interface FlatTableOptions {
  /**
   * XLSX: a date range becomes its start and end dates in two columns, and its hours a third
   * (`举办时间（时段）`) when any exported value has hours; CSV keeps one text column.
   */
  splitDates: boolean;
  /** The date-range fields (and row columns) whose hours get a column; filled by {@link flatTable}. */
  withHours?: ReadonlySet<string>;
}

/** The date-range fields and row columns of which some filing gives the hours of the day. */
function fieldsWithHours(fields: readonly FieldSpec[], filings: readonly Filing[]): Set<string> {
  const found = new Set<string>();
  const visit = (field: FieldSpec, value: JsonValue | undefined): void => {
    if (field.kind === 'date-range' && hoursOf(value) !== null) found.add(field.id);
    if (field.repeat !== undefined) for (const row of rowsOf(value)) for (const column of field.repeat.rowFields) visit(column, row[column.id]);
  };
  for (const filing of filings) for (const field of fields) visit(field, filing.values[field.id]);
  return found;
}

function columnKind(field: FieldSpec): ColumnKind {
  if (field.kind === 'money' || field.kind === 'integer') return field.kind;
  return field.kind === 'longtext' || field.kind === 'repeat' ? 'longtext' : 'text';
}

/** The columns of one field (two for a split date range, one per column of a repeating group). */
function fieldColumns(field: FieldSpec, options: FlatTableOptions, expand: boolean): TableColumn[] {
  if (field.repeat !== undefined && expand) return field.repeat.rowFields.flatMap((column) => fieldColumns(column, options, false));
  if (field.kind === 'date-range' && options.splitDates) {
    const days: TableColumn[] = [
      { header: field.column, kind: 'date' },
      { header: `${field.column}（止）`, kind: 'date' },
    ];
    return options.withHours?.has(field.id) === true ? [...days, { header: `${field.column}（时段）`, kind: 'text' }] : days;
  }
  return [{ header: field.column, kind: columnKind(field) }];
}

function fieldCells(field: FieldSpec, value: JsonValue | undefined, ctx: FieldContext, options: FlatTableOptions): TableCell[] {
  if (field.kind === 'date-range' && options.splitDates) {
    const range = dateRangeOf(value);
    const days: TableCell[] = range !== undefined ? [{ date: range.start }, { date: range.end }] : [cellValue(field, value, ctx), null];
    return options.withHours?.has(field.id) === true ? [...days, hoursOf(value)] : days;
  }
  return [cellValue(field, value, ctx)];
}

/**
 * A form's filings as a flat table. The first repeating group (附件3's institutions) is expanded: one
 * table row per group row, the filing's other columns repeated on each; a filing without rows still
 * gets one line.
 */
export function flatTable(exportForm: ExportForm, filings: readonly Filing[], ctx: FieldContext, given: FlatTableOptions): FlatTable {
  const fields = officialFields(exportForm.flow);
  const options: FlatTableOptions = given.splitDates ? { ...given, withHours: fieldsWithHours(fields, filings) } : given;
  const expanded = fields.find((field) => field.repeat !== undefined);
  const columns = [
    ...fields.flatMap((field) => fieldColumns(field, options, field === expanded)),
    ...META_HEADERS.map((header): TableColumn => ({ header, kind: header === '提交时间' ? 'datetime' : 'text' })),
  ];
  const rows: TableCell[][] = [];
  for (const filing of filings) {
    const groupRows: (Row | undefined)[] = expanded === undefined ? [undefined] : rowsOf(filing.values[expanded.id]);
    if (groupRows.length === 0) groupRows.push(undefined);
    const meta: TableCell[] = [filing.receipt, districtName(filing, exportForm.flow, ctx), filing.ownerName, submittedAt(filing), statusText(filing)];
    for (const groupRow of groupRows) {
      const cells = fields.flatMap((field): TableCell[] => {
        if (field !== expanded || field.repeat === undefined) return fieldCells(field, filing.values[field.id], ctx, options);
        return field.repeat.rowFields.flatMap((column) => fieldCells(column, groupRow?.[column.id], ctx, options));
      });
      rows.push([...cells, ...meta]);
    }
  }
  return { columns, rows };
}
