/**
 * User text counted and cut as people see it: by grapheme cluster (Intl.Segmenter), so a family
 * emoji (👨‍👩‍👧‍👦, seven code points joined by U+200D), a flag (two regional indicators), a skin tone
 * or a letter with combining marks counts as one character and is never cut apart. Every length limit
 * on what users type, every cut of a long message under a platform's limit and every shortened name
 * goes through here.
 *
 * V8's segmenter slows down with the square of the string's length (48,000 characters take half a
 * second), so text is segmented a window at a time, each ending between code points: each window's
 * last cluster may go on past the window, so it is read again at the start of the next one. Whether a
 * cluster starts somewhere depends only on what comes before and on the one character after, so every
 * other boundary of a window is final.
 */

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** UTF-16 units segmented at once; a cluster longer than a window widens it. */
const WINDOW_UNITS = 512;

/**
 * Text in which every UTF-16 unit is a cluster of its own: Latin and other alphabets before the
 * combining marks (no CR, which pairs with LF), CJK punctuation (without its combining tone marks),
 * the CJK ideographs and the full-width forms (without the kana sound marks). Most Chinese answers
 * are only this, and need no segmenter.
 */
// eslint-disable-next-line no-control-regex
const ONE_UNIT_EACH = /^[\u0000-\u000c\u000e-\u02ff\u3000-\u3029\u3030-\u303f\u4e00-\u9fff\uff00-\uff9d]*$/;

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** The grapheme clusters of `text`, in order; joined, they are the text. */
export function* graphemes(text: string): Generator<string> {
  if (ONE_UNIT_EACH.test(text)) {
    for (let i = 0; i < text.length; i += 1) yield text.charAt(i);
    return;
  }
  let start = 0;
  let width = WINDOW_UNITS;
  while (start < text.length) {
    let end = Math.min(text.length, start + width);
    // A window ends between code points: the last character of a window is always whole.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    const window = text.slice(start, end);
    if (end === text.length) {
      for (const { segment } of segmenter.segment(window)) yield segment;
      return;
    }
    let pending: string | undefined;
    let taken = 0;
    for (const { segment } of segmenter.segment(window)) {
      if (pending !== undefined) {
        yield pending;
        taken += pending.length;
      }
      pending = segment;
    }
    if (taken === 0) width *= 2;
    else {
      start += taken;
      width = WINDOW_UNITS;
    }
  }
}

/**
 * The number of grapheme clusters of `text`. With `atMost`, counting stops past it (the answer is
 * then `atMost + 1`): enough to tell that a text is over a limit without reading all of it.
 */
export function graphemeCount(text: string, atMost = Number.POSITIVE_INFINITY): number {
  if (ONE_UNIT_EACH.test(text)) return Math.min(text.length, atMost + 1);
  let count = 0;
  for (const _ of graphemes(text)) {
    count += 1;
    if (count > atMost) break;
  }
  return count;
}

/** True when `text` has more than `max` grapheme clusters. */
export function hasMoreGraphemes(text: string, max: number): boolean {
  return text.length > max && graphemeCount(text, max) > max;
}

/**
 * The longest start of `text` made of whole clusters: at most `maxGraphemes` of them and at most
 * `maxUnits` UTF-16 units (a bound on storage when one cluster carries hundreds of combining marks).
 */
export function clipGraphemes(text: string, maxGraphemes: number, maxUnits = Number.POSITIVE_INFINITY): string {
  if (text.length <= maxGraphemes && text.length <= maxUnits) return text;
  let units = 0;
  let count = 0;
  for (const cluster of graphemes(text)) {
    if (count + 1 > maxGraphemes || units + cluster.length > maxUnits) break;
    units += cluster.length;
    count += 1;
  }
  return text.slice(0, units);
}

/** Cuts text into pieces of at most `maxUnits` UTF-16 units between code points (for a cluster longer than a piece). */
function cutCodePoints(text: string, maxUnits: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const point of text) {
    if (current.length + point.length > maxUnits && current !== '') {
      pieces.push(current);
      current = '';
    }
    current += point;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/** The text as clusters, with each match of `atom` kept as one token. */
function tokensOf(text: string, atom: RegExp | undefined): string[] {
  if (atom === undefined) return [...graphemes(text)];
  const tokens: string[] = [];
  let from = 0;
  for (const match of text.matchAll(new RegExp(atom.source, 'gu'))) {
    if (match[0] === '') continue;
    tokens.push(...graphemes(text.slice(from, match.index)), match[0]);
    from = match.index + match[0].length;
  }
  tokens.push(...graphemes(text.slice(from)));
  return tokens;
}

/**
 * Cuts text into pieces of at most `maxUnits` UTF-16 code units (the unit Telegram and Slack count)
 * between grapheme clusters, and without cutting a match of `atom` (an HTML entity, a link in
 * markup). Only a cluster or a match longer than a whole piece is cut, between code points. Joined,
 * the pieces are the text.
 */
export function cutText(text: string, maxUnits: number, atom?: RegExp): string[] {
  if (text.length <= maxUnits) return [text];
  const pieces: string[] = [];
  let current = '';
  for (const token of tokensOf(text, atom)) {
    if (current.length + token.length > maxUnits && current !== '') {
      pieces.push(current);
      current = '';
    }
    if (token.length > maxUnits) {
      // Longer than a whole piece: cut by code points; its last part starts the next piece.
      const parts = cutCodePoints(token, maxUnits);
      current = parts.pop() ?? '';
      pieces.push(...parts);
      continue;
    }
    current += token;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
