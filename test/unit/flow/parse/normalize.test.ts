import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, normalizeLine, normalizeText } from '../../../../src/flow/parse/index.js';
import { cleanTextFully } from '../../../../src/flow/parse/normalize.js';
import { hostileString, longString } from '../../../support/parser-arbitraries.js';

const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('normalizeText', () => {
  it.each([
    ['１３８００１３８０００', '13800138000'],
    ['ＡＢＣ＠ｑｑ．ｃｏｍ', 'ABC@qq.com'],
    ['（０５３２）８５９１１８９３', '(0532)85911893'],
    ['a\u3000b', 'a b'],
    ['a\u00A0b', 'a b'],
    ['\u200B1\u200C3\u200D8\uFEFF\u2060', '138'],
    ['\u202Aabc\u202C\u200E\u200F\u2066x\u2069\u061C', 'abcx'],
    ['a\u0000b\u0007c\u007Fd\u0085e', 'abcde'],
    ['line1\r\nline2\rline3', 'line1\nline2\nline3'],
    ['  a  \n\t b \t\n', 'a\nb'],
    ['e\u0301', '\u00E9'],
    ['\uD800abc\uDC00', 'abc'],
    ['😀', '😀'],
    ['主题：科技，创新。顿号、', '主题:科技,创新。顿号、'],
    ['', ''],
    ['\u3000\u200B \n ', ''],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('keeps tabs and single newlines inside the text', () => {
    expect(normalizeText('a\tb\n\nc')).toBe('a\tb\n\nc');
  });

  it('is idempotent on any input', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never leaves invisible, bidi, control characters or lone surrogates', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const out = normalizeText(s);
        expect(out).not.toMatch(INVISIBLE);
        expect(out).not.toMatch(CONTROL);
        expect(out).not.toMatch(LONE);
        expect(out).not.toMatch(/[\uFF01-\uFF5E\u3000\r]/);
        expect(out).toBe(out.normalize('NFC'));
        expect(out).toBe(out.trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('removes every zero-width and bidi character wherever it is inserted', () => {
    const invisible = fc.constantFrom(
      '\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060', '\u200E', '\u200F',
      '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 1 }), fc.array(fc.tuple(fc.nat(), invisible)), (base, inserts) => {
        let s = base;
        for (const [at, c] of inserts) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + c + s.slice(i);
        }
        expect(normalizeText(s)).toBe(normalizeText(base));
      }),
    );
  });

  it('handles 100 KB inputs quickly', () => {
    fc.assert(
      fc.property(longString, (s) => {
        const started = performance.now();
        const out = normalizeText(s);
        expect(out.length).toBeLessThanOrEqual(s.length);
        expect(performance.now() - started).toBeLessThan(500);
      }),
      { numRuns: 20 },
    );
  });
});

describe('normalizeLine', () => {
  it.each([
    ['138   0013\t\t8000', '138 0013 8000'],
    ['  5 \u3000 万元 ', '5 万元'],
    ['a \t b\n  c   d', 'a b\nc d'],
  ])('collapses %j to %j', (input, expected) => {
    expect(normalizeLine(input)).toBe(expected);
  });

  it('is idempotent and never leaves runs of blanks', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const once = normalizeLine(s);
        expect(normalizeLine(once)).toBe(once);
        expect(once).not.toMatch(/[ \t]{2}|\t/);
        expect(normalizeText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('cleanText (prose)', () => {
  it('keeps Chinese punctuation as written and turns full-width digits and letters half-width', () => {
    expect(cleanText('活动面向青少年开放，内容包括：展览（免费）！')).toBe('活动面向青少年开放，内容包括：展览（免费）！');
    expect(cleanText('香港中路１１号　Ａ座')).toBe('香港中路11号 A座');
  });

  it('removes invisible, bidi and control characters and lone surrogates', () => {
    expect(cleanText('a\u200Bb\u202Ec\u0007d\uD800e')).toBe('abcde');
  });

  it('is idempotent and never longer than its input, and normalizeText extends it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const once = cleanText(s);
        expect(cleanText(once)).toBe(once);
        expect(normalizeText(once)).toBe(normalizeText(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe('cleanText shortcut', () => {
  it('gives exactly what every clean-up step gives, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary' }), fc.constantFrom('市南区', ' 张三 ', 'e\u0301', '\u1100\u1161', 'ａｂｃ', 'x\u3000y')), (text) => {
        expect(cleanText(text)).toBe(cleanTextFully(text));
      }),
      { numRuns: 3000 },
    );
  });
});
