/**
 * The grapheme helpers every count and cut of user text goes through: a ZWJ family, a rainbow flag,
 * country and subdivision flags, skin tones, keycaps and letters with combining marks are one
 * character each and are never cut apart — also across the windows the text is segmented in, and
 * whatever the text (checked against Intl.Segmenter on random strings).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipGraphemes, cutText, graphemeCount, graphemes, hasMoreGraphemes } from '../../../src/kernel/graphemes.js';
import { CHINA, CODER, FAMILY, KEYCAP, KISS, RAINBOW, SCOTLAND, THUMB } from '../../support/emoji.js';

const MARKED = 'e\u0301\u0302';
const CLUSTERS = [FAMILY, RAINBOW, CHINA, SCOTLAND, THUMB, CODER, KEYCAP, MARKED, KISS, '青', 'a', '\r\n'];

/** Segments text in one go, as the reference. */
function reference(text: string): string[] {
  return [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
}

/** Text made of the sample clusters. */
const clusterText = fc.array(fc.constantFrom(...CLUSTERS), { maxLength: 400 }).map((parts) => parts.join(''));

describe('graphemes', () => {
  it('reads each emoji sequence, flag, skin tone, keycap and marked letter as one character', () => {
    for (const cluster of CLUSTERS) expect([...graphemes(cluster)], JSON.stringify(cluster)).toEqual([cluster]);
    const text = CLUSTERS.join('');
    expect([...graphemes(text)]).toEqual(CLUSTERS);
    expect(graphemeCount(text)).toBe(CLUSTERS.length);
    expect(graphemeCount(`${CHINA}${CHINA}`)).toBe(2);
  });

  it('segments long text window by window exactly as one pass does, a cluster longer than a window included', () => {
    const families = FAMILY.repeat(300);
    expect(families.length).toBeGreaterThan(2048);
    expect([...graphemes(families)]).toEqual(reference(families));
    const marks = `x${'e'}${'\u0301'.repeat(3000)}y`;
    expect([...graphemes(marks)]).toEqual(['x', `e${'\u0301'.repeat(3000)}`, 'y']);
    const flags = `a${'🇨🇳🇺🇸'.repeat(200)}`;
    expect([...graphemes(flags)]).toEqual(reference(flags));
  });

  it('agrees with Intl.Segmenter on any text, and joined gives the text back', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 1500 }),
      fc.string({ unit: 'grapheme', maxLength: 1500 }),
      clusterText,
      fc.string({ unit: fc.constantFrom('青', '岛', '，', '。', 'a', ' ', '\n', '\r', '\u0301', '\u200D', '\uFE0F', '\u3099', '\uFF9E', '😀', '\u302A'), maxLength: 1500 }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const clusters = [...graphemes(text)];
        expect(clusters).toEqual(reference(text));
        expect(clusters.join('')).toBe(text);
        expect(graphemeCount(text)).toBe(clusters.length);
      }),
      { numRuns: 300 },
    );
  });

  it('counts up to a bound and tells text over a limit', () => {
    expect(graphemeCount(FAMILY.repeat(50), 10)).toBe(11);
    expect(graphemeCount('海'.repeat(50), 10)).toBe(11);
    expect(hasMoreGraphemes(FAMILY.repeat(10), 10)).toBe(false);
    expect(FAMILY.repeat(10).length).toBeGreaterThan(10);
    expect(hasMoreGraphemes(FAMILY.repeat(11), 10)).toBe(true);
    expect(hasMoreGraphemes('abc', 3)).toBe(false);
  });
});

describe('clipGraphemes', () => {
  it('keeps whole clusters, at most so many and within the units', () => {
    expect(clipGraphemes(`${FAMILY}${RAINBOW}${CHINA}`, 2)).toBe(`${FAMILY}${RAINBOW}`);
    expect(clipGraphemes(`${FAMILY}${RAINBOW}`, 5, FAMILY.length + 1)).toBe(FAMILY);
    expect(clipGraphemes(`${MARKED}abc`, 2)).toBe(`${MARKED}a`);
    expect(clipGraphemes('short', 10)).toBe('short');
  });

  it('never ends inside a cluster', () => {
    fc.assert(
      fc.property(clusterText, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 200 }), (text, max, units) => {
        const clipped = clipGraphemes(text, max, units);
        expect(text.startsWith(clipped)).toBe(true);
        expect(clipped.length).toBeLessThanOrEqual(units);
        expect(graphemeCount(clipped)).toBeLessThanOrEqual(max);
        expect(reference(text).slice(0, reference(clipped).length).join('')).toBe(clipped);
      }),
      { numRuns: 300 },
    );
  });
});

describe('cutText', () => {
  it('cuts between clusters only, under the limit in UTF-16 units, losing nothing', () => {
    fc.assert(
      fc.property(clusterText, fc.integer({ min: 14, max: 500 }), (text, max) => {
        const pieces = cutText(text, max);
        expect(pieces.join('')).toBe(text);
        const boundaries = new Set<number>([0]);
        let offset = 0;
        for (const cluster of reference(text)) boundaries.add((offset += cluster.length));
        let cut = 0;
        for (const piece of pieces) {
          expect(piece.length).toBeLessThanOrEqual(max);
          cut += piece.length;
          expect(boundaries.has(cut), `a cut at ${cut}`).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a family whole at a piece boundary and an entity whole, and cuts only a cluster longer than a piece', () => {
    expect(cutText(`ab${FAMILY}`, 11)).toEqual(['ab', FAMILY]);
    expect(cutText(`ab&amp;${FAMILY}`, 12, /&amp;/)).toEqual(['ab&amp;', FAMILY]);
    const huge = `e${'\u0301'.repeat(30)}`;
    const pieces = cutText(huge, 10);
    expect(pieces.join('')).toBe(huge);
    expect(pieces.every((piece) => piece.length <= 10)).toBe(true);
  });
});
