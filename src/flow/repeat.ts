/**
 * Repeating groups (附件3's rows of 单位名称, 开放时间, …): a field whose answer is a list of rows,
 * each answering the same columns with the columns' own parsers. Complete when it has at least
 * `minRows` rows and every row has every required column.
 */
import { z } from 'zod';
import { jsonValueSchema, type JsonValue } from '../kernel/json.js';
import type { FieldContext, FieldSpec, RepeatSpec } from './define.js';
import { fail } from './parse/index.js';

/** One row: column id → value. */
export type Row = Record<string, JsonValue>;

const rowsSchema = z.array(z.record(z.string(), jsonValueSchema));

/** The rows of a repeating group's value (an unreadable value has none). */
export function rowsOf(value: JsonValue | undefined): Row[] {
  const parsed = rowsSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** The first column of a row still missing an answer, or undefined when the row is complete. */
export function missingColumn(spec: RepeatSpec, row: Row | undefined): FieldSpec | undefined {
  return spec.rowFields.find((column) => row?.[column.id] === undefined || (row[column.id] === null && !column.optional));
}

/** True when every row is complete and there are at least `minRows`. */
export function rowsComplete(spec: RepeatSpec, value: JsonValue): boolean {
  const rows = rowsOf(value);
  return rows.length >= spec.minRows && rows.every((row) => missingColumn(spec, row) === undefined);
}

/** Where a repeating group is entered: the first gap of any row, a new row, or its row menu. */
export function entryOf(spec: RepeatSpec, value: JsonValue | undefined): { row?: number; sub?: string } {
  const rows = rowsOf(value);
  for (const [index, row] of rows.entries()) {
    const gap = missingColumn(spec, row);
    if (gap !== undefined) return { row: index, sub: gap.id };
  }
  if (rows.length < spec.minRows) return { row: rows.length, sub: spec.rowFields[0]?.id ?? '' };
  return {};
}

/** A row as one line: its columns' values, formatted, separated by ` | `. */
export function formatRow(spec: RepeatSpec, row: Row, ctx: FieldContext): string {
  return spec.rowFields
    .map((column) => {
      const value = row[column.id];
      return value === undefined || value === null ? '—' : column.format(value, ctx);
    })
    .join(' | ');
}

/** A repeating group of rows; each column is a field built like any other (textField, phoneField, …). */
export function repeatField(
  id: string,
  common: { column: string; aliases?: readonly string[]; optional?: boolean; rowFields: FieldSpec[]; minRows: number; maxRows: number },
): FieldSpec {
  const spec: RepeatSpec = { rowFields: common.rowFields, minRows: common.minRows, maxRows: common.maxRows };
  return {
    id,
    kind: 'repeat',
    column: common.column,
    aliases: common.aliases ?? [],
    optional: common.optional ?? false,
    repeat: spec,
    schema: rowsSchema,
    parse: () => fail('repeat.expected'),
    format: (value, ctx) =>
      rowsOf(value)
        .map((row, i) => `\n  ${ctx.t('flow.row_label', { n: i + 1 })} ${formatRow(spec, row, ctx)}`)
        .join(''),
    isComplete: (value) => rowsComplete(spec, value),
  };
}
