/**
 * What each command of the registry does, keyed by its name: the type asks for exactly one handler
 * per registered command, so a command added to the registry without one does not compile. The
 * router has already checked the command's scope (private, group, staff) when a handler runs.
 */
import { localeSchema } from '../kernel/locale.js';
import { choicesReply, paragraph, textReply, type Reply } from '../domain/reply.js';
import type { SessionData } from '../domain/session.js';
import { flowTitleKey } from '../flow/define.js';
import { askDiscard } from '../flow/runner.js';
import type { CommandName } from './commands.js';
import { declareNone } from './declaration-actions.js';
import { editFiling, formButtons, listMine, startForm, withdrawFiling } from './filing-actions.js';
import { openForm } from './form-actions.js';
import { bindGroup, unbindGroup } from './group-actions.js';
import { helpReply } from './help.js';
import { answerQuestion, startMenu } from './menu.js';
import { startAsking } from './question-at-field.js';
import { showReceipt } from './receipt-view.js';
import { remindCommand } from './remind-command.js';
import { staffCommand } from './staff-commands.js';
import type { TurnContext, TurnResult } from './turn.js';

/** Runs one command with its arguments (the words after its name). */
export type CommandHandler = (ctx: TurnContext, args: readonly string[]) => TurnResult | Promise<TurnResult>;

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

/** The session without its draft. */
export function withoutFlow(session: SessionData): SessionData {
  const { flow: _dropped, ...rest } = session;
  return rest;
}

/** A staff command of staff-commands.ts; the router let only staff reach it. */
function staff(name: string): CommandHandler {
  return async (ctx, args) => (await staffCommand(ctx, name, args)) ?? keep(ctx, textReply(ctx.t('staff.not_yet')));
}

/** Every command's handler. */
export const COMMAND_HANDLERS: { readonly [name in CommandName]: CommandHandler } = {
  start: (ctx, [first]) => {
    if (first !== undefined && ctx.flows.has(first)) return startForm(ctx, first);
    if (first === 'file') return startForm(ctx, undefined);
    const draft = ctx.session.flow;
    const lead = [ctx.t('menu.welcome', { event: ctx.event.name[ctx.locale] })];
    if (draft !== undefined) lead.push(ctx.t('flow.draft_waiting', { form: ctx.t(flowTitleKey(draft.flowId)) }));
    return keep(ctx, startMenu(ctx, lead));
  },
  file: (ctx, [first]) => startForm(ctx, first),
  my: (ctx) => listMine(ctx),
  edit: (ctx, args) => editFiling(ctx, args.join('')),
  withdraw: (ctx, args) => {
    // A receipt may be typed with spaces inside (KP-2CEM M8T3Z9); `confirm` comes last.
    const confirmed = args.at(-1) === 'confirm';
    return withdrawFiling(ctx, (confirmed ? args.slice(0, -1) : args).join(''), confirmed);
  },
  receipt: (ctx, args) => showReceipt(ctx, args.join('')),
  none: (ctx, args) => declareNone(ctx, args),
  ask: (ctx, args) => (args.length === 0 ? { data: startAsking(ctx), replies: [textReply(ctx.t('qa.ask_prompt'))] } : answerQuestion(ctx, args.join(' '))),
  help: (ctx) => keep(ctx, helpReply(ctx)),
  cancel: (ctx) => {
    const draft = ctx.session.flow;
    if (draft === undefined) return keep(ctx, textReply(ctx.t('flow.nothing_to_cancel')));
    // A draft with answers (or at its summary) asks first; an empty one, or one of a form gone, is dropped.
    const flow = ctx.flows.get(draft.flowId);
    const outcome = flow === undefined ? undefined : askDiscard(flow, draft, ctx.runner);
    if (outcome?.kind === 'continue') return { data: { ...ctx.session, flow: outcome.state }, replies: outcome.replies };
    return { data: withoutFlow(ctx.session), replies: [textReply(ctx.t('flow.cancelled'))] };
  },
  lang: (ctx, [first]) => {
    const parsed = localeSchema.safeParse(first === 'zh' ? 'zh-CN' : first);
    if (!parsed.success) return keep(ctx, textReply(ctx.t('menu.lang_usage')));
    const t = ctx.i18n.forLocale(parsed.data);
    return { data: { ...ctx.session, locale: parsed.data }, replies: [textReply(t('menu.lang_set'))] };
  },
  bind: (ctx, args) => bindGroup(ctx, args.join(' ')),
  unbind: (ctx) => unbindGroup(ctx),
  forms: (ctx) => keep(ctx, choicesReply([paragraph(ctx.t('forms.pick'))], formButtons(ctx))),
  formview: (ctx, [first]) => openForm(ctx, first),
  status: staff('status'),
  missing: staff('missing'),
  list: staff('list'),
  show: staff('show'),
  reopen: staff('reopen'),
  export: staff('export'),
  remind: async (ctx, args) => {
    if (ctx.reminders === undefined) return keep(ctx, textReply(ctx.t('staff.not_yet')));
    return keep(ctx, await remindCommand(ctx, ctx.reminders, args));
  },
};
