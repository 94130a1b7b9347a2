/**
 * The runner's step for file fields: each file sent is checked (type, size, video length) and kept
 * or refused with its reason; the field is answered when the user says 完成/done with enough files,
 * or at once when the maximum is reached. Files beyond the maximum, in one message or in later
 * ones, are refused with the limit named. Each file is judged on its own: one that cannot be read is
 * refused with that reason, and the files the field already holds stay.
 */
import type { InboundAttachment } from '../domain/inbound.js';
import type { JsonValue } from '../kernel/json.js';
import { paragraph, type Block } from '../domain/reply.js';
import { checkFile, filesOf, isFilesField, type FileRules } from './attachments.js';
import { fieldLabel } from './render.js';
import type { FieldSpec, FlowDefinition } from './define.js';
import { advance, currentReplies, errorText, reject, type FlowOutcome, type RunnerContext } from './runner-core.js';
import type { FlowState } from '../domain/draft.js';

type FilesField = FieldSpec & { rules: FileRules };

/** Takes the files of one message into a file field. */
export function stepFiles(flow: FlowDefinition, state: FlowState, field: FilesField, files: readonly InboundAttachment[], ctx: RunnerContext): FlowOutcome {
  const { rules } = field;
  const kept = filesOf(state.values[field.id]);
  const before = kept.length;
  const notes: string[] = [];
  for (const [i, file] of files.entries()) {
    if (kept.length >= rules.maxCount) {
      notes.push(`✗ ${ctx.t('errors.file.too_many', { max: rules.maxCount })}`);
      break;
    }
    const checked = checkFile(file, rules);
    const name = typeof file.name === 'string' ? file.name : `#${i + 1}`;
    if (!checked.ok) notes.push(`✗ ${name}${ctx.t('punctuation.label')}${errorText(ctx, checked.error, checked.params)}`);
    else {
      kept.push(checked.value);
      if (checked.value.durationUnchecked === true) notes.push(ctx.t('flow.video_unchecked', { maxMinutes: (rules.maxDurationSeconds ?? 0) / 60 }));
    }
  }
  const next: FlowState = { ...state, values: { ...state.values, [field.id]: kept as JsonValue } };
  const blocks: Block[] = [
    paragraph(
      ctx.t(kept.length >= rules.maxCount ? 'flow.files_received_full' : 'flow.files_received', {
        count: kept.length - before,
        total: kept.length,
        max: rules.maxCount,
      }),
    ),
    ...notes.map((note) => paragraph(note)),
  ];
  if (kept.length >= rules.maxCount) return advance(flow, next, ctx, blocks);
  return { kind: 'continue', state: next, replies: [{ kind: 'text', blocks }, ...currentReplies(flow, next, ctx)] };
}

/**
 * Files sent where the draft asks for something else. When a file field of the form already holds
 * its maximum (the rest of a Telegram album after the 9th photo), the answer says so and how to
 * change them; otherwise that this step needs text. Nothing is kept from these files.
 */
export function refuseFilesHere(flow: FlowDefinition, state: FlowState, files: readonly InboundAttachment[], ctx: RunnerContext): FlowOutcome {
  const index = flow.fields.findIndex((f) => isFilesField(f) && filesOf(state.values[f.id]).length >= f.rules.maxCount);
  const full = flow.fields[index];
  if (full === undefined || !isFilesField(full)) return reject(flow, state, ctx, ctx.t('flow.needs_text'));
  const params = { field: fieldLabel(flow, full, ctx), max: full.rules.maxCount, count: files.length, n: index + 1 };
  return reject(flow, state, ctx, ctx.t('limits.files_full', params));
}

/** 完成/done at a file field: moves on when it has enough files. */
export function finishFiles(flow: FlowDefinition, state: FlowState, field: FilesField, ctx: RunnerContext): FlowOutcome {
  const count = filesOf(state.values[field.id]).length;
  if (count < field.rules.minCount) return reject(flow, state, ctx, ctx.t('errors.file.too_few', { min: field.rules.minCount }));
  return advance(flow, state, ctx);
}

/** 清空/clear at a file field: drops the files taken so far. */
export function clearFiles(flow: FlowDefinition, state: FlowState, field: FilesField, ctx: RunnerContext): FlowOutcome {
  const next: FlowState = { ...state, values: { ...state.values, [field.id]: [] } };
  return { kind: 'continue', state: next, replies: currentReplies(flow, next, ctx) };
}
