/**
 * What a repeating group shows: the question for one column of one row, and the row menu — the
 * rows so far, with add a row / done, and how to change or remove one.
 */
import { bold, choicesReply, list, paragraph, type Block, type Button, type Reply } from '../domain/reply.js';
import { fieldKey, type FieldContext, type FieldSpec, type FlowDefinition, type RepeatSpec } from './define.js';
import { navPayload } from './navigation.js';
import { formatRow, rowsOf } from './repeat.js';
import { fieldLabel } from './render.js';
import type { FlowCursor, FlowState } from '../domain/draft.js';

/** The locale key of a column's label or prompt. */
export function columnKey(flow: FlowDefinition, field: FieldSpec, column: FieldSpec, part: 'label' | 'prompt'): string {
  return fieldKey(flow.id, `${field.id}.${column.id}`, part);
}

function nav(ctx: FieldContext, kind: 'back' | 'cancel' | 'skip' | 'done' | 'add-row', cursor: FlowCursor, draftId: string | undefined): Button {
  const label = kind === 'add-row' ? ctx.t('flow.nav.add_row') : ctx.t(`flow.nav.${kind}`);
  return { label, payload: navPayload({ kind }, cursor, draftId), role: kind === 'add-row' || kind === 'done' ? 'option' : 'nav' };
}

/** The question for one column of one row. */
export function renderRowPrompt(flow: FlowDefinition, state: FlowState, field: FieldSpec, spec: RepeatSpec, row: number, columnId: string, ctx: FieldContext): Reply {
  const column = spec.rowFields.find((c) => c.id === columnId) ?? spec.rowFields[0];
  const cursor: FlowCursor = { kind: 'field', fieldId: field.id, row, sub: columnId };
  if (column === undefined) return choicesReply([paragraph(fieldLabel(flow, field, ctx))], []);
  const index = flow.fields.indexOf(field);
  const blocks: Block[] = [
    paragraph(
      ctx.t('flow.progress', { n: index + 1, total: flow.fields.length }),
      ' ',
      bold(fieldLabel(flow, field, ctx)),
      ` · ${ctx.t('flow.row_label', { n: row + 1 })} `,
      bold(ctx.t(columnKey(flow, field, column, 'label'))),
      ` (${spec.rowFields.indexOf(column) + 1}/${spec.rowFields.length})`,
    ),
    paragraph(ctx.t(columnKey(flow, field, column, 'prompt'))),
  ];
  const current = rowsOf(state.values[field.id])[row]?.[column.id];
  if (current !== undefined && current !== null) blocks.push(paragraph(ctx.t('flow.current_value'), column.format(current, ctx)));
  const buttons: Button[] = [];
  if (column.optional) buttons.push(nav(ctx, 'skip', cursor, state.draftId));
  buttons.push(nav(ctx, 'back', cursor, state.draftId), nav(ctx, 'cancel', cursor, state.draftId));
  return choicesReply(blocks, buttons);
}

/** The row menu: the rows so far, add a row / done, and how to change or remove one. */
export function renderRowsMenu(flow: FlowDefinition, state: FlowState, field: FieldSpec, spec: RepeatSpec, ctx: FieldContext): Reply {
  const rows = rowsOf(state.values[field.id]);
  const cursor: FlowCursor = { kind: 'field', fieldId: field.id };
  const blocks: Block[] = [
    paragraph(bold(fieldLabel(flow, field, ctx)), ' ', ctx.t('flow.rows_count', { count: rows.length, min: spec.minRows, max: spec.maxRows })),
  ];
  if (rows.length > 0) blocks.push(list(rows.map((row, i) => [`${ctx.t('flow.row_label', { n: i + 1 })} `, formatRow(spec, row, ctx)])));
  blocks.push(paragraph(ctx.t('flow.rows_help', { columns: spec.rowFields.length })));
  const buttons: Button[] = [];
  if (rows.length < spec.maxRows) buttons.push(nav(ctx, 'add-row', cursor, state.draftId));
  if (rows.length >= spec.minRows) buttons.push(nav(ctx, 'done', cursor, state.draftId));
  buttons.push(nav(ctx, 'back', cursor, state.draftId), nav(ctx, 'cancel', cursor, state.draftId));
  return choicesReply(blocks, buttons);
}
