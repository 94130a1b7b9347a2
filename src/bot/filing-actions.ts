/**
 * What a user does with forms and filings: start a form, submit it (the filing is written in the
 * same commit that ends the draft), list "my filings", edit or withdraw one until its deadline.
 */
import { deadlineOf } from '../domain/event.js';
import type { Filing } from '../domain/filing.js';
import type { JsonValue } from '../kernel/json.js';
import { createDraftId, createReceipt, normalizeReceipt } from '../domain/receipt.js';
import { noteReceiptMiss, refuseReceiptLookup } from './receipt-guard.js';
import { fieldChanges, filingSummary, filingTitle } from './receipt-view.js';
import { askToConfirm } from './typed-confirm.js';
import { bold, choicesReply, list, paragraph, textReply, type Button, type Span } from '../domain/reply.js';
import type { SessionData } from '../domain/session.js';
import { endOfShanghaiDay, formatShanghaiDate, toShanghaiDate } from '../kernel/time.js';
import type { TurnContext, TurnResult } from './turn.js';
import { flowTitleKey, type FlowDefinition } from '../flow/define.js';
import { currentReplies, startFlow } from '../flow/runner.js';
import { commandUsage } from './help.js';
import type { FlowState } from '../domain/draft.js';

/** True when the form's deadline has passed (end of its day, Asia/Shanghai). */
export function isPastDeadline(ctx: TurnContext, formId: string): boolean {
  const deadline = deadlineOf(ctx.event, formId);
  return deadline !== undefined && ctx.now.getTime() > endOfShanghaiDay(deadline.date).getTime();
}

function withoutFlow(session: SessionData): SessionData {
  const { flow: _dropped, ...rest } = session;
  return rest;
}

/** The session without its draft of `flowId` (a draft of another form stays). */
export function withoutDraftOf(session: SessionData, flowId: string): SessionData {
  return session.flow?.flowId === flowId ? withoutFlow(session) : session;
}

/** The buttons that list the forms, one per flow. */
export function formButtons(ctx: TurnContext): Button[] {
  return [...ctx.flows.values()].map((flow) => ({
    label: ctx.t(flowTitleKey(flow.id)),
    payload: `/file ${flow.id}`,
    role: 'option' as const,
  }));
}

/** The filing a district already has of a form it files once (the summary report), if any. */
async function filedOnce(ctx: TurnContext, formId: string, district: string | undefined, except?: string): Promise<Filing | undefined> {
  if (district === undefined || ctx.event.forms.find((f) => f.id === formId)?.onePerDistrict !== true) return undefined;
  const filings = await ctx.filings.listFilings({ eventId: ctx.event.id, formId, district });
  return filings.find((filing) => filing.receipt !== except);
}

/** The offer to edit a district's filing of a form it files once, instead of starting a second one. */
function offerEdit(ctx: TurnContext, existing: Filing): TurnResult {
  const params = { district: ctx.event.districts.find((d) => d.id === existing.district)?.name[ctx.locale] ?? '', form: ctx.t(flowTitleKey(existing.formId)), receipt: existing.receipt };
  if (existing.ownerKey !== ctx.ownerKey) return { data: ctx.session, replies: [textReply(ctx.t('forms.one_per_district_other', params))] };
  const buttons: Button[] = [
    { label: ctx.t('forms.edit_existing'), payload: `/edit ${existing.receipt}`, role: 'option' },
    { label: ctx.t('forms.cancel'), payload: '/start', role: 'option' },
  ];
  return { data: ctx.session, replies: [choicesReply([paragraph(ctx.t('forms.one_per_district', params))], buttons)] };
}

/** `/file [form]`: starts a form, resumes its draft, or lists the forms. */
export async function startForm(ctx: TurnContext, formId: string | undefined): Promise<TurnResult> {
  const flow = formId === undefined ? undefined : ctx.flows.get(formId);
  if (flow === undefined) {
    const intro = formId === undefined ? ctx.t('forms.pick') : ctx.t('forms.unknown', { form: formId });
    return { data: ctx.session, replies: [choicesReply([paragraph(intro)], formButtons(ctx))] };
  }
  const draft = ctx.session.flow;
  if (draft !== undefined) {
    const draftFlow = ctx.flows.get(draft.flowId);
    if (draftFlow !== undefined) {
      const key = draft.flowId === flow.id ? 'flow.resumed' : 'flow.other_draft';
      const text = ctx.t(key, { form: ctx.t(flowTitleKey(draft.flowId)) });
      return { data: ctx.session, replies: [textReply(text), ...currentReplies(draftFlow, draft, ctx.runner)] };
    }
  }
  const existing = await filedOnce(ctx, flow.id, ctx.session.district);
  if (existing !== undefined) return offerEdit(ctx, existing);
  const notice = lateNotice(ctx, flow.id);
  const late = notice === undefined ? [] : [textReply(notice)];
  const prefill: Record<string, JsonValue> = {};
  if (flow.districtField !== undefined && ctx.session.district !== undefined) prefill[flow.districtField] = ctx.session.district;
  const started = startFlow(flow, ctx.runner, { target: { kind: 'new' }, values: prefill, draftId: createDraftId() });
  return { data: { ...ctx.session, flow: started.state }, replies: [...late, ...started.replies] };
}

/** The note that a form's deadline has passed (it can still be filed), or undefined before it. */
export function lateNotice(ctx: TurnContext, formId: string): string | undefined {
  return isPastDeadline(ctx, formId) ? ctx.t('forms.late', deadlineParams(ctx, formId)) : undefined;
}

function deadlineParams(ctx: TurnContext, formId: string): Record<string, string> {
  const deadline = deadlineOf(ctx.event, formId);
  return { date: deadline === undefined ? '' : formatShanghaiDate(deadline.date, ctx.locale) };
}

/** Writes the filing a finished draft describes, and says the receipt only once it is stored. */
export async function submitDraft(
  ctx: TurnContext,
  flow: FlowDefinition,
  target: FlowState['target'],
  values: Record<string, JsonValue>,
): Promise<TurnResult> {
  const state = { target };
  const withoutFlow = (session: SessionData): SessionData => withoutDraftOf(session, flow.id);
  const nowIso = ctx.now.toISOString();
  const districtValue = flow.districtField === undefined ? undefined : values[flow.districtField];
  const district = typeof districtValue === 'string' ? districtValue : undefined;
  let filing: Filing;
  let expectedVersion = 0;
  let previous: Filing['values'] | undefined;
  if (state.target.kind === 'edit') {
    const existing = await ctx.filings.getFiling(state.target.receipt);
    if (existing === undefined || existing.ownerKey !== ctx.ownerKey || existing.status !== 'submitted') {
      return { data: withoutFlow(ctx.session), replies: [textReply(ctx.t('filings.not_found'))] };
    }
    if (existing.version !== state.target.filingVersion) {
      return { data: withoutFlow(ctx.session), replies: [textReply(ctx.t('filings.changed_elsewhere'))] };
    }
    if (isPastDeadline(ctx, flow.id) && !existing.reopened) {
      return { data: withoutFlow(ctx.session), replies: [textReply(ctx.t('filings.locked', deadlineParams(ctx, flow.id)))] };
    }
    expectedVersion = state.target.filingVersion;
    previous = existing.values;
    filing = { ...existing, values, flowVersion: flow.version, version: expectedVersion + 1, updatedAt: nowIso };
  } else {
    // A form filed once per district: a second one is not filed; the draft stays for the user to drop.
    const existing = await filedOnce(ctx, flow.id, district);
    if (existing !== undefined) {
      const params = { district: ctx.event.districts.find((d) => d.id === district)?.name[ctx.locale] ?? '', form: ctx.t(flowTitleKey(flow.id)) };
      return { data: ctx.session, replies: [textReply(ctx.t('forms.one_per_district_submit', params))] };
    }
    filing = {
      receipt: createReceipt(flow.receiptPrefix),
      eventId: ctx.event.id,
      formId: flow.id,
      flowVersion: flow.version,
      ownerKey: ctx.ownerKey,
      ownerName: ctx.inbound.user.displayName,
      values,
      status: 'submitted',
      reopened: false,
      version: 1,
      createdAt: nowIso,
      updatedAt: nowIso,
    };
  }
  if (district !== undefined) filing.district = district;
  const data: SessionData = { ...withoutFlow(ctx.session), ...(district === undefined ? {} : { district }) };
  const edited = state.target.kind === 'edit';
  return {
    data,
    filings: [{ filing, expectedVersion }],
    audit: [
      {
        at: nowIso,
        actor: ctx.ownerKey,
        action: edited ? 'filing.updated' : 'filing.submitted',
        receipt: filing.receipt,
        formId: flow.id,
        ...(previous === undefined ? {} : { changes: fieldChanges(previous, values) }),
      },
    ],
    replies: [
      textReply(
        paragraph(bold(ctx.t(edited ? 'filings.updated' : 'filings.submitted', { form: ctx.t(flowTitleKey(flow.id)) }))),
        paragraph(ctx.t('filings.receipt', { receipt: filing.receipt })),
        filingSummary(ctx, flow, values),
        paragraph(ctx.t('filings.after_submit', deadlineParams(ctx, flow.id))),
      ),
    ],
  };
}

/** `/my`: the user's own filings on this platform, with edit and withdraw buttons while open. */
export async function listMine(ctx: TurnContext): Promise<TurnResult> {
  const filings = await ctx.filings.listFilings({ eventId: ctx.event.id, ownerKey: ctx.ownerKey });
  if (filings.length === 0) {
    return { data: ctx.session, replies: [choicesReply([paragraph(ctx.t('filings.none'))], formButtons(ctx))] };
  }
  const items: Span[][] = filings.map((filing) => [
    bold(ctx.t(flowTitleKey(filing.formId))),
    ' · ',
    filingTitle(ctx, filing),
    ' · ',
    ctx.t('filings.receipt', { receipt: filing.receipt }),
    ' · ',
    ctx.t(isPastDeadline(ctx, filing.formId) && !filing.reopened ? 'filings.state_locked' : 'filings.state_open'),
  ]);
  const buttons: Button[] = filings
    .filter((filing) => !isPastDeadline(ctx, filing.formId) || filing.reopened)
    .flatMap((filing) => [
      { label: `${ctx.t('filings.edit')} ${filing.receipt}`, payload: `/edit ${filing.receipt}`, role: 'nav' as const },
      { label: `${ctx.t('filings.withdraw')} ${filing.receipt}`, payload: `/withdraw ${filing.receipt}`, role: 'nav' as const },
    ]);
  const blocks = [paragraph(bold(ctx.t('filings.mine_title', { count: filings.length }))), list(items), paragraph(ctx.t('filings.mine_help', { edit: commandUsage(ctx, 'edit'), withdraw: commandUsage(ctx, 'withdraw') }))];
  return { data: ctx.session, replies: [buttons.length > 0 ? choicesReply(blocks, buttons) : { kind: 'text', blocks }] };
}

async function ownOpenFiling(ctx: TurnContext, receiptText: string | undefined): Promise<Filing | TurnResult> {
  const receipt = normalizeReceipt(receiptText ?? '');
  const limited = receipt === '' ? undefined : refuseReceiptLookup(ctx);
  if (limited !== undefined) return limited;
  const filing = receipt === '' ? undefined : await ctx.filings.getFiling(receipt);
  // Its owner learns that a withdrawn filing was withdrawn, and when; anyone else, nothing.
  if (filing !== undefined && filing.ownerKey === ctx.ownerKey && filing.eventId === ctx.event.id && filing.status === 'withdrawn') {
    const at = toShanghaiDate(new Date(filing.updatedAt));
    return { data: ctx.session, replies: [textReply(ctx.t('filings.already_withdrawn', { receipt: filing.receipt, at }))] };
  }
  if (filing === undefined || filing.ownerKey !== ctx.ownerKey || filing.status !== 'submitted' || filing.eventId !== ctx.event.id) {
    if (receipt !== '' && filing?.ownerKey !== ctx.ownerKey) noteReceiptMiss(ctx);
    return { data: ctx.session, replies: [textReply(ctx.t('filings.not_found'))] };
  }
  if (isPastDeadline(ctx, filing.formId) && !filing.reopened) {
    return { data: ctx.session, replies: [textReply(ctx.t('filings.locked', deadlineParams(ctx, filing.formId)))] };
  }
  return filing;
}

/** `/edit <receipt>`: loads one's own open filing into a draft at its summary. */
export async function editFiling(ctx: TurnContext, receiptText: string | undefined): Promise<TurnResult> {
  const found = await ownOpenFiling(ctx, receiptText);
  if (!('receipt' in found)) return found;
  const flow = ctx.flows.get(found.formId);
  if (flow === undefined) return { data: ctx.session, replies: [textReply(ctx.t('filings.not_found'))] };
  if (ctx.session.flow !== undefined) {
    return { data: ctx.session, replies: [textReply(ctx.t('flow.other_draft', { form: ctx.t(flowTitleKey(ctx.session.flow.flowId)) }))] };
  }
  const target = { kind: 'edit' as const, receipt: found.receipt, filingVersion: found.version };
  const started = startFlow(flow, ctx.runner, { target, values: found.values, draftId: createDraftId() });
  return { data: { ...ctx.session, flow: started.state }, replies: started.replies };
}

/** `/withdraw <receipt> [confirm]`: asks first, then marks one's own open filing withdrawn. */
export async function withdrawFiling(ctx: TurnContext, receiptText: string | undefined, confirmed: boolean): Promise<TurnResult> {
  const found = await ownOpenFiling(ctx, receiptText);
  if (!('receipt' in found)) return found;
  const title = filingTitle(ctx, found);
  if (!confirmed) {
    const lead = ctx.t('filings.withdraw_confirm', { receipt: found.receipt, title });
    const asked = askToConfirm(ctx, lead, `/withdraw ${found.receipt} confirm`, '/my');
    return { data: asked.session, replies: [asked.reply] };
  }
  const nowIso = ctx.now.toISOString();
  const filing: Filing = { ...found, status: 'withdrawn', version: found.version + 1, updatedAt: nowIso };
  return {
    data: ctx.session,
    filings: [{ filing, expectedVersion: found.version }],
    audit: [{ at: nowIso, actor: ctx.ownerKey, action: 'filing.withdrawn', receipt: found.receipt, formId: found.formId }],
    replies: [textReply(ctx.t('filings.withdrawn', { receipt: found.receipt, title }))],
  };
}

