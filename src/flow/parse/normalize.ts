/**
 * Text clean-up shared by every parser. Answers are often pasted from Word, WeChat or a PDF and
 * carry full-width digits, ideographic spaces, invisible joiners and direction marks that look
 * like nothing on screen but break any comparison or pattern.
 */

// Lone surrogates (a high one not followed by a low one, or a low one not preceded by a high one).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
// No-break, en/em/thin/hair, narrow no-break, medium mathematical and ideographic spaces.
const SPACE_LIKE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const LINE_SEPARATORS = /[\u2028\u2029]/g;
// Zero-width chars, soft hyphen, invisible operators, BOM and every bidi control (ALM, LRM, RLM,
// LRE…RLO, LRI…PDI).
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// C0 and C1 controls except \t and \n (\r is turned into \n before this runs).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const SPACE_RUN = /[ \t]+/g;

function toHalfWidth(c: string): string {
  return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
}

/**
 * Cleans prose (names, addresses, descriptions) without changing how it reads: full-width digits
 * and Latin letters become half-width, Unicode spaces a plain space; invisible, bidi and control
 * characters and lone surrogates are removed; line ends become `\n`; NFC; each line and the whole
 * are trimmed. Chinese punctuation (，：；（）！？。、) is kept as the user wrote it. Idempotent.
 */
export function cleanText(input: string): string {
  const cleaned = input
    .replace(LONE_SURROGATE, '')
    .replace(/\r\n?/g, '\n')
    .replace(LINE_SEPARATORS, '\n')
    .replace(FULL_WIDTH_ALNUM, toHalfWidth)
    .replace(SPACE_LIKE, ' ')
    .replace(INVISIBLE, '')
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
