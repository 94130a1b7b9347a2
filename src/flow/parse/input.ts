/**
 * The first steps every single-line parser takes: clean the text, reject empty and over-long
 * answers with the parser's own codes, and peel off labels and decorations users add around the
 * value ("电话：", "约", "元", "左右"). Kept apart so each parser stays a short pipeline.
 */
import { hasMoreGraphemes } from '../../kernel/graphemes.js';
import { normalizeLine } from './normalize.js';
import { fail, type ParseFailure } from './result.js';

/** The default cap on a cleaned answer; longer ones are refused before any pattern runs. */
export const MAX_INPUT_LENGTH = 200;

/** Raw inputs above this many UTF-16 units are refused without even being cleaned. */
const MAX_RAW_FACTOR = 10;

/** A cleaned answer ready for a parser, or the reason it cannot be one. */
export type PreparedInput = { ok: true; text: string } | ParseFailure;

/**
 * Cleans `input` with {@link normalizeLine} and checks it: `<kind>.empty` when nothing is left,
 * `<kind>.too_long` (param `max`) when longer than `maxLength` characters (grapheme clusters).
 * Parsers call this first so that no pattern ever runs on a 100 KB paste; very long raw input (in
 * UTF-16 units) is refused before it is even cleaned.
 */
export function prepareInput(input: string, kind: string, maxLength = MAX_INPUT_LENGTH): PreparedInput {
  if (typeof input !== 'string') return fail(`${kind}.empty`);
  if (input.length > maxLength * MAX_RAW_FACTOR) return fail(`${kind}.too_long`, { max: maxLength });
  const text = normalizeLine(input);
  if (text === '') return fail(`${kind}.empty`);
  if (hasMoreGraphemes(text, maxLength)) return fail(`${kind}.too_long`, { max: maxLength });
  return { ok: true, text };
}

// A short label such as "电话:", "联系电话 :", "Email:" or "mailto:" (full-width colons are already
// half-width here). Letters and Han only, so times ("9:00") and URLs' digits never match.
const LABEL = /^[\p{Script=Han}a-z -]{1,12}:\s*/iu;

/** Removes one leading "label:" users copy from a form ("联系电话：0532-…", "邮箱:…"). */
export function stripLabel(text: string): string {
  return text.replace(LABEL, '');
}

/**
 * Repeatedly removes any of `prefixes` from the start and `suffixes` from the end (with the
 * spaces next to them), e.g. "约 5 万元左右" → "5 万". Matching is exact, so callers pass
 * lower-cased text and lower-case affixes; longer affixes should come first.
 */
export function stripAffixes(text: string, prefixes: readonly string[], suffixes: readonly string[]): string {
  let s = text;
  for (let round = 0; round < 8; round++) {
    const before = s;
    for (const p of prefixes) if (s.startsWith(p)) s = s.slice(p.length).trimStart();
    for (const x of suffixes) if (s.endsWith(x)) s = s.slice(0, s.length - x.length).trimEnd();
    if (s === before) break;
  }
  return s;
}
