/**
 * Staff's `/remind preview | send <rule> | log`: what would go out now, a manual wave under the same
 * claims as the scheduled ones, and the recent outcomes.
 */
import { list, paragraph, textReply, type Reply } from '../domain/reply.js';
import { toShanghaiDate, toShanghaiTime } from '../kernel/time.js';
import type { TurnContext } from './turn.js';
import type { RemindersPort } from './ports.js';

/** Runs a `/remind` subcommand for staff (the caller checked that the user is staff). */
export async function remindCommand(ctx: TurnContext, reminders: RemindersPort, args: readonly string[]): Promise<Reply> {
  const [sub, ruleId] = args;
  switch (sub) {
    case 'preview': {
      const lines = await reminders.preview();
      if (lines.length === 0) return textReply(ctx.t('reminders.nothing_due'));
      return textReply(paragraph(ctx.t('reminders.preview_title', { count: lines.length })), list(lines.map((line) => [line])));
    }
    case 'send': {
      const result = await reminders.send(ruleId);
      const { leader, ...counts } = result;
      if (!leader) return textReply(ctx.t('reminders.not_leader'));
      return textReply(ctx.t('reminders.wave_done', counts));
    }
    case 'log': {
      const outcomes = await reminders.log(20);
      if (outcomes.length === 0) return textReply(ctx.t('reminders.log_empty'));
      const when = (iso: string): string => `${toShanghaiDate(new Date(iso))} ${toShanghaiTime(new Date(iso))}`;
      return textReply(list(outcomes.map((o) => [`${when(o.at)} ${o.ruleId} ${o.platform}:${o.chatId} ${o.district} ${o.outcome}${o.detail === undefined ? '' : ` (${o.detail})`}`])));
    }
    default:
      return textReply(ctx.t('reminders.usage'));
  }
}
