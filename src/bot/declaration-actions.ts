/**
 * "Nothing to file": a district contact declares that the district has no exhibit (附件1) or no
 * open-day institution (附件3). It counts as done for status and reminders, and can be undone
 * until the form's deadline. Only for the user's own district (the one their session or their
 * filings name) or by staff, never while the district has filings of that form, and always after a
 * confirmation; the declaration keeps who made it.
 */
import { findDistrict, findForm, type District } from '../domain/event.js';
import { isPastDeadline } from './filing-actions.js';
import { choicesReply, paragraph, textReply, type Reply } from '../domain/reply.js';
import { askToConfirm } from './typed-confirm.js';
import type { TurnContext, TurnResult } from './turn.js';
import { flowTitleKey } from '../flow/define.js';

/** The words after `/none <form>` that are not a district: undo, and the two answers of the confirmation. */
const UNDO = /^(undo|撤销|取消)$/i;
const CONFIRM = 'confirm';
const DISMISS = 'dismiss';

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

/** The districts the user speaks for: the one the session remembers and those their filings name. */
async function ownDistricts(ctx: TurnContext): Promise<Set<string>> {
  const own = new Set<string>();
  if (ctx.session.district !== undefined) own.add(ctx.session.district);
  const filings = await ctx.filings.listFilings({ eventId: ctx.event.id, ownerKey: ctx.ownerKey });
  for (const filing of filings) if (filing.district !== undefined) own.add(filing.district);
  return own;
}

function districtNames(ctx: TurnContext, ids: Iterable<string>): string {
  return [...ids].map((id) => ctx.event.districts.find((d) => d.id === id)?.name[ctx.locale] ?? id).join(ctx.t('declarations.separator'));
}

/** The district a `/none` is about, or the reply that says why there is none. */
async function whichDistrict(ctx: TurnContext, districtText: string): Promise<District | TurnResult> {
  const own = await ownDistricts(ctx);
  if (districtText !== '') {
    const named = findDistrict(ctx.event, districtText);
    if (named === undefined) return keep(ctx, textReply(ctx.t('declarations.which_district')));
    if (ctx.isStaff || own.has(named.id)) return named;
    if (own.size === 0) return keep(ctx, textReply(ctx.t('declarations.no_district')));
    return keep(ctx, textReply(ctx.t('declarations.not_yours', { district: named.name[ctx.locale], own: districtNames(ctx, own) })));
  }
  const remembered = ctx.session.district ?? (own.size === 1 ? [...own][0] : undefined);
  const district = ctx.event.districts.find((d) => d.id === remembered);
  if (district !== undefined) return district;
  return keep(ctx, textReply(ctx.t(ctx.isStaff || own.size > 1 ? 'declarations.which_district' : 'declarations.no_district')));
}

/** `/none <form> [district] [undo]`: declares (or undoes) "nothing to file" for a district, after a confirmation. */
export async function declareNone(ctx: TurnContext, args: readonly string[]): Promise<TurnResult> {
  const [formId, ...rest] = args;
  const undo = rest.some((word) => UNDO.test(word));
  const confirmed = rest.at(-1) === CONFIRM;
  const dismissed = rest.at(-1) === DISMISS;
  const districtText = rest.filter((word) => !UNDO.test(word) && word !== CONFIRM && word !== DISMISS).join(' ');
  const form = formId === undefined ? undefined : findForm(ctx.event, formId);
  if (form === undefined || form.declarableNone !== true) {
    const allowed = ctx.event.forms.filter((f) => f.declarableNone === true).map((f) => f.id).join(', ');
    return keep(ctx, textReply(ctx.t('declarations.usage', { forms: allowed })));
  }
  if (dismissed) return keep(ctx, textReply(ctx.t('declarations.dismissed')));
  const found = await whichDistrict(ctx, districtText);
  if (!('id' in found)) return found;
  const district = found;
  const title = ctx.t(flowTitleKey(form.id));
  const params = { form: title, district: district.name[ctx.locale] };
  if (isPastDeadline(ctx, form.id)) return keep(ctx, textReply(ctx.t('declarations.locked', params)));
  const declarations = await ctx.declarations.listDeclarations(ctx.event.id);
  const existing = declarations.find((d) => d.district === district.id && d.formId === form.id);
  if (undo && existing === undefined) return keep(ctx, textReply(ctx.t('declarations.none_to_undo', params)));
  if (!undo) {
    const filings = await ctx.filings.listFilings({ eventId: ctx.event.id, formId: form.id, district: district.id });
    if (filings.length > 0) {
      return keep(ctx, choicesReply([paragraph(ctx.t('declarations.has_filings', { ...params, count: filings.length }))], [{ label: ctx.t('declarations.my'), payload: '/my', role: 'nav' }]));
    }
    if (existing !== undefined) return keep(ctx, textReply(ctx.t('declarations.already', params), ctx.t('declarations.how_to_undo', { form: form.id })));
  }
  if (!confirmed) {
    const command = `/none ${form.id} ${district.id}${undo ? ' undo' : ''}`;
    // A typed 是/确定/yes (or 否/no) answers as the buttons do.
    const { session, reply } = askToConfirm(ctx, ctx.t(undo ? 'declarations.confirm_undo' : 'declarations.confirm', params), `${command} ${CONFIRM}`, `/none ${form.id} ${DISMISS}`, {
      yes: ctx.t('declarations.yes'),
      no: ctx.t('declarations.no'),
    });
    return { data: session, replies: [reply] };
  }
  if (undo) {
    const removed = await ctx.declarations.removeDeclaration(ctx.event.id, district.id, form.id);
    return keep(ctx, textReply(ctx.t(removed ? 'declarations.undone' : 'declarations.none_to_undo', params)));
  }
  await ctx.declarations.putDeclaration({
    eventId: ctx.event.id,
    district: district.id,
    formId: form.id,
    declaredBy: ctx.ownerKey,
    declaredByName: ctx.inbound.user.displayName,
    at: ctx.now.toISOString(),
  });
  return keep(ctx, textReply(ctx.t('declarations.declared', params), ctx.t('declarations.how_to_undo', { form: form.id })));
}
