/**
 * A filing as its owner sees it again: every answer under its label (files by name), the receipt and
 * the state. Also what an edit changed, field by field, for the audit trail.
 */
import type { Filing } from '../domain/filing.js';
import type { JsonValue } from '../kernel/json.js';
import { normalizeReceipt } from '../domain/receipt.js';
import { noteReceiptMiss, refuseReceiptLookup } from './receipt-guard.js';
import { toShanghaiDate } from '../kernel/time.js';
import { bold, list, paragraph, textReply, type Block, type Span } from '../domain/reply.js';
import type { TurnContext, TurnResult } from './turn.js';
import { fieldKey, flowTitleKey, type FlowDefinition } from '../flow/define.js';
import { displayValue } from '../flow/render.js';
import type { FieldChange } from '../domain/records.js';

/** Every answer of a filing, labelled, as a list block. */
export function filingSummary(ctx: TurnContext, flow: FlowDefinition, values: Readonly<Record<string, JsonValue>>): Block {
  const items: Span[][] = flow.fields
    .filter((field) => values[field.id] !== undefined)
    .map((field) => [bold(ctx.t(fieldKey(flow.id, field.id, 'label'))), ctx.t('punctuation.label'), displayValue(field, values[field.id], ctx.runner)]);
  return list(items);
}

/**
 * What a filing is called in lists: its title field as a person reads it (a district by its name,
 * never its id), or the receipt when the field is empty.
 */
export function filingTitle(ctx: TurnContext, filing: Filing): string {
  const flow = ctx.flows.get(filing.formId);
  const field = flow?.fields.find((f) => f.id === flow.titleField);
  const value = filing.values[flow?.titleField ?? ''];
  return field === undefined || value === undefined || value === null ? filing.receipt : displayValue(field, value, ctx.runner);
}

/** The fields whose stored value differs between two versions of a filing. */
export function fieldChanges(before: Readonly<Record<string, JsonValue>>, after: Readonly<Record<string, JsonValue>>): FieldChange[] {
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...ids]
    .filter((id) => JSON.stringify(before[id] ?? null) !== JSON.stringify(after[id] ?? null))
    .map((id) => ({ field: id, from: before[id] ?? null, to: after[id] ?? null }));
}

/** `/receipt <number>`: the filing again, to its owner only. */
export async function showReceipt(ctx: TurnContext, receiptText: string | undefined): Promise<TurnResult> {
  const receipt = normalizeReceipt(receiptText ?? '');
  const limited = receipt === '' ? undefined : refuseReceiptLookup(ctx);
  if (limited !== undefined) return limited;
  const filing: Filing | undefined = receipt === '' ? undefined : await ctx.filings.getFiling(receipt);
  const flow = filing === undefined ? undefined : ctx.flows.get(filing.formId);
  // Missing, another user's, another event's: one answer, so a guess learns nothing.
  if (filing === undefined || flow === undefined || filing.ownerKey !== ctx.ownerKey || filing.eventId !== ctx.event.id) {
    if (receipt !== '') noteReceiptMiss(ctx);
    return { data: ctx.session, replies: [textReply(ctx.t('filings.not_found'))] };
  }
  const state = ctx.t(filing.status === 'withdrawn' ? 'filings.state_withdrawn' : 'filings.state_submitted', {
    at: toShanghaiDate(new Date(filing.updatedAt)),
  });
  return {
    data: ctx.session,
    replies: [
      textReply(
        paragraph(bold(ctx.t(flowTitleKey(flow.id)))),
        paragraph(ctx.t('filings.receipt', { receipt: filing.receipt }), ' · ', state),
        filingSummary(ctx, flow, filing.values),
      ),
    ],
  };
}
