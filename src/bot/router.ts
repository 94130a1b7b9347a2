/**
 * Routing of one message: a command (typed, or a button payload) → the draft in progress → Q&A.
 * Commands come from the registry (commands.ts): the router checks each one's scope there and runs
 * its handler. On a platform that allows it (Slack), a command's bare word typed in a private chat
 * (`my`, `edit KP-…`) runs it too — but only outside a form, where the words are the form's answers
 * and navigation, and only when the words fit the command, so a sentence stays a question.
 */
import { looksLikeReceipt } from '../domain/receipt.js';
import { textReply, type Reply } from '../domain/reply.js';
import type { TurnContext, TurnResult } from './turn.js';
import { flowTitleKey } from '../flow/define.js';
import { refuseLongMessage, refuseOverLimit } from '../flow/limits.js';
import { cleanText } from '../flow/parse/index.js';
import { stepFlow, type FlowInput } from '../flow/runner.js';
import { COMMAND_HANDLERS, withoutFlow } from './command-handlers.js';
import { answersPersonally, findCommand, parseBareWord, parseCommand, spellingOf, type Command, type RegisteredCommand } from './commands.js';
import { submitDraft } from './filing-actions.js';
import { submitForm } from './form-actions.js';
import { toAskerAlone, toPrivateChat } from './group-actions.js';
import { answerQuestion, startMenu } from './menu.js';
import { questionAtField, resolveHeld, takePending, type Pending } from './question-at-field.js';
import { typedConfirmation } from './typed-confirm.js';

function keep(ctx: TurnContext, ...replies: Reply[]): TurnResult {
  return { data: ctx.session, replies };
}

/**
 * The answer when a command is used where its scope does not allow it, or undefined when it may run:
 * a private command in a group points to the private chat (at the form it names), a group command
 * elsewhere says so, and a staff command is refused to everyone else without a word of data.
 */
function refusal(ctx: TurnContext, spec: RegisteredCommand, args: readonly string[]): TurnResult | undefined {
  const inGroup = ctx.inbound.chat.kind === 'group';
  switch (spec.scope) {
    case 'private':
      return inGroup ? toPrivateChat(ctx, spec.args === 'form' ? args[0] : undefined) : undefined;
    case 'group':
      return inGroup ? undefined : keep(ctx, textReply(ctx.t('group.only_in_group')));
    case 'staff':
      return ctx.isStaff ? undefined : keep(ctx, textReply(ctx.t('staff.refused')));
    case 'any':
      return undefined;
  }
}

async function runCommand(ctx: TurnContext, command: Command): Promise<TurnResult> {
  const spec = findCommand(command.name);
  if (spec === undefined) return keep(ctx, textReply(ctx.t('menu.unknown_command', { command: command.name })), startMenu(ctx, []));
  const refused = refusal(ctx, spec, command.args);
  if (refused !== undefined) return refused;
  const result = await COMMAND_HANDLERS[spec.name](ctx, command.args);
  return ctx.inbound.chat.kind === 'group' && answersPersonally(spec, command.args) ? toAskerAlone(ctx, result) : result;
}

/** Whether the words after a bare command word are what the command takes, not the rest of a sentence. */
function argumentsFit(ctx: TurnContext, spec: RegisteredCommand, args: readonly string[]): boolean {
  const [first] = args;
  switch (spec.args) {
    case 'none':
      return first === undefined;
    case 'form':
      return first === undefined || ctx.flows.has(first);
    case 'receipt': {
      const receipt = (args.at(-1) === 'confirm' ? args.slice(0, -1) : args).join('');
      return looksLikeReceipt(receipt);
    }
    case 'text':
      return true;
  }
}

/** A bare command word in a private chat, outside a form, where the platform allows it; undefined otherwise. */
function bareCommand(ctx: TurnContext, text: string): Command | undefined {
  if (ctx.inbound.chat.kind !== 'private' || ctx.session.flow !== undefined || !spellingOf(ctx.inbound.platform).bareWords) return undefined;
  const bare = parseBareWord(text);
  if (bare === undefined || refusal(ctx, bare.spec, bare.args) !== undefined || !argumentsFit(ctx, bare.spec, bare.args)) return undefined;
  return { name: bare.spec.name, args: bare.args };
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
  // An update that says where to answer but not what was sent: an apology, nothing read or changed.
  if (ctx.inbound.unreadable === true) return keep(ctx, textReply(ctx.t('errors.unreadable')));
  const draft = ctx.session.flow;
  const stale = draft !== undefined && ctx.flows.get(draft.flowId)?.version !== draft.flowVersion;
  if (stale) {
    const routed = await routeMessage({ ...ctx, session: withoutFlow(ctx.session) });
    return { ...routed, replies: [textReply(ctx.t('flow.restarted', { form: ctx.t(flowTitleKey(draft.flowId)) })), ...routed.replies] };
  }
  // What the session held for this one message (a question held at a step, /ask, a yes/no) is
  // read here and forgotten by whatever the message leads to.
  const { session, pending } = takePending(ctx.session);
  return routeContent({ ...ctx, session }, pending);
}

async function routeContent(ctx: TurnContext, pending: Pending): Promise<TurnResult> {
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
    return question === '' ? keep(ctx, textReply(ctx.t('help.group_intro'))) : answerQuestion(ctx, question);
  }
  if (action !== undefined) {
    const held = resolveHeld(ctx, action, pending.held);
    if (held?.kind === 'answer') return held.result;
    const input: FlowInput = held === undefined ? { kind: 'action', payload: action } : { kind: 'text', text: held.text };
    return (await runDraft(ctx, input)) ?? keep(ctx, startMenu(ctx, [ctx.t('flow.stale_no_draft')]));
  }
  const files = ctx.inbound.attachments ?? [];
  if (files.length > 0) {
    return (await runDraft(ctx, { kind: 'files', files })) ?? keep(ctx, textReply(ctx.t('flow.files_outside_form')));
  }
  const clean = cleanText(raw);
  // A typed answer to the yes/no question just asked runs what its button runs.
  const confirmation = parseCommand(typedConfirmation(clean, pending.confirming) ?? '');
  if (confirmation !== undefined) return runCommand(ctx, confirmation);
  const bare = bareCommand(ctx, clean);
  if (bare !== undefined) return runCommand(ctx, bare);
  const question = questionAtField(ctx, clean, pending.asking);
  if (question !== undefined) return question;
  const drafted = await runDraft(ctx, { kind: 'text', text: raw });
  if (drafted !== undefined) return drafted;
  if (clean === '') return keep(ctx, startMenu(ctx, [ctx.t('menu.empty')]));
  return answerQuestion(ctx, clean);
}
