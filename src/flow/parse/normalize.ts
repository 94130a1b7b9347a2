/**
 * Text clean-up shared by every parser. Answers are often pasted from Word, WeChat or a PDF and
 * carry full-width digits, ideographic spaces, invisible joiners and direction marks that look
 * like nothing on screen but break any comparison or pattern.
 */

import { clipGraphemes } from '../../kernel/graphemes.js';

// Lone surrogates (a high one not followed by a low one, or a low one not preceded by a high one).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
// No-break, en/em/thin/hair, narrow no-break, medium mathematical and ideographic spaces.
const SPACE_LIKE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const LINE_SEPARATORS = /[\u2028\u2029]/g;
// Zero-width chars, soft hyphen, invisible operators, BOM and every bidi control (ALM, LRM, RLM,
// LRE…RLO, LRI…PDI). The zero-width joiner is not among them: see STRAY_JOINER.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// A zero-width joiner that does not join two emoji. Between them it is part of one emoji sequence
// (👨‍👩‍👧‍👦, 🏳️‍🌈, 👩🏽‍💻: a pictograph, maybe its variation selector or skin tone, U+200D, the next
// pictograph) and is kept; anywhere else it is invisible and goes (`青\u200D岛` → `青岛`).
const STRAY_JOINER = /(?<!\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
// C0 and C1 controls except \t and \n (\r is turned into \n before this runs).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const SPACE_RUN = /[ \t]+/g;
// Any character one of the clean-up steps above would change, \r and \n included. Most answers
// have none, are already NFC, and are only trimmed (see cleanText).
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u001F\u007F-\u00A0\u00AD\u061C\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\uD800-\uDFFF\uFEFF\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/;

function toHalfWidth(c: string): string {
  return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
}

/**
 * Cleans prose (names, addresses, descriptions) without changing how it reads: full-width digits
 * and Latin letters become half-width, Unicode spaces a plain space; invisible, bidi and control
 * characters and lone surrogates are removed (the joiners inside emoji sequences and the variation
 * selectors are kept, so 👨‍👩‍👧‍👦 stays one emoji); line ends become `\n`; NFC; each line and the whole
 * are trimmed. Chinese punctuation (，：；（）！？。、) is kept as the user wrote it. Idempotent.
 */
export function cleanText(input: string): string {
  if (!NEEDS_CLEANING.test(input) && input.normalize('NFC') === input) return input.trim();
  return cleanTextFully(input);
}

/** {@link cleanText} without its shortcut, every step run (exported for the test that compares them). */
export function cleanTextFully(input: string): string {
  const cleaned = input
    .replace(LONE_SURROGATE, '')
    .replace(/\r\n?/g, '\n')
    .replace(LINE_SEPARATORS, '\n')
    .replace(FULL_WIDTH_ALNUM, toHalfWidth)
    .replace(SPACE_LIKE, ' ')
    .replace(INVISIBLE, '')
    .replace(STRAY_JOINER, '')
    .replace(CONTROL, '')
    .normalize('NFC');
  return cleaned
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
}

/**
 * {@link cleanText} plus every full-width ASCII form (U+FF01–FF5E, so also `，：；（）`) turned
 * half-width: for answers that are read as data (phone numbers, amounts, dates, e-mail), where
 * `（0532）８５９１１８９３` must read as `(0532)85911893`. Idempotent.
 */
export function normalizeText(input: string): string {
  return cleanText(input).replace(FULL_WIDTH_ASCII, toHalfWidth);
}

/**
 * {@link normalizeText} for one-line answers (phone numbers, amounts, dates): additionally turns
 * every run of spaces and tabs into one space, so patterns only ever see single spaces. Idempotent.
 */
export function normalizeLine(input: string): string {
  return normalizeText(input).replace(SPACE_RUN, ' ');
}

/**
 * Replaces every lone surrogate with U+FFFD. Text that reaches a platform or a file must be valid
 * UTF-16 (so its UTF-8 is too): what users typed is cleaned by {@link cleanText}, but names and echoes
 * that are shown as given go through this before they are sent.
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A person's name as their platform gives it, safe to keep and to show: one line, no invisible, bidi
 * or control characters (no RTL override turning `Bob\u202Egnp.exe` around), at most 64 characters
 * (grapheme clusters, never cut inside one; and at most 256 UTF-16 units); undefined when nothing is left.
 */
export function cleanDisplayName(name: string): string | undefined {
  const cleaned = clipGraphemes(cleanText(name).replace(/\s+/g, ' '), 64, 256).trim();
  return cleaned === '' ? undefined : cleaned;
}

/**
 * A file name as a user's client gave it, safe to keep, show and export: its last path segment only
 * (`../../etc/passwd` → `passwd`, `C:\x\a.jpg` → `a.jpg`), one line, no NUL, invisible, bidi or control
 * characters, at most 200 characters (grapheme clusters, and at most 800 UTF-16 units); undefined
 * when nothing usable is left (``, `.`, `..`). It is never used as a path: stored files stay on the
 * platform, exports are named from ids only.
 */
export function cleanFileName(name: string): string | undefined {
  const base = cleanText(name).replace(/\s+/g, ' ').split(/[\\/]/).pop() ?? '';
  const cleaned = clipGraphemes(base.trim(), 200, 800);
  return cleaned === '' || /^\.+$/.test(cleaned) ? undefined : cleaned;
}

/** Cutting text under a platform's limit lives with the other grapheme helpers. */
export { cutText } from '../../kernel/graphemes.js';
