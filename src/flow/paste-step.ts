/**
 * The runner's step for a pasted form: the flow's labels (its columns, their aliases and the labels
 * in every language) and combined labels are compiled once per flow; the pairs found fill their
 * fields, bad values are reported and asked again, and the lines that filled nothing are listed.
 */
import { paragraph, type Block } from '../domain/reply.js';
import { fieldKey, type FieldSpec, type FlowDefinition } from './define.js';
import { createPasteMatcher, isEmptyWord, shortenLine, type PasteMatcher, type PasteResult, type SplitTarget } from './paste.js';
import { fieldLabel } from './render.js';
import { advance, currentReplies, errorText, fieldById, type FlowOutcome, type RunnerContext } from './runner-core.js';
import type { FlowState } from '../domain/draft.js';

const matchers = new WeakMap<FlowDefinition, PasteMatcher>();

/** The paste matcher of a flow, built on first use. */
export function matcherFor(flow: FlowDefinition, ctx: RunnerContext): PasteMatcher {
  let matcher = matchers.get(flow);
  if (matcher === undefined) {
    const labels = new Map<string, string>();
    for (const field of flow.fields) {
      for (const label of [field.column, ...field.aliases, ...ctx.inAllLocales(fieldKey(flow.id, field.id, 'label'))]) {
        labels.set(label, field.id);
      }
    }
    const splits = new Map<string, SplitTarget>();
    for (const split of flow.pasteSplits ?? []) {
      for (const label of split.labels) splits.set(label, { name: split.name, phone: split.phone });
    }
    const longText = new Set(flow.fields.filter((f) => f.kind === 'longtext').map((f) => f.id));
    matcher = createPasteMatcher(labels, (id) => longText.has(id), splits);
    matchers.set(flow, matcher);
  }
  return matcher;
}

/**
 * A message is a paste when it starts with a field label. While a long text (项目简介) is asked, a
 * description may well contain 时间：… or 地点：… lines, so there it takes its own label or three
 * fields to count as a paste.
 */
export function isPaste(pasted: PasteResult, current: FieldSpec | undefined): boolean {
  if (pasted.pairs.length === 0 || !pasted.leading) return false;
  if (current?.kind !== 'longtext') return true;
  const fields = new Set(pasted.pairs.map((pair) => pair.fieldId));
  return fields.size >= 3 || pasted.pairs[0]?.fieldId === current.id;
}

/** The lines a paste did not use, quoted and shortened; nothing when every line was used. */
export function unusedBlocks(unused: readonly string[], ctx: RunnerContext): Block[] {
  if (unused.length === 0) return [];
  return [
    paragraph(ctx.t('flow.paste_unused', { count: unused.length })),
    ...unused.map((line) => paragraph(ctx.t('flow.paste_unused_line', { text: shortenLine(line) }))),
  ];
}

/**
 * Applies a pasted block of `label：value` pairs; invalid ones are reported and asked again. 无, N/A,
 * - and the like leave an optional field empty, as 无 typed at its step does; a required one is asked.
 */
export function applyPaste(flow: FlowDefinition, state: FlowState, pasted: PasteResult, ctx: RunnerContext): FlowOutcome {
  const values = { ...state.values };
  const problems: string[] = [];
  const warnings: string[] = [];
  let filled = 0;
  let firstBad: FieldSpec | undefined;
  for (const pair of pasted.pairs) {
    const field = fieldById(flow, pair.fieldId);
    if (field === undefined) continue;
    const label = fieldLabel(flow, field, ctx);
    const emptyWord = isEmptyWord(pair.value);
    if ((emptyWord || pair.value.trim() === '') && field.optional) {
      values[field.id] = null;
      filled += 1;
      continue;
    }
    const parsed = emptyWord ? undefined : field.parse(pair.value, ctx);
    if (parsed?.ok === true) {
      values[field.id] = parsed.value;
      filled += 1;
      const warning = field.warn?.(parsed.value, ctx);
      if (warning !== undefined) warnings.push(`⚠ ${label}${ctx.t('punctuation.label')}${ctx.t(warning.key, warning.params)}`);
    } else {
      const reason = parsed === undefined ? ctx.t('flow.required') : errorText(ctx, parsed.error, parsed.params);
      problems.push(`✗ ${label}${ctx.t('punctuation.label')}${reason}`);
      firstBad ??= field;
    }
  }
  const before: Block[] = [
    paragraph(ctx.t('flow.paste_filled', { count: filled })),
    ...[...problems, ...warnings].map((line) => paragraph(line)),
    ...unusedBlocks(pasted.unused, ctx),
  ];
  const next: FlowState = { ...state, values };
  if (firstBad !== undefined) {
    const asked: FlowState = { ...next, cursor: { kind: 'field', fieldId: firstBad.id }, fromSummary: false };
    return { kind: 'continue', state: asked, replies: [{ kind: 'text', blocks: before }, ...currentReplies(flow, asked, ctx)] };
  }
  return advance(flow, { ...next, fromSummary: false }, ctx, before);
}
