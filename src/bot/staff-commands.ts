/**
 * The city bureau staff's commands: `/status [district]`, `/missing`, `/list [form] [district]`,
 * `/show <receipt>`, `/reopen <receipt>`, `/export xlsx|docx|csv [form]`. The router lets only staff
 * (STAFF_IDS) reach them. Long answers are split by the adapters under each platform's limits.
 */
import { filerName, findDistrict, findForm } from '../domain/event.js';
import type { Filing } from '../domain/filing.js';
import type { Declaration } from '../domain/records.js';
import { normalizeReceipt } from '../domain/receipt.js';
import { bold, list, paragraph, textReply, type Reply, type Span } from '../domain/reply.js';
import { filingSummary, filingTitle } from './receipt-view.js';
import { computeStatus, type FormStatus } from '../domain/status.js';
import { formatShanghaiDate, shanghaiDaysUntil, toShanghaiDate, toShanghaiTime } from '../kernel/time.js';
import type { TurnContext, TurnResult } from './turn.js';
import { flowTitleKey } from '../flow/define.js';

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

/** ✓ filed (with the count for forms filed more than once), — declared none, ✗ owed. */
function mark(status: FormStatus): string {
  if (status.filed > 0) return status.filed > 1 ? `✓${status.filed}` : '✓';
  return status.declaredNone ? '—' : '✗';
}

function shortTitle(ctx: TurnContext, formId: string): string {
  const form = ctx.event.forms.find((f) => f.id === formId);
  return form?.attachment === undefined ? ctx.t('staff.summary_short') : ctx.t('staff.attachment_short', { n: form.attachment });
}

async function load(ctx: TurnContext): Promise<{ filings: Filing[]; declarations: Declaration[]; status: ReturnType<typeof computeStatus> }> {
  const [filings, declarations] = await Promise.all([ctx.filings.listFilings({ eventId: ctx.event.id }), ctx.declarations.listDeclarations(ctx.event.id)]);
  return { filings, declarations, status: computeStatus(ctx.event, filings, declarations) };
}

/** Who declared "nothing to file" and when (Shanghai time), for a district's status. */
function declaredBy(ctx: TurnContext, declaration: Declaration | undefined): string {
  if (declaration === undefined) return '';
  const when = new Date(declaration.at);
  const name = declaration.declaredByName === undefined ? declaration.declaredBy : `${declaration.declaredByName} (${declaration.declaredBy})`;
  return ` · ${ctx.t('declarations.by', { name, at: `${formatShanghaiDate(toShanghaiDate(when), ctx.locale)} ${toShanghaiTime(when)}` })}`;
}

function deadlinesLine(ctx: TurnContext): string {
  return ctx.event.deadlines
    .map((d) => {
      const days = shanghaiDaysUntil(d.date, ctx.now);
      const params = { title: d.title[ctx.locale], date: formatShanghaiDate(d.date, ctx.locale), days };
      return ctx.t(days < 0 ? 'staff.deadline_passed_line' : 'staff.deadline_line', params);
    })
    .join('；');
}

async function status(ctx: TurnContext, districtText: string): Promise<TurnResult> {
  const { filings, declarations, status: all } = await load(ctx);
  if (districtText !== '') {
    const district = findDistrict(ctx.event, districtText);
    const entry = all.find((s) => s.district.id === district?.id);
    if (entry === undefined) return keep(ctx, textReply(ctx.t('group.unknown_district', { district: districtText })));
    const items: Span[][] = entry.forms.map((f) => {
      const receipts = filings.filter((x) => x.district === entry.district.id && x.formId === f.formId && x.status === 'submitted').map((x) => x.receipt);
      const declaration = f.declaredNone ? declarations.find((d) => d.district === entry.district.id && d.formId === f.formId) : undefined;
      return [bold(ctx.t(flowTitleKey(f.formId))), ctx.t('punctuation.label'), mark(f), receipts.length > 0 ? ` (${receipts.join(', ')})` : '', declaredBy(ctx, declaration)];
    });
    return keep(ctx, textReply(paragraph(bold(entry.district.name[ctx.locale])), list(items), paragraph(deadlinesLine(ctx))));
  }
  const header = ctx.event.forms.map((f) => shortTitle(ctx, f.id)).join(' · ');
  const rows: Span[][] = all.map((entry) => [bold(entry.district.name[ctx.locale]), ctx.t('punctuation.label'), entry.forms.map((f) => `${shortTitle(ctx, f.formId)} ${mark(f)}`).join(' · ')]);
  return keep(ctx, textReply(paragraph(bold(ctx.t('staff.status_title')), ` (${header})`), list(rows), paragraph(ctx.t('staff.legend')), paragraph(deadlinesLine(ctx))));
}

async function missing(ctx: TurnContext): Promise<TurnResult> {
  const { status: all } = await load(ctx);
  const rows: Span[][] = all
    .map((entry) => ({ entry, owed: entry.forms.filter((f) => !f.done) }))
    .filter(({ owed }) => owed.length > 0)
    .map(({ entry, owed }) => [bold(entry.district.name[ctx.locale]), ctx.t('punctuation.label'), owed.map((f) => ctx.t(flowTitleKey(f.formId))).join(ctx.t('punctuation.list'))]);
  if (rows.length === 0) return keep(ctx, textReply(ctx.t('staff.nothing_missing')));
  return keep(ctx, textReply(paragraph(bold(ctx.t('staff.missing_title', { count: rows.length }))), list(rows)));
}

async function listFilings(ctx: TurnContext, args: readonly string[]): Promise<TurnResult> {
  const form = args.map((a) => findForm(ctx.event, a)).find((f) => f !== undefined);
  const district = args.map((a) => findDistrict(ctx.event, a)).find((d) => d !== undefined);
  const filings = await ctx.filings.listFilings({
    eventId: ctx.event.id,
    ...(form === undefined ? {} : { formId: form.id }),
    ...(district === undefined ? {} : { district: district.id }),
  });
  if (filings.length === 0) return keep(ctx, textReply(ctx.t('staff.no_filings')));
  const rows: Span[][] = filings.map((f) => {
    const flow = ctx.flows.get(f.formId);
    const name = f.district === undefined ? '' : filerName(ctx.event, f.district, ctx.locale);
    // A form titled by its district (the summary report) is not named twice.
    const title = flow !== undefined && flow.titleField === flow.districtField ? [] : [filingTitle(ctx, f)];
    return [bold(f.receipt), ` ${[shortTitle(ctx, f.formId), name, ...title, toShanghaiDate(new Date(f.createdAt))].join(' · ')}`];
  });
  return keep(ctx, textReply(paragraph(bold(ctx.t('staff.list_title', { count: filings.length }))), list(rows)));
}

async function show(ctx: TurnContext, receiptText: string): Promise<TurnResult> {
  const filing = await ctx.filings.getFiling(normalizeReceipt(receiptText));
  const flow = filing === undefined ? undefined : ctx.flows.get(filing.formId);
  if (filing === undefined || flow === undefined || filing.eventId !== ctx.event.id) return keep(ctx, textReply(ctx.t('filings.not_found')));
  const state = ctx.t(filing.status === 'withdrawn' ? 'filings.state_withdrawn' : 'filings.state_submitted', { at: toShanghaiDate(new Date(filing.updatedAt)) });
  return keep(
    ctx,
    textReply(
      paragraph(bold(ctx.t(flowTitleKey(flow.id)))),
      paragraph(ctx.t('filings.receipt', { receipt: filing.receipt }), ' · ', state, ' · ', filing.ownerName, ` (${filing.ownerKey})`, filing.reopened ? ` · ${ctx.t('staff.reopened_mark')}` : ''),
      filingSummary(ctx, flow, filing.values),
    ),
  );
}

async function reopen(ctx: TurnContext, receiptText: string): Promise<TurnResult> {
  const filing = await ctx.filings.getFiling(normalizeReceipt(receiptText));
  if (filing === undefined || filing.eventId !== ctx.event.id) return keep(ctx, textReply(ctx.t('filings.not_found')));
  if (filing.status === 'withdrawn') return keep(ctx, textReply(ctx.t('staff.reopen_withdrawn', { receipt: filing.receipt })));
  if (filing.reopened) return keep(ctx, textReply(ctx.t('staff.already_reopened', { receipt: filing.receipt })));
  const at = ctx.now.toISOString();
  return {
    data: ctx.session,
    filings: [{ filing: { ...filing, reopened: true, version: filing.version + 1, updatedAt: at }, expectedVersion: filing.version }],
    audit: [{ at, actor: ctx.ownerKey, action: 'filing.reopened', receipt: filing.receipt, formId: filing.formId }],
    replies: [textReply(ctx.t('staff.reopened', { receipt: filing.receipt }))],
  };
}

/** `/export xlsx|docx|csv [form]`: the filings as a file in the chat (CSV takes one form). */
async function exportCommand(ctx: TurnContext, args: readonly string[]): Promise<TurnResult> {
  const [formatText, formText] = args;
  const format = formatText === 'xlsx' || formatText === 'docx' || formatText === 'csv' ? formatText : undefined;
  const form = formText === undefined ? undefined : findForm(ctx.event, formText);
  if (format === undefined || (formText !== undefined && form === undefined) || (format === 'csv' && form === undefined)) {
    return keep(ctx, textReply(ctx.t('staff.export_usage', { forms: ctx.event.forms.map((f) => f.id).join(', ') })));
  }
  const [filings, declarations] = await Promise.all([ctx.filings.listFilings({ eventId: ctx.event.id }), ctx.declarations.listDeclarations(ctx.event.id)]);
  const file = await ctx.exports({
    format,
    ...(form === undefined ? {} : { formId: form.id }),
    event: ctx.event,
    flows: [...ctx.flows.values()],
    filings,
    declarations,
    fieldContext: { event: ctx.event, locale: 'zh-CN', now: ctx.now, t: ctx.i18n.forLocale('zh-CN') },
  });
  const exported = filings.filter((filing) => form === undefined || filing.formId === form.id).length;
  return keep(ctx, { kind: 'file', name: file.name, mime: file.mime, data: file.data, caption: ctx.t('staff.export_caption', { count: exported }) });
}

/** Runs a staff command; the caller checked that the user is staff. */
export async function staffCommand(ctx: TurnContext, name: string, args: readonly string[]): Promise<TurnResult | undefined> {
  switch (name) {
    case 'status':
      return status(ctx, args.join(' '));
    case 'missing':
      return missing(ctx);
    case 'list':
      return listFilings(ctx, args);
    case 'show':
      return show(ctx, args.join(''));
    case 'reopen':
      return reopen(ctx, args.join(''));
    case 'export':
      return exportCommand(ctx, args);
    default:
      return undefined;
  }
}
