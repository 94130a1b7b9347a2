/**
 * A whole form at once (a Slack modal): the view is generated from the same flow definition as the
 * chat — same fields, order, labels and options — pre-filled from the user's chat draft; a submitted
 * form is checked by the same parsers, field by field, and files exactly the filing the chat would.
 */
import { lateNotice, submitDraft, withoutDraftOf } from './filing-actions.js';
import type { JsonValue } from '../kernel/json.js';
import { textReply, type FormFieldView, type FormView, type Reply } from '../domain/reply.js';
import type { TurnContext, TurnResult } from './turn.js';
import { checkFile, isFilesField } from '../flow/attachments.js';
import { fieldKey, flowTitleKey, type FieldSpec, type FlowDefinition } from '../flow/define.js';
import { errorText } from '../flow/runner-core.js';

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

function inputOf(field: FieldSpec): FormFieldView['input'] {
  if (isFilesField(field)) return 'files';
  if (field.kind === 'choice') return 'select';
  return field.kind === 'longtext' ? 'multiline' : 'line';
}

function fieldView(ctx: TurnContext, flow: FlowDefinition, field: FieldSpec, draft: Record<string, JsonValue>): FormFieldView {
  const hintKey = fieldKey(flow.id, field.id, 'hint');
  const view: FormFieldView = {
    id: field.id,
    label: ctx.t(fieldKey(flow.id, field.id, 'label')),
    input: inputOf(field),
    optional: field.optional,
  };
  // Only a field's own hint: the chat prompts speak of typing 跳过, which a modal does not need.
  if (ctx.i18n.has(hintKey)) view.hint = ctx.t(hintKey);
  const value = draft[field.id];
  if (value !== undefined && value !== null && !isFilesField(field)) {
    view.initial = field.kind === 'choice' && typeof value === 'string' ? value : field.format(value, ctx.runner);
  }
  if (field.options !== undefined) view.options = field.options(ctx.runner).map(({ value: v, label }) => ({ value: v, label }));
  if (isFilesField(field)) view.maxFiles = field.rules.maxCount;
  return view;
}

/** `/formview <form>`: the whole form, pre-filled from the chat draft of that form (or the remembered district). */
export function openForm(ctx: TurnContext, formId: string | undefined): TurnResult {
  const flow = formId === undefined ? undefined : ctx.flows.get(formId);
  if (flow === undefined) return keep(ctx, textReply(ctx.t('forms.unknown', { form: formId ?? '' })));
  const draft: Record<string, JsonValue> = ctx.session.flow?.flowId === flow.id ? { ...ctx.session.flow.values } : {};
  if (flow.districtField !== undefined && draft[flow.districtField] === undefined && ctx.session.district !== undefined) {
    draft[flow.districtField] = ctx.session.district;
  }
  const form: FormView = {
    flowId: flow.id,
    title: ctx.t(flowTitleKey(flow.id)),
    submitLabel: ctx.t('flow.nav.submit'),
    cancelLabel: ctx.t('flow.nav.cancel'),
    fields: flow.fields.map((field) => fieldView(ctx, flow, field, draft)),
  };
  return keep(ctx, { kind: 'form', form });
}

/** A submitted whole form: every field through its own parser; errors per field, or the filing. */
export async function submitForm(
  ctx: TurnContext,
  submitted: NonNullable<TurnContext['inbound']['form']>,
): Promise<TurnResult> {
  const flow = ctx.flows.get(submitted.flowId);
  if (flow === undefined) return keep(ctx, textReply(ctx.t('forms.unknown', { form: submitted.flowId })));
  const values: Record<string, JsonValue> = {};
  const errors: Record<string, string> = {};
  const warnings: string[] = [];
  for (const field of flow.fields) {
    if (isFilesField(field)) {
      const files = (submitted.files?.[field.id] ?? []).map((file) => checkFile(file, field.rules));
      const bad = files.find((result) => !result.ok);
      const kept = files.flatMap((result) => (result.ok ? [result.value] : []));
      if (bad !== undefined && !bad.ok) errors[field.id] = errorText(ctx.runner, bad.error, bad.params);
      else if (kept.length > field.rules.maxCount) errors[field.id] = ctx.t('errors.file.too_many', { max: field.rules.maxCount });
      else if (kept.length < field.rules.minCount && !(field.optional && kept.length === 0)) errors[field.id] = ctx.t('errors.file.too_few', { min: field.rules.minCount });
      else values[field.id] = field.optional && kept.length === 0 ? null : (kept as JsonValue);
      continue;
    }
    const raw = (submitted.values[field.id] ?? '').trim();
    if (raw === '' && field.optional) {
      values[field.id] = null;
      continue;
    }
    const parsed = field.parse(raw, ctx.runner);
    if (!parsed.ok) {
      errors[field.id] = errorText(ctx.runner, parsed.error, parsed.params);
      continue;
    }
    values[field.id] = parsed.value;
    const warning = field.warn?.(parsed.value, ctx.runner);
    if (warning !== undefined) warnings.push(`⚠ ${ctx.t(fieldKey(flow.id, field.id, 'label'))}${ctx.t('punctuation.label')}${ctx.t(warning.key, warning.params)}`);
  }
  if (Object.keys(errors).length > 0) return keep(ctx, { kind: 'form-errors', flowId: flow.id, errors });
  const digest = digestOf(flow.id, values);
  const again = await filedAlready(ctx, submitted.viewId, digest);
  if (again !== undefined) return keep(ctx, textReply(ctx.t('filings.already_submitted', { receipt: again })));
  const late = lateNotice(ctx, flow.id);
  const result = await submitDraft({ ...ctx, session: withoutDraftOf(ctx.session, flow.id) }, flow, { kind: 'new' }, values);
  const filed = result.filings?.[0]?.filing;
  const data = filed === undefined || result.data === null ? result.data : { ...result.data, lastForm: { ...(submitted.viewId === undefined ? {} : { viewId: submitted.viewId }), digest, receipt: filed.receipt, at: ctx.now.toISOString() } };
  const notes = late === undefined ? warnings : [...warnings, late];
  return { ...result, data, replies: notes.length === 0 ? result.replies : [...result.replies, textReply(...notes)] };
}

/** How long the same answers submitted again count as the same form (a double click, a retry). */
const SAME_FORM_MS = 10 * 60 * 1000;

/** A short digest (FNV-1a, 32 bits) of a form's answers: the session keeps it, not the answers. */
function digestOf(flowId: string, values: Record<string, JsonValue>): string {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify([flowId, values])) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16);
}

/** The receipt of the form this one repeats (the same view, or the same answers just now), while it is still filed. */
async function filedAlready(ctx: TurnContext, viewId: string | undefined, digest: string): Promise<string | undefined> {
  const last = ctx.session.lastForm;
  if (last === undefined) return undefined;
  const sameView = viewId !== undefined && last.viewId === viewId;
  const sameAnswers = last.digest === digest && ctx.now.getTime() - new Date(last.at).getTime() < SAME_FORM_MS;
  if (!sameView && !sameAnswers) return undefined;
  const filing = await ctx.filings.getFiling(last.receipt);
  return filing?.status === 'submitted' && filing.ownerKey === ctx.ownerKey ? filing.receipt : undefined;
}
