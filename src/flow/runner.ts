/**
 * The pure flow runner: step(flow, state, input) → outcome. It knows nothing of platforms or
 * storage; it gives every flow navigation, paste-all-at-once, warnings, a summary with 修改 N, and
 * a clear reason on every rejection. The engine persists the state it returns.
 */
import type { JsonValue } from '../kernel/json.js';
import { paragraph, textReply, type Block, type Reply } from '../domain/reply.js';
import { fieldKey, type FieldSpec, type FlowDefinition } from './define.js';
import { isFilesField } from './attachments.js';
import { clearFiles, finishFiles, refuseFilesHere, stepFiles } from './files-step.js';
import { parseNavWord, parsePayload, stepTag, type NavCommand } from './navigation.js';
import { cleanText } from './parse/index.js';
import { createPasteMatcher, type PasteMatcher, type PasteResult } from './paste.js';
import { fieldLabel, renderEditMenu } from './render.js';
import { stepRepeatCommand, stepRepeatText } from './repeat-step.js';
import {
  advance,
  applies,
  currentReplies,
  cursorOf,
  errorText,
  fieldById,
  firstMissing,
  reject,
  type FlowInput,
  type FlowOutcome,
  type RunnerContext,
} from './runner-core.js';
import type { FlowState } from '../domain/draft.js';

export { currentReplies, type FlowInput, type FlowOutcome, type RunnerContext };

const matchers = new WeakMap<FlowDefinition, PasteMatcher>();

function matcherFor(flow: FlowDefinition, ctx: RunnerContext): PasteMatcher {
  let matcher = matchers.get(flow);
  if (matcher === undefined) {
    const labels = new Map<string, string>();
    for (const field of flow.fields) {
      for (const label of [field.column, ...field.aliases, ...ctx.inAllLocales(fieldKey(flow.id, field.id, 'label'))]) {
        labels.set(label, field.id);
      }
    }
    const longText = new Set(flow.fields.filter((f) => f.kind === 'longtext').map((f) => f.id));
    matcher = createPasteMatcher(labels, (id) => longText.has(id));
    matchers.set(flow, matcher);
  }
  return matcher;
}

/** Starts a draft: fresh, prefilled (remembered district) or loaded from a filing to edit. */
export function startFlow(
  flow: FlowDefinition,
  ctx: RunnerContext,
  init: { target: FlowState['target']; values?: Record<string, JsonValue>; draftId?: string },
): { state: FlowState; replies: Reply[] } {
  const state: FlowState = {
    ...(init.draftId === undefined ? {} : { draftId: init.draftId }),
    flowId: flow.id,
    flowVersion: flow.version,
    target: init.target,
    values: { ...init.values },
    cursor: { kind: 'summary' },
    fromSummary: false,
  };
  const intro = init.target.kind === 'new' ? [paragraph(ctx.t(`flows.${flow.id}.intro`))] : [];
  const outcome = advance(flow, state, ctx, intro);
  return outcome.kind === 'continue' ? { state: outcome.state, replies: outcome.replies } : { state, replies: [] };
}

/** Stores an accepted answer and moves on; a warned value is confirmed first. */
function accept(flow: FlowDefinition, state: FlowState, field: FieldSpec, value: JsonValue, ctx: RunnerContext, checkWarning: boolean): FlowOutcome {
  const warning = checkWarning ? field.warn?.(value, ctx) : undefined;
  if (warning !== undefined) {
    const moved: FlowState = { ...state, cursor: { kind: 'confirm', fieldId: field.id, value, warning: ctx.t(warning.key, warning.params) } };
    return { kind: 'continue', state: moved, replies: currentReplies(flow, moved, ctx) };
  }
  return advance(flow, { ...state, values: { ...state.values, [field.id]: value }, cursor: { kind: 'field', fieldId: field.id } }, ctx);
}

function answer(flow: FlowDefinition, state: FlowState, field: FieldSpec, text: string, ctx: RunnerContext): FlowOutcome {
  const parsed = field.parse(text, ctx);
  if (!parsed.ok) return reject(flow, { ...state, cursor: { kind: 'field', fieldId: field.id } }, ctx, errorText(ctx, parsed.error, parsed.params));
  return accept(flow, state, field, parsed.value, ctx, true);
}

/** Applies a pasted block of `label：value` pairs; invalid ones are reported and asked again. */
function applyPaste(flow: FlowDefinition, state: FlowState, pairs: readonly { fieldId: string; value: string }[], ctx: RunnerContext): FlowOutcome {
  const values = { ...state.values };
  const problems: string[] = [];
  const warnings: string[] = [];
  let firstBad: FieldSpec | undefined;
  for (const pair of pairs) {
    const field = fieldById(flow, pair.fieldId);
    if (field === undefined) continue;
    const parsed = field.parse(pair.value, ctx);
    if (parsed.ok) {
      values[field.id] = parsed.value;
      const warning = field.warn?.(parsed.value, ctx);
      if (warning !== undefined) warnings.push(`⚠ ${fieldLabel(flow, field, ctx)}${ctx.t('punctuation.label')}${ctx.t(warning.key, warning.params)}`);
    } else if (field.optional && pair.value.trim() === '') {
      values[field.id] = null;
    } else {
      problems.push(`✗ ${fieldLabel(flow, field, ctx)}${ctx.t('punctuation.label')}${errorText(ctx, parsed.error, parsed.params)}`);
      firstBad ??= field;
    }
  }
  const filled = pairs.length - problems.length;
  const before: Block[] = [paragraph(ctx.t('flow.paste_filled', { count: filled })), ...[...problems, ...warnings].map((line) => paragraph(line))];
  const next: FlowState = { ...state, values };
  if (firstBad !== undefined) {
    const asked: FlowState = { ...next, cursor: { kind: 'field', fieldId: firstBad.id }, fromSummary: false };
    return { kind: 'continue', state: asked, replies: [{ kind: 'text', blocks: before }, ...currentReplies(flow, asked, ctx)] };
  }
  return advance(flow, { ...next, fromSummary: false }, ctx, before);
}

function navigate(flow: FlowDefinition, state: FlowState, command: NavCommand, ctx: RunnerContext): FlowOutcome | undefined {
  const cursor = state.cursor;
  const repeated = cursor.kind === 'field' ? fieldById(flow, cursor.fieldId) : undefined;
  if (repeated?.repeat !== undefined) {
    const handled = stepRepeatCommand(flow, state, { ...repeated, repeat: repeated.repeat }, command, ctx);
    if (handled !== undefined) return handled;
  }
  // 删除第N行 / 修改第N行 at the summary act on the form's one repeating group, then show its rows.
  const groups = flow.fields.filter((field) => field.repeat !== undefined);
  const group = groups.length === 1 ? groups[0] : undefined;
  if (cursor.kind === 'summary' && group?.repeat !== undefined && (command.kind === 'remove-row' || command.kind === 'edit-row')) {
    const atGroup: FlowState = { ...state, cursor: { kind: 'field', fieldId: group.id }, fromSummary: true };
    return stepRepeatCommand(flow, atGroup, { ...group, repeat: group.repeat }, command, ctx);
  }
  switch (command.kind) {
    case 'cancel':
      return { kind: 'cancelled', replies: [textReply(ctx.t('flow.cancelled'))] };
    case 'help': {
      const field = cursor.kind === 'summary' ? undefined : fieldById(flow, cursor.fieldId);
      const hintKey = field === undefined ? undefined : fieldKey(flow.id, field.id, 'hint');
      const hint = hintKey !== undefined && ctx.t(hintKey) !== hintKey ? [ctx.t(hintKey)] : [];
      return { kind: 'continue', state, replies: [textReply(...hint, ctx.t('flow.help')), ...currentReplies(flow, state, ctx)] };
    }
    case 'back': {
      if (cursor.kind === 'summary') {
        const last = flow.fields[flow.fields.length - 1];
        return last === undefined ? undefined : advanceTo(flow, state, last, ctx, false);
      }
      if (cursor.kind === 'confirm' || state.fromSummary) {
        if (state.fromSummary) return advance(flow, state, ctx);
        return advanceTo(flow, state, fieldById(flow, cursor.fieldId), ctx, false);
      }
      const index = flow.fields.findIndex((field) => field.id === cursor.fieldId);
      const previous = index > 0 ? flow.fields[index - 1] : undefined;
      if (previous === undefined) return reject(flow, state, ctx, ctx.t('flow.at_first'));
      return advanceTo(flow, state, previous, ctx, false);
    }
    case 'skip': {
      if (cursor.kind !== 'field') return undefined;
      const field = fieldById(flow, cursor.fieldId);
      if (field === undefined) return undefined;
      if (!field.optional) return reject(flow, state, ctx, ctx.t('flow.required'));
      return accept(flow, state, field, null, ctx, false);
    }
    case 'yes':
    case 'no': {
      if (cursor.kind === 'summary' && command.kind === 'yes') return navigate(flow, state, { kind: 'submit' }, ctx);
      if (cursor.kind !== 'confirm') return undefined;
      const field = fieldById(flow, cursor.fieldId);
      if (field === undefined) return undefined;
      if (command.kind === 'yes') return accept(flow, { ...state, cursor: { kind: 'field', fieldId: field.id } }, field, cursor.value, ctx, false);
      return advanceTo(flow, state, field, ctx, state.fromSummary);
    }
    case 'submit': {
      if (cursor.kind !== 'summary') return undefined;
      const missing = firstMissing(flow, state);
      if (missing !== undefined) return advance(flow, state, ctx, [paragraph(ctx.t('flow.missing_before_submit'))]);
      // Answers to conditional fields that no longer apply are not filed.
      const values = Object.fromEntries(Object.entries(state.values).filter(([id]) => {
        const field = fieldById(flow, id);
        return field !== undefined && applies(field, state.values);
      }));
      return { kind: 'submit', state, values };
    }
    case 'done':
    case 'clear': {
      const field = cursor.kind === 'field' ? fieldById(flow, cursor.fieldId) : undefined;
      if (field === undefined || !isFilesField(field)) return undefined;
      return command.kind === 'done' ? finishFiles(flow, state, field, ctx) : clearFiles(flow, state, field, ctx);
    }
    case 'edit-menu':
      return cursor.kind === 'summary' ? { kind: 'continue', state, replies: [renderEditMenu(flow, state, ctx)] } : undefined;
    case 'edit': {
      if (cursor.kind === 'confirm') return undefined;
      const field = flow.fields[command.index - 1];
      if (field === undefined) return reject(flow, state, ctx, ctx.t('flow.no_such_item', { max: flow.fields.length }));
      // From the summary the answer returns there; from a field it goes on to the first missing one.
      return advanceTo(flow, state, field, ctx, cursor.kind === 'summary');
    }
  }
}

function advanceTo(flow: FlowDefinition, state: FlowState, field: FieldSpec | undefined, ctx: RunnerContext, fromSummary: boolean): FlowOutcome {
  if (field === undefined) return advance(flow, state, ctx);
  const moved: FlowState = { ...state, cursor: cursorOf(field, state), fromSummary };
  return { kind: 'continue', state: moved, replies: currentReplies(flow, moved, ctx) };
}

/** Commands typed at a field that only make sense elsewhere; they are never saved as an answer. */
const NOT_AN_ANSWER = new Set<NavCommand['kind']>(['submit', 'edit-menu', 'done', 'clear']);

/**
 * A message is a paste when it starts with a field label. While a long text (项目简介) is asked, a
 * description may well contain 时间：… or 地点：… lines, so there it takes its own label or three
 * fields to count as a paste.
 */
function isPaste(pasted: PasteResult, current: FieldSpec | undefined): boolean {
  if (pasted.pairs.length === 0 || !pasted.leading) return false;
  if (current?.kind !== 'longtext') return true;
  const fields = new Set(pasted.pairs.map((pair) => pair.fieldId));
  return fields.size >= 3 || pasted.pairs[0]?.fieldId === current.id;
}

/** Runs one input against a draft. Never throws on user input; every rejection carries a reason. */
export function stepFlow(flow: FlowDefinition, state: FlowState, input: FlowInput, ctx: RunnerContext): FlowOutcome {
  if (input.kind === 'action') {
    const payload = parsePayload(input.payload);
    const stale = (): FlowOutcome => reject(flow, state, ctx, ctx.t('flow.stale_button'));
    if (payload === undefined) return stale();
    if (payload.kind === 'pick') {
      const field = fieldById(flow, payload.fieldId);
      const cursor = state.cursor;
      if (field === undefined || cursor.kind !== 'field' || cursor.fieldId !== field.id || payload.draftId !== state.draftId) return stale();
      return answer(flow, state, field, payload.value, ctx);
    }
    if (payload.step !== stepTag(state.cursor, state.draftId)) return stale();
    return navigate(flow, state, payload.command, ctx) ?? stale();
  }
  if (input.kind === 'files') {
    const cursor = state.cursor;
    const field = cursor.kind === 'field' ? fieldById(flow, cursor.fieldId) : undefined;
    if (field === undefined || !isFilesField(field)) return refuseFilesHere(flow, state, input.files, ctx);
    return stepFiles(flow, state, field, input.files, ctx);
  }
  const text = cleanText(input.text);
  if (text === '') return reject(flow, state, ctx, ctx.t('flow.empty_input'));
  const command = parseNavWord(text);
  const handled = command === undefined ? undefined : navigate(flow, state, command, ctx);
  if (handled !== undefined) return handled;
  const cursor = state.cursor;
  const current = cursor.kind === 'summary' ? undefined : fieldById(flow, cursor.fieldId);
  if (command !== undefined && current !== undefined && NOT_AN_ANSWER.has(command.kind)) {
    return reject(flow, state, ctx, ctx.t('flow.not_here'));
  }
  const pasted = matcherFor(flow, ctx).scan(text);
  if (current?.repeat !== undefined && (text.includes('\t') || !isPaste(pasted, current))) {
    return stepRepeatText(flow, state, { ...current, repeat: current.repeat }, text, ctx);
  }
  if (isPaste(pasted, current)) return applyPaste(flow, state, pasted.pairs, ctx);
  if (current === undefined) return reject(flow, state, ctx, ctx.t('flow.summary_expects'));
  return answer(flow, state, current, text, ctx);
}

