/**
 * The runner's shared pieces: its input and outcome types, and the moves every step uses — find a
 * field, find the first one still missing, move on, ask again with a reason.
 */
import type { InboundAttachment } from '../domain/inbound.js';
import type { JsonValue } from '../kernel/json.js';
import { textReply, type Block, type Reply } from '../domain/reply.js';
import type { FieldContext, FieldSpec, FlowDefinition } from './define.js';
import { renderConfirm, renderPrompt, renderSummary } from './render.js';
import { entryOf } from './repeat.js';
import { renderRowPrompt, renderRowsMenu } from './repeat-render.js';
import type { FlowState } from '../domain/draft.js';

/** What the runner needs besides a field context: every locale's text for a key (paste labels). */
export interface RunnerContext extends FieldContext {
  inAllLocales(key: string): string[];
}

/** One input to a draft: typed text, a pressed button, or files (with their caption, if any). */
export type FlowInput =
  | { kind: 'text'; text: string }
  | { kind: 'action'; payload: string }
  | { kind: 'files'; files: readonly InboundAttachment[] };

/** What a step leads to. `submit` asks the engine to write the filing; only then is it confirmed. */
export type FlowOutcome =
  | { kind: 'continue'; state: FlowState; replies: Reply[] }
  | { kind: 'submit'; state: FlowState; values: Record<string, JsonValue> }
  | { kind: 'cancelled'; replies: Reply[] };

export function fieldById(flow: FlowDefinition, id: string): FieldSpec | undefined {
  return flow.fields.find((field) => field.id === id);
}

/** True when a conditional field applies to these answers (every other field always does). */
export function applies(field: FieldSpec, values: FlowState['values']): boolean {
  return field.when === undefined || field.when(values);
}

/** The cursor that asks a field: a repeating group starts at its first gap, or its row menu. */
export function cursorOf(field: FieldSpec, state: FlowState): FlowState['cursor'] {
  return { kind: 'field', fieldId: field.id, ...(field.repeat === undefined ? {} : entryOf(field.repeat, state.values[field.id])) };
}

/** The first field without a complete answer (skipped optional fields count as answered). */
export function firstMissing(flow: FlowDefinition, state: FlowState): FieldSpec | undefined {
  return flow.fields.find((field) => {
    if (!applies(field, state.values)) return false;
    const value = state.values[field.id];
    if (value === undefined) return true;
    return value !== null && field.isComplete !== undefined && !field.isComplete(value);
  });
}

/** Moves to the next question (or the summary) and renders it. */
export function advance(flow: FlowDefinition, state: FlowState, ctx: RunnerContext, before: Block[] = []): FlowOutcome {
  const next = state.fromSummary ? undefined : firstMissing(flow, state);
  const moved: FlowState =
    next === undefined
      ? { ...state, cursor: { kind: 'summary' }, fromSummary: false }
      : { ...state, cursor: cursorOf(next, state) };
  const replies = currentReplies(flow, moved, ctx);
  if (before.length > 0) replies.unshift({ kind: 'text', blocks: before });
  return { kind: 'continue', state: moved, replies };
}

/** The question the draft is waiting on, rendered again (used on resume and after an error). */
export function currentReplies(flow: FlowDefinition, state: FlowState, ctx: RunnerContext): Reply[] {
  const cursor = state.cursor;
  if (cursor.kind === 'summary') return [renderSummary(flow, state, ctx)];
  const field = fieldById(flow, cursor.fieldId);
  if (field === undefined) return [renderSummary(flow, { ...state, cursor: { kind: 'summary' } }, ctx)];
  if (cursor.kind === 'confirm') return [renderConfirm(flow, state, field, cursor.warning, ctx)];
  if (field.repeat !== undefined) {
    return cursor.row === undefined || cursor.sub === undefined
      ? [renderRowsMenu(flow, state, field, field.repeat, ctx)]
      : [renderRowPrompt(flow, state, field, field.repeat, cursor.row, cursor.sub, ctx)];
  }
  return [renderPrompt(flow, state, field, ctx)];
}

/** Asks the current question again after a reason. */
export function reject(flow: FlowDefinition, state: FlowState, ctx: RunnerContext, reason: string): FlowOutcome {
  return { kind: 'continue', state, replies: [textReply(`✗ ${reason}`), ...currentReplies(flow, state, ctx)] };
}

/** A parser's reason, localized. */
export function errorText(ctx: RunnerContext, error: string, params: Record<string, string | number> | undefined): string {
  return ctx.t(`errors.${error}`, params);
}

