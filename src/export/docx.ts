/**
 * DOCX export (docx package): every filing on its own page, laid out like its official attachment —
 * 附件2 as the label/value grid of the notice (two pairs per row, 项目简介 as the tall last row), 附件3 as
 * `填报单位（盖章）：…` above the six-column table, 附件1 as its five numbered items, the summary report
 * as label/value lines — under a page title with the official form title, and the staff details
 * (回执号, 区市, 提交人, 提交时间) below. User text is written as plain runs.
 */
import { AlignmentType, Document, HeightRule, Packer, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import type { Filing } from '../domain/filing.js';
import type { JsonValue } from '../kernel/json.js';
import type { FieldContext, FieldSpec, FlowDefinition } from '../flow/define.js';
import { rowsOf } from '../flow/repeat.js';
import { cellText, xmlSafe } from './cells.js';
import { shanghaiDateTime } from './csv.js';
import { districtName, officialFields, statusText, submittedAt, type ExportForm } from './table.js';

type Block = Paragraph | Table;

/** 附件2's grid: the field ids of each row, one or two label/value pairs, as the notice draws it. */
const KEY_PROJECT_GRID: readonly (readonly string[])[] = [
  ['projectName'],
  ['organizer', 'supervisor'],
  ['venue', 'period'],
  ['projectLead', 'contactPerson'],
  ['address', 'postalCode'],
  ['phone', 'fax'],
  ['email', 'budget'],
  ['attendance'],
  ['summary'],
];

/** 附件1's five numbered items: the field ids that answer each item of the event's form. */
const EXHIBITOR_ITEMS: readonly (readonly string[])[] = [
  ['exhibitor'],
  ['contactPerson', 'contactPhone'],
  ['description'],
  ['districtContact', 'districtContactPhone'],
  ['photos'],
];

const GRID_WIDTHS = [1800, 2700, 1800, 2700];
const TABLE_WIDTH = 9000;

/** A value as a document shows it: money with 元 and counts with their formatter, else {@link cellText}. */
function docText(field: FieldSpec, value: JsonValue | undefined, ctx: FieldContext): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'money' || field.kind === 'integer') return field.format(value, ctx);
  return cellText(field, value, ctx);
}

/** Plain runs of a text, its line breaks kept. */
function runs(text: string, bold = false): TextRun[] {
  return xmlSafe(text).split(/\r?\n/).map((line, index) => new TextRun({ text: line, bold, ...(index > 0 ? { break: 1 } : {}) }));
}

function cell(text: string, options: { bold?: boolean; span?: number; width?: number } = {}): TableCell {
  return new TableCell({
    children: [new Paragraph({ children: runs(text, options.bold ?? false) })],
    verticalAlign: VerticalAlign.CENTER,
    ...(options.span === undefined ? {} : { columnSpan: options.span }),
    ...(options.width === undefined ? {} : { width: { size: options.width, type: WidthType.DXA } }),
  });
}

/** 附件2: label/value pairs, two per row; a row with one field spans it; the long text is tall. */
function keyProjectGrid(flow: FlowDefinition, filing: Filing, ctx: FieldContext): Block[] {
  const fields = officialFields(flow);
  const placed = new Set(KEY_PROJECT_GRID.flat());
  const layout = [...KEY_PROJECT_GRID, ...fields.filter((f) => !placed.has(f.id)).map((f) => [f.id])];
  const rows: TableRow[] = [];
  for (const ids of layout) {
    const present = ids.flatMap((id) => fields.filter((f) => f.id === id));
    if (present.length === 0) continue;
    const tall = present.length === 1 && present[0]?.kind === 'longtext';
    const cells = present.flatMap((field, index) => [
      cell(field.column, { bold: true, width: GRID_WIDTHS[index * 2] ?? 1800 }),
      cell(docText(field, filing.values[field.id], ctx), present.length === 1 ? { span: 3 } : { width: GRID_WIDTHS[index * 2 + 1] ?? 2700 }),
    ]);
    rows.push(new TableRow({ children: cells, ...(tall ? { height: { value: 4800, rule: HeightRule.ATLEAST } } : {}) }));
  }
  return [new Table({ rows, width: { size: TABLE_WIDTH, type: WidthType.DXA }, columnWidths: GRID_WIDTHS })];
}

/** 附件3: `填报单位（盖章）：…` (and any other single field) above the table of its repeating group. */
function rowsTable(flow: FlowDefinition, filing: Filing, ctx: FieldContext): Block[] {
  const blocks: Block[] = [];
  for (const field of officialFields(flow)) {
    const value = filing.values[field.id];
    if (field.repeat === undefined) {
      const label = field.aliases.find((alias) => alias.startsWith(field.column) && alias.length > field.column.length) ?? field.column;
      blocks.push(new Paragraph({ children: [...runs(`${label}：`, true), ...runs(docText(field, value, ctx))], spacing: { after: 120 } }));
      continue;
    }
    const columns = field.repeat.rowFields;
    const width = Math.floor(TABLE_WIDTH / columns.length);
    const header = new TableRow({ tableHeader: true, children: columns.map((column) => cell(column.column, { bold: true, width })) });
    const body = rowsOf(value).map(
      (row) => new TableRow({ children: columns.map((column) => cell(docText(column, row[column.id], ctx), { width })) }),
    );
    blocks.push(new Table({ rows: [header, ...body], width: { size: TABLE_WIDTH, type: WidthType.DXA }, columnWidths: columns.map(() => width) }));
  }
  return blocks;
}

/** 附件1: the five numbered items of the event's form, each answered by its fields. */
function numberedItems(exportForm: ExportForm, filing: Filing, ctx: FieldContext): Block[] {
  const fields = officialFields(exportForm.flow);
  return EXHIBITOR_ITEMS.map((ids, index) => {
    const answer = ids
      .flatMap((id) => fields.filter((f) => f.id === id))
      .map((field) => docText(field, filing.values[field.id], ctx))
      .filter((text) => text !== '')
      .join(' ');
    const label = exportForm.form.fields[index]?.['zh-CN'] ?? ids.join('、');
    return new Paragraph({ children: [...runs(`${index + 1}.${label}：`, true), ...runs(answer)], spacing: { after: 160 } });
  });
}

/** Any other form (the summary report): one `label：value` line per field. */
function labelLines(flow: FlowDefinition, filing: Filing, ctx: FieldContext): Block[] {
  return flow.fields.map(
    (field) => new Paragraph({ children: [...runs(`${field.column}：`, true), ...runs(docText(field, filing.values[field.id], ctx))], spacing: { after: 160 } }),
  );
}

function body(exportForm: ExportForm, filing: Filing, ctx: FieldContext): Block[] {
  const { flow } = exportForm;
  if (flow.id === 'key-project') return keyProjectGrid(flow, filing, ctx);
  if (flow.id === 'exhibitor' && exportForm.form.fields.length === EXHIBITOR_ITEMS.length) return numberedItems(exportForm, filing, ctx);
  if (officialFields(flow).some((field) => field.repeat !== undefined)) return rowsTable(flow, filing, ctx);
  return labelLines(flow, filing, ctx);
}

/** 附件N and the official title, centred at the top of a page. */
function pageTitle(exportForm: ExportForm): Paragraph[] {
  const { form } = exportForm;
  const title = new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 240 },
    children: [new TextRun({ text: form.title['zh-CN'], bold: true, size: 32 })],
  });
  return form.attachment === undefined ? [title] : [new Paragraph({ children: [new TextRun({ text: `附件${form.attachment}`, bold: true })] }), title];
}

/** The staff details under a filing. */
function staffLine(exportForm: ExportForm, filing: Filing, ctx: FieldContext): Paragraph {
  const parts = [
    `回执号：${filing.receipt}`,
    `区市：${districtName(filing, exportForm.flow, ctx)}`,
    `提交人：${filing.ownerName}`,
    `提交时间：${shanghaiDateTime(submittedAt(filing))}`,
    `状态：${statusText(filing)}`,
  ];
  return new Paragraph({ spacing: { before: 240 }, children: [new TextRun({ text: xmlSafe(parts.join('　')), size: 18, color: '666666' })] });
}

/** The DOCX of the given forms' filings (already selected and ordered): one page (section) per filing. */
export async function toDocx(parts: readonly { exportForm: ExportForm; filings: readonly Filing[] }[], ctx: FieldContext): Promise<Uint8Array> {
  const sections = parts.flatMap(({ exportForm, filings }) =>
    filings.map((filing) => ({ properties: {}, children: [...pageTitle(exportForm), ...body(exportForm, filing, ctx), staffLine(exportForm, filing, ctx)] })),
  );
  if (sections.length === 0) {
    const titles = parts.flatMap(({ exportForm }) => pageTitle(exportForm));
    sections.push({ properties: {}, children: [...titles, new Paragraph({ children: [new TextRun('（暂无填报）')] })] });
  }
  const document = new Document({ creator: 'sciweek-bot', title: 'sciweek export', sections });
  return new Uint8Array(await Packer.toBuffer(document));
}
