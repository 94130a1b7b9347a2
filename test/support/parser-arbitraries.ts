/**
 * Shared fast-check arbitraries for the parser tests: hostile strings (any code point, lone
 * surrogates, invisible and bidi characters, characters the parsers care about) and helpers that
 * dress a valid value up the way users type it (full-width digits, ideographic spaces).
 */
import fc from 'fast-check';

/** Characters every parser treats specially, mixed with the invisible ones pasted from Word. */
const TRICKY = [
  ...'0123456789０１２３４５６７８９',
  ...'一二两三四五六七八九十百千万亿零〇壹贰叁伍拾佰仟点',
  ...'年月日号周星期至到转分机ext.x:：-–—~～/（）()+＠@。，,、 \t\n\r',
  ...'元块¥￥人余多约左右万wkmayjunedec',
  '\u200B', '\u200E', '\u202E', '\u2066', '\uFEFF', '\u3000', '\u00A0', '\u0000', '\u0085', '\uD800', '\uDC00',
];

/** One UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Strings that exercise the parsers beyond their happy paths. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: codeUnit }),
  fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 40 }),
);

/** Long inputs (up to ~100 KB) that must be refused quickly, never parsed slowly. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('1', '5万', '0532-', '2021年5月22日', '1 \u200B', 'a@b.cn', '-', '９'),
    fc.integer({ min: 700, max: 100_000 }),
  )
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)));

/** Replaces each ASCII digit by its full-width form where `mask` says so. */
export function widen(text: string, mask: readonly boolean[]): string {
  return [...text].map((c, i) => (mask[i % Math.max(mask.length, 1)] === true && /\d/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
}

/** An arbitrary that maybe widens digits of the strings produced by `arb`. */
export function maybeWide(arb: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(arb, fc.array(fc.boolean(), { maxLength: 8 })).map(([text, mask]) => widen(text, mask));
}

/** Spaces users put between parts: nothing, spaces, an ideographic space, a tab. */
export const gap: fc.Arbitrary<string> = fc.constantFrom('', ' ', '  ', '\u3000', '\t', ' \u200B');

/** Optional surrounding whitespace and invisible characters, as pasted from Word. */
export const padding: fc.Arbitrary<string> = fc.constantFrom('', ' ', '\u3000', '\uFEFF', '\n', ' \u200B', '\u202A');

/** A run of `count` random decimal digits. */
export function digits(count: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 9 }), { minLength: count, maxLength: count }).map((d) => d.join(''));
}
