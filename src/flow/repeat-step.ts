/**
 * The runner's step for repeating groups: answer the columns of a row one by one, add a row, finish,
 * change or remove a row, or paste rows copied from the Word table (one row a line, columns split by
 * tabs). Every cell goes through its column's own parser; a bad cell is reported, nothing is lost.
 */
import { paragraph, type Block } from '../domain/reply.js';
import type { FieldSpec, FlowDefinition, RepeatSpec } from './define.js';
import type { NavCommand } from './navigation.js';
import { foldLabel } from './paste.js';
import { rowsOf, type Row } from './repeat.js';
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

/** After a column of a row: the next column, or the row menu when the row is done. */
function nextColumn(flow: FlowDefinition, state: FlowState, field: RepeatField, rows: Row[], row: number, columnId: string, ctx: RunnerContext): FlowOutcome {
  const columns = field.repeat.rowFields;
  const following = columns[columns.findIndex((c) => c.id === columnId) + 1];
  if (following !== undefined) return show(flow, at(state, field, rows, row, following.id), ctx);
  const added = [paragraph(ctx.t('flow.row_saved', { n: row + 1 }))];
  return show(flow, at(state, field, rows), ctx, added);
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
  updated[cursor.row] = { ...(updated[cursor.row] ?? {}), [column.id]: parsed.value };
  return nextColumn(flow, state, field, updated, cursor.row, column.id, ctx);
}

function pasteRows(flow: FlowDefinition, state: FlowState, field: RepeatField, rows: Row[], text: string, ctx: RunnerContext): FlowOutcome {
  const columns = field.repeat.rowFields;
  const headers = new Set(columns.flatMap((c) => [c.column, ...ctx.inAllLocales(columnKey(flow, field, c, 'label'))]).map(foldLabel));
  const kept = [...rows];
  const problems: string[] = [];
  let added = 0;
  let pastedRow = 0;
  for (const line of text.split('\n')) {
    const cells = line.split('\t').map((cell) => cell.trim());
    if (cells.every((cell) => cell === '') || cells.every((cell) => headers.has(foldLabel(cell)))) continue;
    pastedRow += 1;
    if (kept.length >= field.repeat.maxRows) {
      problems.push(ctx.t('errors.repeat.too_many_rows', { max: field.repeat.maxRows }));
      break;
    }
    const row: Row = {};
    let bad = false;
    columns.forEach((column, i) => {
      const cell = cells[i] ?? '';
      if (cell === '' && column.optional) {
        row[column.id] = null;
        return;
      }
      const parsed = column.parse(cell, ctx);
      if (parsed.ok) row[column.id] = parsed.value;
      else {
        bad = true;
        problems.push(`✗ ${ctx.t('flow.pasted_row_label', { n: pastedRow })} ${ctx.t(columnKey(flow, field, column, 'label'))}${ctx.t('punctuation.label')}${errorText(ctx, parsed.error, parsed.params)}`);
      }
    });
    if (!bad) {
      kept.push(row);
      added += 1;
    }
  }
  const before = [paragraph(ctx.t('flow.rows_pasted', { count: added })), ...problems.map((p) => paragraph(p))];
  return show(flow, at(state, field, kept), ctx, before);
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
      updated[cursor.row] = { ...(updated[cursor.row] ?? {}), [column.id]: null };
      return nextColumn(flow, state, field, updated, cursor.row, column.id, ctx);
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
