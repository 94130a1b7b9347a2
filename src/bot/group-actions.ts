/**
 * What a group chat can do: bind itself to a district for reminders (staff or a group admin only,
 * the platform asked through the turn), unbind, and be pointed to the private chat for filing — forms
 * are filed in private, never in a group where others read along. The router runs /bind and /unbind
 * in groups only (their scope in the command registry).
 */
import { findDistrict } from '../domain/event.js';
import { bold, inPrivateChat, paragraph, startLink, textReply, type Reply } from '../domain/reply.js';
import type { TurnContext, TurnResult } from './turn.js';
import { flowTitleKey } from '../flow/define.js';
import { spell } from './commands.js';

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

function districtName(ctx: TurnContext, id: string): string {
  return ctx.event.districts.find((d) => d.id === id)?.name[ctx.locale] ?? id;
}

/** Staff may bind any group; anyone else must administer it (asked of the platform only then). */
async function mayBind(ctx: TurnContext): Promise<boolean> {
  return ctx.isStaff || (await ctx.chatAdmin());
}

/** `/bind [district]` in a group: shows the binding, or binds the group when allowed. */
export async function bindGroup(ctx: TurnContext, districtText: string): Promise<TurnResult> {
  const { inbound } = ctx;
  if (districtText.trim() === '') {
    const current = await ctx.groups.getGroup(inbound.platform, inbound.chat.id);
    const status = current === undefined ? ctx.t('group.not_bound') : ctx.t('group.bound_to', { district: districtName(ctx, current.district) });
    return keep(ctx, textReply(status, ctx.t('group.bind_usage', { bind: spell(inbound.platform, 'bind'), unbind: spell(inbound.platform, 'unbind') })));
  }
  if (!(await mayBind(ctx))) return keep(ctx, textReply(ctx.t('group.bind_refused')));
  const district = findDistrict(ctx.event, districtText);
  if (district === undefined) {
    const names = ctx.event.districts.map((d) => d.name[ctx.locale]).join(ctx.t('punctuation.list'));
    return keep(ctx, textReply(ctx.t('group.unknown_district', { district: districtText }), names));
  }
  // Bound again: the bot is back in the group, so reminders may try it again.
  await ctx.unreachable.clearUnreachable(inbound.platform, inbound.chat.id);
  await ctx.groups.putGroup({
    platform: inbound.platform,
    chatId: inbound.chat.id,
    district: district.id,
    boundBy: ctx.ownerKey,
    boundAt: ctx.now.toISOString(),
  });
  return keep(ctx, textReply(paragraph(bold(ctx.t('group.bound', { district: district.name[ctx.locale] })))));
}

/** `/unbind` in a group, by staff or a group admin. */
export async function unbindGroup(ctx: TurnContext): Promise<TurnResult> {
  const { inbound } = ctx;
  if (!(await mayBind(ctx))) return keep(ctx, textReply(ctx.t('group.bind_refused')));
  const removed = await ctx.groups.removeGroup(inbound.platform, inbound.chat.id);
  return keep(ctx, textReply(ctx.t(removed ? 'group.unbound' : 'group.not_bound')));
}

/** A form command in a group: a link into the private chat, at that form when one is named. */
export function toPrivateChat(ctx: TurnContext, formId: string | undefined): TurnResult {
  const flow = formId === undefined ? undefined : ctx.flows.get(formId);
  const label = flow === undefined ? ctx.t('group.open_private') : ctx.t(flowTitleKey(flow.id));
  return keep(ctx, textReply(ctx.t('group.file_in_private'), paragraph(startLink(label, flow?.id ?? 'menu'))));
}

/**
 * An answer for the asker's eyes only, asked in a group: its replies go to the user's private chat,
 * the group is told they were sent there — or, when the bot may not write to the user first, how to
 * open the private chat. What the answer stores (a reopened filing, its audit) is kept as it is.
 */
export function toAskerAlone(ctx: TurnContext, result: TurnResult): TurnResult {
  const refused = textReply(ctx.t('staff.private_refused'), paragraph(startLink(ctx.t('group.open_private'), 'menu')));
  return { ...result, replies: [{ kind: 'private', userId: ctx.inbound.user.id, replies: inPrivateChat(result.replies), sent: [textReply(ctx.t('staff.sent_privately'))], refused: [refused] }] };
}
