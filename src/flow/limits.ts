/**
 * Size limits of a draft, of one message and of a question. Every field has its own limit (text lengths, rows,
 * files), so a draft is bounded by its flow; these are the safety net over all of them, checked in
 * one place (the router, after each step): a step that would make the draft larger than
 * {@link MAX_DRAFT_BYTES}, or give a repeating group more rows than allowed, is refused with the
 * reason and the draft stays as it was — nothing already entered is lost.
 */
import type { Translate } from '../kernel/i18n.js';
import { textReply, type Reply } from '../domain/reply.js';
import type { FlowDefinition } from './define.js';
import { rowsOf } from './repeat.js';
import { currentReplies, type RunnerContext } from './runner-core.js';
import type { FlowState } from '../domain/draft.js';
import { utf8Length } from '../kernel/utf8.js';
import { graphemeCount, hasMoreGraphemes } from '../kernel/graphemes.js';

/**
 * The largest draft kept, as UTF-8 JSON. The largest the shipped forms allow is a 附件3 of 30 rows,
 * every cell at its longest in Chinese (about 85 KB); 128 KB leaves room and still keeps a session a
 * small Redis value.
 */
export const MAX_DRAFT_BYTES = 128 * 1024;

/** The most rows a repeating group holds, whatever its flow says (附件3 asks for 30 at most). */
export const MAX_ROWS_PER_GROUP = 200;

/**
 * The longest message read, in characters (grapheme clusters: an emoji sequence or a letter with its
 * marks is one). Slack's own limit is 40,000 and Telegram's 4,096; a whole 附件3 table pasted at once
 * is about 26,000. Longer ones (a console line, a bad client) are refused before any parsing; the
 * flow reads one of this length in well under a second.
 */
export const MAX_MESSAGE_CHARS = 200_000;

/**
 * The longest question the Q&A reads, in characters (grapheme clusters) — a question is a line or
 * two. Matching grows with the square of the length (100,000 Chinese characters take half a minute,
 * 4,000 up to 0.2 s, 2,000 about 50 ms), so a longer "question" (a document pasted outside a form) is
 * refused unread rather than holding up everyone.
 */
export const MAX_QUESTION_CHARS = 2_000;

/**
 * Text is also bounded in UTF-16 units, at 16 per character allowed (the longest emoji in use, a
 * subdivision flag, takes 14): what the parsers and the Q&A cost grows with the units, and a few
 * characters can carry thousands of them (combining marks piled on one letter). Such a text is refused
 * with its length in units.
 */
const UNITS_PER_CHAR = 16;

/** Why a draft is over a limit. */
export type DraftLimitProblem =
  | { kind: 'too-large'; bytes: number; maxBytes: number }
  | { kind: 'too-many-rows'; fieldId: string; rows: number; maxRows: number };

/** The size of a draft as stored (UTF-8 JSON). */
export function draftBytes(state: FlowState): number {
  return utf8Length(JSON.stringify(state));
}

/** The first limit a draft is over, or undefined when it is within all of them. */
export function draftLimitProblem(flow: FlowDefinition, state: FlowState): DraftLimitProblem | undefined {
  for (const field of flow.fields) {
    if (field.repeat === undefined) continue;
    const maxRows = Math.min(field.repeat.maxRows, MAX_ROWS_PER_GROUP);
    const rows = rowsOf(state.values[field.id]).length;
    if (rows > maxRows) return { kind: 'too-many-rows', fieldId: field.id, rows, maxRows };
  }
  const json = JSON.stringify(state);
  // A UTF-16 unit is at most 3 UTF-8 bytes: most drafts are far below the limit without counting.
  if (json.length * 3 <= MAX_DRAFT_BYTES) return undefined;
  const bytes = utf8Length(json);
  return bytes > MAX_DRAFT_BYTES ? { kind: 'too-large', bytes, maxBytes: MAX_DRAFT_BYTES } : undefined;
}

/** The reason, in the user's language. */
export function draftLimitText(problem: DraftLimitProblem, t: Translate): string {
  return problem.kind === 'too-many-rows'
    ? t('limits.too_many_rows', { max: problem.maxRows })
    : t('limits.draft_too_large', { maxKb: Math.floor(problem.maxBytes / 1024) });
}

/**
 * Checks the draft a step produced. Over a limit: the reason and the question the draft was at
 * before the step (the caller keeps that draft); within: undefined.
 */
export function refuseOverLimit(flow: FlowDefinition, before: FlowState, after: FlowState, ctx: RunnerContext): Reply[] | undefined {
  const problem = draftLimitProblem(flow, after);
  if (problem === undefined) return undefined;
  return [textReply(`✗ ${draftLimitText(problem, ctx.t)}`), ...currentReplies(flow, before, ctx)];
}

/** The length of a text over `max` characters (or its units), to tell the user; undefined when it is within. */
export function lengthOver(text: string, max: number): number | undefined {
  if (text.length <= max) return undefined;
  if (text.length > max * UNITS_PER_CHAR) return text.length;
  return hasMoreGraphemes(text, max) ? graphemeCount(text) : undefined;
}

/** The refusal of a message longer than {@link MAX_MESSAGE_CHARS}, or undefined when it is not. */
export function refuseLongMessage(text: string | undefined, t: Translate): Reply | undefined {
  const length = text === undefined ? undefined : lengthOver(text, MAX_MESSAGE_CHARS);
  return length === undefined ? undefined : textReply(t('limits.message_too_long', { length, max: MAX_MESSAGE_CHARS }));
}

/** The refusal of a question longer than {@link MAX_QUESTION_CHARS}, or undefined when it is not. */
export function refuseLongQuestion(question: string, t: Translate): Reply | undefined {
  const length = lengthOver(question, MAX_QUESTION_CHARS);
  return length === undefined ? undefined : textReply(t('limits.question_too_long', { length, max: MAX_QUESTION_CHARS }));
}
