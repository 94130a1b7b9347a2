/**
 * Routing of one message: a command (typed or a button payload) → the draft in progress → Q&A.
 * The same commands work on every platform: /start, /help, /file <form>, /my, /edit, /withdraw,
 * /cancel, /lang.
 */
import { declareNone } from './declaration-actions.js';
import { remindCommand } from './remind-command.js';
import { staffCommand } from './staff-commands.js';
import { openForm, submitForm } from './form-actions.js';
import { bindGroup, toPrivateChat, unbindGroup } from './group-actions.js';
import { editFiling, formButtons, listMine, startForm, submitDraft, withdrawFiling } from './filing-actions.js';
import { showReceipt } from './receipt-view.js';
import { localeSchema } from '../kernel/locale.js';
import { choicesReply, paragraph, textReply, type Reply } from '../domain/reply.js';
import type { SessionData } from '../domain/session.js';
import type { TurnContext, TurnResult } from './turn.js';
import { flowTitleKey } from '../flow/define.js';
import { refuseLongMessage, refuseLongQuestion, refuseOverLimit } from '../flow/limits.js';
import { cleanText } from '../flow/parse/index.js';
import { stepFlow, type FlowInput } from '../flow/runner.js';

/** A parsed command: its name without the slash (lower case) and its arguments. */
export interface Command {
  name: string;
  args: string[];
}

/** Reads `/name arg …` (also `／name`, and Telegram's `/name@bot`); undefined when not a command. */
export function parseCommand(text: string): Command | undefined {
  const match = /^[/／]([A-Za-z][\w-]{0,31})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  const rest = (match[2] ?? '').trim();
  return { name: match[1].toLowerCase(), args: rest === '' ? [] : rest.split(/\s+/) };
}

/** The start menu: what the bot does, then the most common questions as one-tap buttons. */
function menu(ctx: TurnContext, lead: string[]): Reply {
  return choicesReply(
    lead.map((line) => paragraph(line)),
    [
      { label: ctx.t('menu.ask'), payload: '/ask', role: 'option' },
      { label: ctx.t('menu.file'), payload: '/file', role: 'option' },
      { label: ctx.t('menu.my'), payload: '/my', role: 'option' },
      { label: ctx.t('menu.help'), payload: '/help', role: 'option' },
      ...ctx.qa.commonButtons(ctx.locale),
    ],
  );
}

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

/** A question to the Q&A; one too long to be a question is refused unread (matching grows with its square). */
function ask(ctx: TurnContext, question: string): TurnResult {
  return keep(ctx, refuseLongQuestion(question, ctx.t) ?? ctx.qa.answer(question, { locale: ctx.locale, pinnedLocale: ctx.session.locale, now: ctx.now }));
}

function withoutFlow(session: SessionData): SessionData {
  const { flow: _dropped, ...rest } = session;
  return rest;
}

/** Commands for city bureau staff only (STAFF_IDS). */
const STAFF_COMMANDS = new Set(['status', 'missing', 'list', 'show', 'reopen', 'export', 'remind']);

/** Commands that file or change filings: in a group they point to the private chat instead. */
const PRIVATE_ONLY = new Set(['file', 'my', 'edit', 'withdraw', 'start', 'forms', 'receipt']);

async function runCommand(ctx: TurnContext, command: Command): Promise<TurnResult> {
  const [first] = command.args;
  if (ctx.inbound.chat.kind === 'group' && PRIVATE_ONLY.has(command.name)) {
    return toPrivateChat(ctx, command.name === 'file' || command.name === 'start' ? first : undefined);
  }
  if (STAFF_COMMANDS.has(command.name)) {
    // Refused without a word of data to everyone but staff.
    if (!ctx.isStaff) return keep(ctx, textReply(ctx.t('staff.refused')));
    if (command.name === 'remind' && ctx.reminders !== undefined) return keep(ctx, await remindCommand(ctx, ctx.reminders, command.args));
    return (await staffCommand(ctx, command.name, command.args)) ?? keep(ctx, textReply(ctx.t('staff.not_yet')));
  }
  switch (command.name) {
    case 'formview':
      return openForm(ctx, first);
    case 'none':
      return declareNone(ctx, command.args);
    case 'receipt':
      return showReceipt(ctx, command.args.join(''));
    case 'bind':
      return bindGroup(ctx, command.args.join(' '));
    case 'unbind':
      return unbindGroup(ctx);
    case 'start': {
      if (first !== undefined && ctx.flows.has(first)) return startForm(ctx, first);
      if (first === 'file') return startForm(ctx, undefined);
      const draft = ctx.session.flow;
      const lead = [ctx.t('menu.welcome', { event: ctx.event.name[ctx.locale] })];
      if (draft !== undefined) lead.push(ctx.t('flow.draft_waiting', { form: ctx.t(flowTitleKey(draft.flowId)) }));
      return keep(ctx, menu(ctx, lead));
    }
    case 'help': {
      const lines = ctx.t(ctx.inbound.chat.kind === 'group' ? 'group.help_text' : 'menu.help_text').split('\n');
      return keep(ctx, choicesReply(lines.map((line) => paragraph(line)), ctx.qa.commonButtons(ctx.locale)));
    }
    case 'file':
      return startForm(ctx, first);
    case 'my':
      return listMine(ctx);
    case 'edit':
      return editFiling(ctx, command.args.join(''));
    case 'withdraw': {
      // A receipt may be typed with spaces inside (KP-2CEM M8T3Z9); `confirm` comes last.
      const confirmed = command.args.at(-1) === 'confirm';
      return withdrawFiling(ctx, (confirmed ? command.args.slice(0, -1) : command.args).join(''), confirmed);
    }
    case 'cancel':
      if (ctx.session.flow === undefined) return keep(ctx, textReply(ctx.t('flow.nothing_to_cancel')));
      return { data: withoutFlow(ctx.session), replies: [textReply(ctx.t('flow.cancelled'))] };
    case 'lang': {
      const parsed = localeSchema.safeParse(first === 'zh' ? 'zh-CN' : first);
      if (!parsed.success) return keep(ctx, textReply(ctx.t('menu.lang_usage')));
      const t = ctx.i18n.forLocale(parsed.data);
      return { data: { ...ctx.session, locale: parsed.data }, replies: [textReply(t('menu.lang_set'))] };
    }
    case 'ask':
      if (command.args.length === 0) return keep(ctx, textReply(ctx.t('qa.ask_prompt')));
      return ask(ctx, command.args.join(' '));
    case 'forms':
      return keep(ctx, choicesReply([paragraph(ctx.t('forms.pick'))], formButtons(ctx)));
    default:
      return keep(ctx, textReply(ctx.t('menu.unknown_command', { command: command.name })), menu(ctx, []));
  }
}

async function runDraft(ctx: TurnContext, input: FlowInput): Promise<TurnResult | undefined> {
  const draft = ctx.session.flow;
  if (draft === undefined) return undefined;
  const flow = ctx.flows.get(draft.flowId);
  if (flow === undefined || flow.version !== draft.flowVersion) return undefined;
  const outcome = stepFlow(flow, draft, input, ctx.runner);
  switch (outcome.kind) {
    case 'continue': {
      // The draft's size limits, in one place: over one, the step is refused and the draft kept.
      const refused = refuseOverLimit(flow, draft, outcome.state, ctx.runner);
      if (refused !== undefined) return keep(ctx, ...refused);
      return { data: { ...ctx.session, flow: outcome.state }, replies: outcome.replies };
    }
    case 'cancelled':
      return { data: withoutFlow(ctx.session), replies: outcome.replies };
    case 'submit':
      return submitDraft(ctx, flow, outcome.state.target, outcome.values);
  }
}

/** Handles one message's content and says what to store and reply. */
export async function routeMessage(ctx: TurnContext): Promise<TurnResult> {
  const draft = ctx.session.flow;
  const stale = draft !== undefined && ctx.flows.get(draft.flowId)?.version !== draft.flowVersion;
  if (stale) {
    const routed = await routeMessage({ ...ctx, session: withoutFlow(ctx.session) });
    return { ...routed, replies: [textReply(ctx.t('flow.restarted', { form: ctx.t(flowTitleKey(draft.flowId)) })), ...routed.replies] };
  }
  const { action, text, form } = ctx.inbound;
  if (form !== undefined) return submitForm(ctx, form);
  const tooLong = refuseLongMessage(text, ctx.t);
  if (tooLong !== undefined) return keep(ctx, tooLong);
  const raw = action ?? text ?? '';
  const command = parseCommand(raw);
  if (command !== undefined) return runCommand(ctx, command);
  if (ctx.inbound.chat.kind === 'group') {
    // Groups ask questions; forms are filed in private.
    const question = cleanText(raw);
    return question === '' ? keep(ctx, textReply(ctx.t('group.help_text').split('\n')[0] ?? '')) : ask(ctx, question);
  }
  if (action !== undefined) {
    return (await runDraft(ctx, { kind: 'action', payload: action })) ?? keep(ctx, menu(ctx, [ctx.t('flow.stale_no_draft')]));
  }
  const files = ctx.inbound.attachments ?? [];
  if (files.length > 0) {
    return (await runDraft(ctx, { kind: 'files', files })) ?? keep(ctx, textReply(ctx.t('flow.files_outside_form')));
  }
  const clean = cleanText(raw);
  const drafted = await runDraft(ctx, { kind: 'text', text: raw });
  if (drafted !== undefined) return drafted;
  if (clean === '') return keep(ctx, menu(ctx, [ctx.t('menu.empty')]));
  return ask(ctx, clean);
}
