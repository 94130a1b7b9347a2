/**
 * What the runner shows: the question for a field, the warning to confirm, and the summary before
 * submit. Built from locale keys only; user values go into plain spans, never into markup.
 */
import { bold, choicesReply, list, paragraph, type Block, type Button, type Reply, type Span } from '../domain/reply.js';
import { fieldKey, flowTitleKey, type FieldContext, type FieldSpec, type FlowDefinition } from './define.js';
import { navPayload, pickPayload } from './navigation.js';
import type { FlowCursor, FlowState } from '../domain/draft.js';

/** A field's label in the user's language. */
export function fieldLabel(flow: FlowDefinition, field: FieldSpec, ctx: FieldContext): string {
  return ctx.t(fieldKey(flow.id, field.id, 'label'));
}

/** A stored value as the user reads it; skipped optional fields read as "not given". */
export function displayValue(field: FieldSpec, value: FlowState['values'][string] | undefined, ctx: FieldContext): string {
  if (value === undefined || value === null) return ctx.t('flow.not_given');
  return field.format(value, ctx);
}

function navButton(ctx: FieldContext, kind: 'back' | 'skip' | 'cancel' | 'help' | 'done' | 'clear', cursor: FlowCursor, draftId: string | undefined): Button {
  return { label: ctx.t(`flow.nav.${kind}`), payload: navPayload({ kind }, cursor, draftId), role: 'nav' };
}

/** The question for one field: progress, label, prompt, current value, options and navigation. */
export function renderPrompt(flow: FlowDefinition, state: FlowState, field: FieldSpec, ctx: FieldContext): Reply {
  const index = flow.fields.indexOf(field);
  const cursor: FlowCursor = { kind: 'field', fieldId: field.id };
  const blocks: Block[] = [
    paragraph(
      ctx.t('flow.progress', { n: index + 1, total: flow.fields.length }),
      ' ',
      bold(fieldLabel(flow, field, ctx)),
      field.optional ? ` ${ctx.t('flow.optional')}` : '',
    ),
    paragraph(ctx.t(fieldKey(flow.id, field.id, 'prompt'))),
  ];
  const current = state.values[field.id];
  if (current !== undefined && current !== null && !(Array.isArray(current) && current.length === 0)) {
    blocks.push(paragraph(ctx.t('flow.current_value'), displayValue(field, current, ctx)));
  }
  const buttons: Button[] = (field.options?.(ctx) ?? []).map((option) => ({
    label: option.label,
    payload: pickPayload(field.id, option.value, state.draftId),
    role: 'option' as const,
  }));
  if (field.kind === 'files' && Array.isArray(current) && current.length > 0) {
    buttons.push(navButton(ctx, 'done', cursor, state.draftId), navButton(ctx, 'clear', cursor, state.draftId));
  }
  if (index > 0 || state.fromSummary) buttons.push(navButton(ctx, 'back', cursor, state.draftId));
  if (field.optional) buttons.push(navButton(ctx, 'skip', cursor, state.draftId));
  buttons.push(navButton(ctx, 'cancel', cursor, state.draftId));
  return choicesReply(blocks, buttons);
}

/** Asks the user to confirm a valid but unusual value (e.g. a date outside the week). */
export function renderConfirm(flow: FlowDefinition, state: FlowState, field: FieldSpec, warning: string, ctx: FieldContext): Reply {
  const cursor: FlowCursor = { kind: 'confirm', fieldId: field.id, value: null, warning };
  return choicesReply(
    [paragraph('⚠ ', warning), paragraph(ctx.t('flow.confirm_warning', { label: fieldLabel(flow, field, ctx) }))],
    [
      { label: ctx.t('flow.nav.yes'), payload: navPayload({ kind: 'yes' }, cursor, state.draftId), role: 'option' },
      { label: ctx.t('flow.nav.no'), payload: navPayload({ kind: 'no' }, cursor, state.draftId), role: 'option' },
    ],
  );
}

/** The numbered summary of every field, with submit / edit / cancel. */
export function renderSummary(flow: FlowDefinition, state: FlowState, ctx: FieldContext): Reply {
  const cursor: FlowCursor = { kind: 'summary' };
  const shown = flow.fields.filter((field) => field.when === undefined || field.when(state.values));
  const items: Span[][] = shown.map((field) => [
    `${flow.fields.indexOf(field) + 1}. `,
    bold(fieldLabel(flow, field, ctx)),
    ctx.t('punctuation.label'),
    displayValue(field, state.values[field.id], ctx),
  ]);
  const titleKey = state.target.kind === 'edit' ? 'flow.summary_title_edit' : 'flow.summary_title';
  return choicesReply(
    [
      paragraph(bold(ctx.t(titleKey, { form: ctx.t(flowTitleKey(flow.id)) }))),
      list(items),
      paragraph(ctx.t('flow.summary_help')),
    ],
    [
      { label: ctx.t('flow.nav.submit'), payload: navPayload({ kind: 'submit' }, cursor, state.draftId), role: 'nav' },
      { label: ctx.t('flow.nav.edit'), payload: navPayload({ kind: 'edit-menu' }, cursor, state.draftId), role: 'nav' },
      navButton(ctx, 'cancel', cursor, state.draftId),
    ],
  );
}

/** The list of fields to pick one to change, from the summary's edit button. */
export function renderEditMenu(flow: FlowDefinition, state: FlowState, ctx: FieldContext): Reply {
  const cursor: FlowCursor = { kind: 'summary' };
  return choicesReply(
    [paragraph(ctx.t('flow.edit_which'))],
    flow.fields.map((field, i) => ({
      label: `${i + 1}. ${fieldLabel(flow, field, ctx)}`,
      payload: navPayload({ kind: 'edit', index: i + 1 }, cursor, state.draftId),
      role: 'option' as const,
    })),
  );
}
