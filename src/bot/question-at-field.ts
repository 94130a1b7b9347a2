/**
 * A question asked in the middle of a form. At a step of a draft, a message that reads as a question
 * is answered by the Q&A and the same step is asked again, the draft untouched. Where the message
 * could as well be the step's answer (a project may be named 什么是氢能？), the text is held in the
 * session and two buttons ask which it is. The flow runner never sees a question; it only gets the
 * text when the user says it is the answer.
 */
import { choicesReply, paragraph, type Reply } from '../domain/reply.js';
import type { FlowCursor, FlowState } from '../domain/draft.js';
import type { SessionData } from '../domain/session.js';
import type { FieldSpec, FlowDefinition } from '../flow/define.js';
import { isFilesField } from '../flow/attachments.js';
import { parseNavWord, stepTag } from '../flow/navigation.js';
import { normalizeLine } from '../flow/parse/index.js';
import { currentReplies } from '../flow/runner.js';
import { answerQuestion } from './menu.js';
import type { TurnContext, TurnResult } from './turn.js';

/** What the session held for one message only: cleared by the next message, whatever it is. */
export interface Pending {
  held: SessionData['held'];
  asking: boolean;
  confirming: SessionData['confirming'];
}

/** Splits off what the session held for this message, so that every outcome of it forgets them. */
export function takePending(session: SessionData): { session: SessionData; pending: Pending } {
  const { held, asking, confirming, ...rest } = session;
  return { session: rest, pending: { held, asking: asking === true, confirming } };
}

const ZH_START = /^(?:请问|什么|啥|怎么|怎样|如何|为什么|为啥|哪|几|多少|多久|多大|是否|是不是|能不能|能否|可不可以|可否|要不要|需不需要|有没有|会不会)/u;
// A verb opens a question only before its subject: "May 22-23" is a date and "Will Zhang" a name.
const EN_START = /^(?:(?:what|what's|how|when|where|which|who|whom|whose|why)\b|(?:can|could|do|does|did|is|are|was|were|should|shall|must|may|will|would)\s+(?:i|we|you|it|they|he|she|this|that|these|those|there|the|a|an|my|our|your|its|their)\b)/iu;
const ZH_END = /(?:吗|么|呢|嘛)$/u;

/** True when a message reads as a question: it ends with a question mark, or starts (or ends) with a question word. */
export function looksLikeQuestion(text: string): boolean {
  const line = normalizeLine(text).replace(/[\s。.!！~～]+$/u, '');
  if (line === '') return false;
  return /[？?]$/u.test(line) || ZH_START.test(line) || EN_START.test(line) || ZH_END.test(line);
}

/** The field a step asks: a column inside a row, the group at its row menu, the field itself; none at the summary. */
function fieldAt(flow: FlowDefinition, cursor: FlowCursor): FieldSpec | undefined {
  if (cursor.kind === 'summary') return undefined;
  const field = flow.fields.find((f) => f.id === cursor.fieldId);
  if (cursor.kind === 'field' && field?.repeat !== undefined && cursor.sub !== undefined) {
    return field.repeat.rowFields.find((column) => column.id === cursor.sub);
  }
  return field;
}

/** Longer than this, a message at a text field is more likely a value than a question. */
const QUESTION_LENGTH = 40;

/**
 * How a question-shaped message reads at a step: a question when the step could not take it (the
 * summary, a row menu, a files field, a value its parser refuses) or when it is a short line at a
 * one-line text field and the Q&A knows the topic; either one otherwise (a description may well end
 * with a question mark).
 */
function readAt(ctx: TurnContext, field: FieldSpec | undefined, text: string): 'question' | 'either' {
  if (field === undefined || field.repeat !== undefined || isFilesField(field)) return 'question';
  if (!field.parse(text, ctx.runner).ok) return 'question';
  if (field.kind === 'text' && text.length <= QUESTION_LENGTH && ctx.qa.findTopic(text) !== undefined) return 'question';
  return 'either';
}

/** The draft's flow when it is current, else undefined (the router restarts a stale draft first). */
function draftFlow(ctx: TurnContext): { flow: FlowDefinition; draft: FlowState } | undefined {
  const draft = ctx.session.flow;
  const flow = draft === undefined ? undefined : ctx.flows.get(draft.flowId);
  return draft === undefined || flow === undefined || flow.version !== draft.flowVersion ? undefined : { flow, draft };
}

/** The Q&A's answer, then the step of the draft asked again. */
function answerThenAskAgain(ctx: TurnContext, flow: FlowDefinition, draft: FlowState, question: string): TurnResult {
  const answered = answerQuestion(ctx, question);
  return { data: ctx.session, replies: [...answered.replies, ...currentReplies(flow, draft, ctx.runner)] };
}

/** The two buttons that ask whether a held message is a question or the step's answer. */
function askWhich(ctx: TurnContext, draft: FlowState, text: string): TurnResult {
  const step = stepTag(draft.cursor, draft.draftId);
  const reply: Reply = choicesReply(
    [paragraph(ctx.t('flow.asked.which', { text }))],
    [
      { label: ctx.t('flow.asked.is_question'), payload: `held:ask:${step}`, role: 'option' },
      { label: ctx.t('flow.asked.is_value'), payload: `held:value:${step}`, role: 'option' },
    ],
  );
  return { data: { ...ctx.session, held: { text, step } }, replies: [reply] };
}

/**
 * A typed message at a step of a draft that is a question: answered (and the step asked again) or
 * held with the two buttons. Undefined when it is the step's answer, a navigation word or a paste.
 */
export function questionAtField(ctx: TurnContext, text: string, asking: boolean): TurnResult | undefined {
  const open = draftFlow(ctx);
  if (open === undefined || text.includes('\n') || text.includes('\t') || parseNavWord(text) !== undefined) return undefined;
  if (asking) return answerThenAskAgain(ctx, open.flow, open.draft, text);
  if (!looksLikeQuestion(text)) return undefined;
  if (readAt(ctx, fieldAt(open.flow, open.draft.cursor), text) === 'question') return answerThenAskAgain(ctx, open.flow, open.draft, text);
  return askWhich(ctx, open.draft, text);
}

/**
 * A press of one of the two buttons: `answer` with the Q&A's result, or `value` with the held text
 * for the draft to take as its answer. Undefined when the payload is not one of them; a press on a
 * step that has moved on (or with nothing held) is told so.
 */
export function resolveHeld(
  ctx: TurnContext,
  payload: string,
  held: SessionData['held'],
): { kind: 'answer'; result: TurnResult } | { kind: 'value'; text: string } | undefined {
  const match = /^held:(ask|value):(.+)$/u.exec(payload);
  if (match === null) return undefined;
  const open = draftFlow(ctx);
  if (open === undefined || held === undefined || held.step !== match[2] || stepTag(open.draft.cursor, open.draft.draftId) !== held.step) {
    const stale: TurnResult = { data: ctx.session, replies: open === undefined ? [] : currentReplies(open.flow, open.draft, ctx.runner) };
    stale.replies.unshift({ kind: 'text', blocks: [paragraph(`✗ ${ctx.t('flow.stale_button')}`)] });
    return { kind: 'answer', result: stale };
  }
  if (match[1] === 'value') return { kind: 'value', text: held.text };
  return { kind: 'answer', result: answerThenAskAgain(ctx, open.flow, open.draft, held.text) };
}

/** `/ask` with no question while a draft is open: the next message is a question, whatever it reads like. */
export function startAsking(ctx: TurnContext): SessionData {
  return ctx.session.flow === undefined ? ctx.session : { ...ctx.session, asking: true };
}
