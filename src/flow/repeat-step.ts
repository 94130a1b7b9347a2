/**
 * The runner's step for repeating groups: answer the columns of a row one by one, add a row, finish,
 * change or remove a row, or paste rows copied from the Word table (one row a line, columns split by
 * tabs). Every cell goes through its column's own parser; a bad cell is reported, nothing is lost.
 */
import { paragraph, type Block } from '../domain/reply.js';
import type { JsonValue } from '../kernel/json.js';
import type { FieldSpec, FlowDefinition, RepeatSpec } from './define.js';
import type { NavCommand } from './navigation.js';
import { foldLabel, isEmptyWord } from './paste.js';
import { unusedBlocks } from './paste-step.js';
import { missingColumn, rowsOf, type Row } from './repeat.js';
import { columnKey } from './repeat-render.js';
import { advance, currentReplies, errorText, reject, type FlowOutcome, type RunnerContext } from './runner-core.js';
import type { FlowState } from '../domain/draft.js';

type RepeatField = FieldSpec & { repeat: RepeatSpec };

function at(state: FlowState, field: RepeatField, rows: Row[], row?: number, sub?: string): FlowState {
  const cursor = row === undefined || sub === undefined ? { kind: 'field' as const, fieldId: field.id } : { kind: 'field' as const, fieldId: field.id, row, sub };
  return { ...state, values: { ...state.values, [field.id]: rows }, cursor };
}

function show(flow: FlowDefinition, next: FlowState, ctx: RunnerContext, before: Block[] = []): FlowOutcome {
  const replies = currentReplies(flow, next, ctx);
  return { kind: 'continue', state: next, replies: before.length > 0 ? [{ kind: 'text', blocks: before }, ...replies] : replies };
}

/** The first row with a gap and its first missing column, if any row has one. */
function firstGap(spec: RepeatSpec, rows: Row[]): { row: number; sub: string } | undefined {
  for (const [index, row] of rows.entries()) {
    const gap = missingColumn(spec, row);
    if (gap !== undefined) return { row: index, sub: gap.id };
  }
  return undefined;
}

/**
 * After a column of a row: a row being filled in goes to its next missing column (a pasted row
 * with a bad cell asks only that cell); a complete row being changed goes column by column. When
 * the row is done, the next row with a gap is asked, or else the row menu is shown. `notes` (a
 * cell's warning) come before what is asked next.
 */
function nextColumn(flow: FlowDefinition, state: FlowState, field: RepeatField, rows: Row[], row: number, columnId: string, ctx: RunnerContext, wasComplete: boolean, notes: Block[] = []): FlowOutcome {
  const columns = field.repeat.rowFields;
  const following = wasComplete ? columns[columns.findIndex((c) => c.id === columnId) + 1] : missingColumn(field.repeat, rows[row]);
  if (following !== undefined) return show(flow, at(state, field, rows, row, following.id), ctx, notes);
  const added = [...notes, paragraph(ctx.t('flow.row_saved', { n: row + 1 }))];
  const gap = firstGap(field.repeat, rows);
  return show(flow, at(state, field, rows, gap?.row, gap?.sub), ctx, added);
}

/** A typed answer, or rows pasted from the Word table, at a repeating group. */
export function stepRepeatText(flow: FlowDefinition, state: FlowState, field: RepeatField, text: string, ctx: RunnerContext): FlowOutcome {
  const rows = rowsOf(state.values[field.id]);
  if (text.includes('\t')) return pasteRows(flow, state, field, rows, text, ctx);
  const cursor = state.cursor;
  if (cursor.kind !== 'field' || cursor.row === undefined || cursor.sub === undefined) {
    return reject(flow, state, ctx, ctx.t('flow.rows_menu_expects'));
  }
  const column = field.repeat.rowFields.find((c) => c.id === cursor.sub);
  if (column === undefined) return show(flow, at(state, field, rows), ctx);
  const parsed = column.parse(text, ctx);
  if (!parsed.ok) return reject(flow, state, ctx, errorText(ctx, parsed.error, parsed.params));
  const updated = rows.map((row) => ({ ...row }));
  const wasComplete = rows[cursor.row] !== undefined && missingColumn(field.repeat, rows[cursor.row]) === undefined;
  updated[cursor.row] = { ...(updated[cursor.row] ?? {}), [column.id]: parsed.value };
  const note = cellWarning(flow, field, column, parsed.value, ctx);
  return nextColumn(flow, state, field, updated, cursor.row, column.id, ctx, wasComplete, note === undefined ? [] : [paragraph(`⚠ ${note}`)]);
}

/** A cell's warning (an 开放时间 outside the week) as `label：warning`; the cell is kept, the row can be changed later. */
function cellWarning(flow: FlowDefinition, field: RepeatField, column: FieldSpec, value: JsonValue, ctx: RunnerContext): string | undefined {
  const warning = column.warn?.(value, ctx);
  if (warning === undefined) return undefined;
  return `${ctx.t(columnKey(flow, field, column, 'label'))}${ctx.t('punctuation.label')}${ctx.t(warning.key, warning.params)}`;
}

/**
 * Rows pasted from the Word table, one a line, columns split by tabs. A row with a bad or missing
 * cell is kept with its good cells and only the gaps are asked; a line without a tab is not a row,
 * and is listed with the lines left over past the row limit.
 */
function pasteRows(flow: FlowDefinition, state: FlowState, field: RepeatField, rows: Row[], text: string, ctx: RunnerContext): FlowOutcome {
  const columns = field.repeat.rowFields;
  const headers = new Set(columns.flatMap((c) => [c.column, ...c.aliases, ...ctx.inAllLocales(columnKey(flow, field, c, 'label'))]).map(foldLabel));
  const kept = [...rows];
  const problems: string[] = [];
  const unused: string[] = [];
  let added = 0;
  let pastedRow = 0;
  let full = false;
  for (const line of text.split('\n')) {
    const cells = line.split('\t').map((cell) => cell.trim());
    if (cells.every((cell) => cell === '') || cells.every((cell) => cell === '' || headers.has(foldLabel(cell)))) continue;
    if (full || cells.length < 2) {
      unused.push(line.trim());
      continue;
    }
    pastedRow += 1;
    if (kept.length >= field.repeat.maxRows) {
      problems.push(ctx.t('errors.repeat.too_many_rows', { max: field.repeat.maxRows }));
      full = true;
      unused.push(line.trim());
      continue;
    }
    const row: Row = {};
    columns.forEach((column, i) => {
      const cell = cells[i] ?? '';
      if ((cell === '' || isEmptyWord(cell)) && column.optional) {
        row[column.id] = null;
        return;
      }
      const parsed = isEmptyWord(cell) ? undefined : column.parse(cell, ctx);
      if (parsed?.ok === true) {
        row[column.id] = parsed.value;
        const note = cellWarning(flow, field, column, parsed.value, ctx);
        if (note !== undefined) problems.push(`⚠ ${ctx.t('flow.pasted_row_label', { n: pastedRow })} ${note}`);
        return;
      }
      const reason = parsed === undefined ? ctx.t('flow.required') : errorText(ctx, parsed.error, parsed.params);
      problems.push(`✗ ${ctx.t('flow.pasted_row_label', { n: pastedRow })} ${ctx.t(columnKey(flow, field, column, 'label'))}${ctx.t('punctuation.label')}${reason}`);
    });
    kept.push(row);
    added += 1;
  }
  const gap = firstGap(field.repeat, kept);
  const keptNote = gap === undefined || problems.length === 0 ? [] : [paragraph(ctx.t('flow.rows_cells_kept'))];
  const before = [
    paragraph(ctx.t('flow.rows_pasted', { count: added })),
    ...problems.map((p) => paragraph(p)),
    ...keptNote,
    ...unusedBlocks(unused, ctx),
  ];
  return show(flow, at(state, field, kept, gap?.row, gap?.sub), ctx, before);
}

/** Row commands (add, done, change, remove, skip, back) at a repeating group; undefined when not one. */
export function stepRepeatCommand(flow: FlowDefinition, state: FlowState, field: RepeatField, command: NavCommand, ctx: RunnerContext): FlowOutcome | undefined {
  const rows = rowsOf(state.values[field.id]);
  const cursor = state.cursor;
  const inRow = cursor.kind === 'field' && cursor.row !== undefined && cursor.sub !== undefined;
  const { minRows, maxRows, rowFields } = field.repeat;
  const first = rowFields[0]?.id ?? '';
  switch (command.kind) {
    case 'add-row':
      if (rows.length >= maxRows) return reject(flow, state, ctx, ctx.t('errors.repeat.too_many_rows', { max: maxRows }));
      return show(flow, at(state, field, rows, rows.length, first), ctx);
    case 'done':
      if (inRow) return undefined;
      if (rows.length < minRows) return reject(flow, state, ctx, ctx.t('errors.repeat.too_few_rows', { min: minRows }));
      return advance(flow, at(state, field, rows), ctx);
    case 'edit':
    case 'edit-row': {
      if (inRow && command.kind === 'edit') return undefined;
      if (rows[command.index - 1] === undefined) return reject(flow, state, ctx, ctx.t('errors.repeat.no_such_row', { max: rows.length }));
      return show(flow, at(state, field, rows, command.index - 1, first), ctx);
    }
    case 'remove-row': {
      if (rows[command.index - 1] === undefined) return reject(flow, state, ctx, ctx.t('errors.repeat.no_such_row', { max: rows.length }));
      const kept = rows.filter((_, i) => i !== command.index - 1);
      return show(flow, at(state, field, kept), ctx, [paragraph(ctx.t('flow.row_removed', { n: command.index }))]);
    }
    case 'skip': {
      if (!inRow || cursor.kind !== 'field' || cursor.row === undefined || cursor.sub === undefined) return undefined;
      const column = rowFields.find((c) => c.id === cursor.sub);
      if (column === undefined || !column.optional) return reject(flow, state, ctx, ctx.t('flow.required'));
      const updated = rows.map((row) => ({ ...row }));
      const wasComplete = rows[cursor.row] !== undefined && missingColumn(field.repeat, rows[cursor.row]) === undefined;
      updated[cursor.row] = { ...(updated[cursor.row] ?? {}), [column.id]: null };
      return nextColumn(flow, state, field, updated, cursor.row, column.id, ctx, wasComplete);
    }
    case 'back': {
      if (!inRow || cursor.kind !== 'field' || cursor.row === undefined) return undefined;
      const index = rowFields.findIndex((c) => c.id === cursor.sub);
      const previous = rowFields[index - 1];
      if (previous !== undefined) return show(flow, at(state, field, rows, cursor.row, previous.id), ctx);
      return rows.length > 0 ? show(flow, at(state, field, rows), ctx) : undefined;
    }
    default:
      return undefined;
  }
}
