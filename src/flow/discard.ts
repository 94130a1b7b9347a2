/**
 * 取消 with something to lose asks first: at the summary, or when the draft holds answers, the user
 * confirms (确认放弃) or goes on (继续填写); an empty draft is dropped at once. The question is kept
 * in the draft (`discarding`), so the next message answers it, whatever the platform; anything
 * else than an answer to it drops the question and is handled as usual.
 */
import { choicesReply, paragraph, textReply } from '../domain/reply.js';
import type { FlowDefinition } from './define.js';
import { parseNavWord, stepTag } from './navigation.js';
import { normalizeLine } from './parse/index.js';
import { currentReplies, type FlowInput, type FlowOutcome, type RunnerContext } from './runner-core.js';
import type { FlowState } from '../domain/draft.js';

const DISCARD_WORDS = new Set(['确认放弃', '放弃草稿', 'discard', 'discard it']);
const KEEP_WORDS = new Set(['继续填写', '继续', 'keep', 'keep filling in', 'continue', 'go on']);

/** The fields the draft holds an answer to. */
export function answeredCount(state: FlowState): number {
  return Object.values(state.values).filter((value) => value !== null && !(Array.isArray(value) && value.length === 0)).length;
}

/** Whether the draft holds nothing to lose: no answer but, in a new draft, the district (a remembered one is filled in at the start). */
function isEmpty(flow: FlowDefinition, state: FlowState): boolean {
  const district = flow.districtField !== undefined && state.target.kind === 'new' && state.values[flow.districtField] !== undefined ? 1 : 0;
  return answeredCount(state) - district <= 0;
}

/** The button payload of an answer to the question: a navigation payload at the step, marked `x.`. */
function answerPayload(state: FlowState, verb: 'yes' | 'no'): string {
  return `nav:${verb}:x.${stepTag(state.cursor, state.draftId)}`;
}

/** 取消: drops an empty draft, asks first when there is something to lose. */
export function askDiscard(flow: FlowDefinition, state: FlowState, ctx: RunnerContext): FlowOutcome {
  const count = answeredCount(state);
  if (isEmpty(flow, state) && state.cursor.kind !== 'summary') return { kind: 'cancelled', replies: [textReply(ctx.t('flow.cancelled'))] };
  const asked: FlowState = { ...state, discarding: true };
  const question = choicesReply(
    [paragraph(ctx.t('flow.discard.question', { count }))],
    [
      { label: ctx.t('flow.discard.yes'), payload: answerPayload(state, 'yes'), role: 'option' },
      { label: ctx.t('flow.discard.no'), payload: answerPayload(state, 'no'), role: 'option' },
    ],
  );
  return { kind: 'continue', state: asked, replies: [question] };
}

/** The draft without the question. */
export function withoutDiscarding(state: FlowState): FlowState {
  const { discarding: _asked, ...rest } = state;
  return rest;
}

/** What the input says to the question: discard, keep, or neither (undefined). */
function answerOf(state: FlowState, input: FlowInput): 'discard' | 'keep' | 'ask' | undefined {
  if (input.kind === 'action') {
    if (input.payload === answerPayload(state, 'yes')) return 'discard';
    if (input.payload === answerPayload(state, 'no')) return 'keep';
    return undefined;
  }
  if (input.kind !== 'text') return undefined;
  const word = normalizeLine(input.text).toLowerCase().replace(/[。.!！？?]+$/u, '');
  if (DISCARD_WORDS.has(word)) return 'discard';
  if (KEEP_WORDS.has(word)) return 'keep';
  const nav = parseNavWord(word);
  if (nav?.kind === 'yes') return 'discard';
  if (nav?.kind === 'no' || nav?.kind === 'back') return 'keep';
  if (nav?.kind === 'cancel') return 'ask';
  return undefined;
}

/** Answers the question when the input is an answer to it; undefined lets the input be handled as usual. */
export function stepDiscard(flow: FlowDefinition, state: FlowState, input: FlowInput, ctx: RunnerContext): FlowOutcome | undefined {
  const kept = withoutDiscarding(state);
  switch (answerOf(state, input)) {
    case 'discard':
      return { kind: 'cancelled', replies: [textReply(ctx.t('flow.cancelled'))] };
    case 'keep':
      return { kind: 'continue', state: kept, replies: [textReply(ctx.t('flow.discard.kept')), ...currentReplies(flow, kept, ctx)] };
    case 'ask':
      return askDiscard(flow, kept, ctx);
    case undefined:
      return undefined;
  }
}
