/**
 * "Nothing to file": a district contact declares that the district has no exhibit (附件1) or no
 * open-day institution (附件3). It counts as done for status and reminders, and can be undone
 * until the form's deadline.
 */
import { findDistrict, findForm } from '../domain/event.js';
import { isPastDeadline } from './filing-actions.js';
import { textReply, type Reply } from '../domain/reply.js';
import type { TurnContext, TurnResult } from './turn.js';
import { flowTitleKey } from '../flow/define.js';

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

/** `/none <form> [district] [undo]`: declares (or undoes) "nothing to file" for a district. */
export async function declareNone(ctx: TurnContext, args: readonly string[]): Promise<TurnResult> {
  const [formId, ...rest] = args;
  const undo = rest.some((word) => /^(undo|撤销|取消)$/i.test(word));
  const districtText = rest.filter((word) => !/^(undo|撤销|取消)$/i.test(word)).join(' ');
  const form = formId === undefined ? undefined : findForm(ctx.event, formId);
  if (form === undefined || form.declarableNone !== true) {
    const allowed = ctx.event.forms.filter((f) => f.declarableNone === true).map((f) => f.id).join(', ');
    return keep(ctx, textReply(ctx.t('declarations.usage', { forms: allowed })));
  }
  const district = districtText === '' ? ctx.event.districts.find((d) => d.id === ctx.session.district) : findDistrict(ctx.event, districtText);
  if (district === undefined) return keep(ctx, textReply(ctx.t('declarations.which_district')));
  const title = ctx.t(flowTitleKey(form.id));
  const params = { form: title, district: district.name[ctx.locale] };
  if (isPastDeadline(ctx, form.id)) return keep(ctx, textReply(ctx.t('declarations.locked', params)));
  if (undo) {
    const removed = await ctx.declarations.removeDeclaration(ctx.event.id, district.id, form.id);
    return keep(ctx, textReply(ctx.t(removed ? 'declarations.undone' : 'declarations.none_to_undo', params)));
  }
  await ctx.declarations.putDeclaration({ eventId: ctx.event.id, district: district.id, formId: form.id, declaredBy: ctx.ownerKey, at: ctx.now.toISOString() });
  return { data: { ...ctx.session, district: district.id }, replies: [textReply(ctx.t('declarations.declared', params), ctx.t('declarations.how_to_undo', { form: form.id }))] };
}
