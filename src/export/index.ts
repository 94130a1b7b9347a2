/**
 * Staff exports: the submitted filings of the event as XLSX (one sheet per form plus `汇总表`), DOCX
 * (each filing on its own page in the official layout) or CSV (one form). Withdrawn filings are left
 * out. The file name is built from the event id, the form id and the date only — never user text.
 */
import type { EventData } from '../domain/event.js';
import type { Filing } from '../domain/filing.js';
import type { FieldContext, FlowDefinition } from '../flow/define.js';
import type { Declaration } from '../domain/records.js';
import { toCsv } from './csv.js';
import { ExportError, exportForms, filingsOf } from './table.js';

export { neutralizeCell, cellText, cellValue } from './cells.js';
export { ExportError } from './table.js';

/** The formats staff can ask for. */
export type ExportFormat = 'xlsx' | 'docx' | 'csv';

/** What {@link exportFilings} needs. */
export interface ExportInput {
  format: ExportFormat;
  /** One form only; every form of the event when absent (CSV needs one). */
  formId?: string;
  event: EventData;
  flows: readonly FlowDefinition[];
  filings: readonly Filing[];
  declarations: readonly Declaration[];
  fieldContext: FieldContext;
}

/** An exported file. */
export interface ExportFile {
  name: string;
  mime: string;
  data: Uint8Array;
}

/** The MIME type of each format. */
export const EXPORT_MIME: Readonly<Record<ExportFormat, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
};

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Keeps `[a-z0-9-]` only (anything else becomes `-`), so a name part can never be a path. */
function safePart(text: string): string {
  const safe = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return safe === '' ? 'x' : safe;
}

/**
 * The file name of an export: `sciweek-<event id>-<form id or all>-<YYYYMMDD>.<ext>`, e.g.
 * `sciweek-qingdao-2021-key-project-20210501.xlsx`, the date being `now` in Shanghai. Only ids from the
 * event data and the flows go in, each reduced to `[a-z0-9-]`.
 */
export function exportFileName(eventId: string, formId: string | undefined, now: Date, format: ExportFormat): string {
  const ms = Number.isNaN(now.getTime()) ? 0 : now.getTime();
  const day = new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
  return `sciweek-${safePart(eventId)}-${formId === undefined ? 'all' : safePart(formId)}-${day}.${format}`;
}

/**
 * Exports the submitted filings of the event in the asked format, for one form (`formId`) or all.
 * Throws {@link ExportError} for a form without a flow, or for CSV without a form.
 */
export async function exportFilings(input: ExportInput): Promise<ExportFile> {
  const { event, fieldContext: ctx } = input;
  const forms = exportForms(event, input.flows, input.formId);
  const formId = forms.length === 1 && input.formId !== undefined ? forms[0]?.form.id : undefined;
  const name = exportFileName(event.id, formId, ctx.now, input.format);
  const mime = EXPORT_MIME[input.format];
  switch (input.format) {
    case 'csv': {
      const only = forms[0];
      if (input.formId === undefined || only === undefined) throw new ExportError('a CSV export holds one form: give formId');
      return { name, mime, data: toCsv(only, filingsOf(event, only.form.id, input.filings), ctx) };
    }
    // exceljs and docx take a quarter of a second to load: only an export pays for it, not the start-up.
    case 'xlsx': {
      const { toXlsx } = await import('./xlsx.js');
      return { name, mime, data: await toXlsx({ event, forms, filings: input.filings, declarations: input.declarations, ctx }) };
    }
    case 'docx': {
      const { toDocx } = await import('./docx.js');
      const parts = forms.map((exportForm) => ({ exportForm, filings: filingsOf(event, exportForm.form.id, input.filings) }));
      return { name, mime, data: await toDocx(parts, ctx) };
    }
  }
}
