import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInteger, parsePositiveInteger } from '../../../../src/flow/parse/index.js';
import { gap, hostileString, longString, maybeWide, padding } from '../../../support/parser-arbitraries.js';

const CODES = new Set([
  'integer.empty', 'integer.too_long', 'integer.invalid', 'integer.range_given', 'integer.not_whole', 'integer.too_small', 'integer.too_large',
]);
const BOUNDS = { max: 1_000_000 };

describe('parsePositiveInteger examples', () => {
  it.each([
    ['300', 300],
    ['约300人', 300],
    ['300人左右', 300],
    ['大约 300 人', 300],
    ['三百人', 300],
    ['三百五十人', 350],
    ['三百五', 350],
    ['两千人次', 2000],
    ['一百零五人', 105],
    ['十二场', 12],
    ['1,200', 1200],
    ['1.2万人', 12000],
    ['1.2万人次', 12000],
    ['300余人', 300],
    ['300多人', 300],
    ['300人以上', 300],
    ['超过300人', 300],
    ['近300人', 300],
    ['３００人', 300],
    ['预计参与人数：300人', 300],
    ['3.0', 3],
    ['1', 1],
    ['1000000', 1_000_000],
  ])('accepts %j as %d', (input, expected) => {
    expect(parsePositiveInteger(input, BOUNDS)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'integer.empty'],
    ['人', 'integer.invalid'],
    ['很多人', 'integer.invalid'],
    ['300 400', 'integer.invalid'],
    ['3O0', 'integer.invalid'],
    ['200-300人', 'integer.range_given'],
    ['200~300', 'integer.range_given'],
    ['200至300人', 'integer.range_given'],
    ['200到300人', 'integer.range_given'],
    ['两三百人', 'integer.range_given'],
    ['五六十人', 'integer.range_given'],
    ['3.5', 'integer.not_whole'],
    ['1.23456万', 'integer.not_whole'],
  ])('rejects %j with %s', (input, code) => {
    const r = parsePositiveInteger(input, BOUNDS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(code);
  });

  it('checks the bounds and names them', () => {
    expect(parsePositiveInteger('0', BOUNDS)).toEqual({ ok: false, error: 'integer.too_small', params: { min: 1 } });
    expect(parsePositiveInteger('-5', BOUNDS)).toEqual({ ok: false, error: 'integer.too_small', params: { min: 1 } });
    expect(parsePositiveInteger('0', { min: 0, max: 10 })).toEqual({ ok: true, value: 0 });
    expect(parsePositiveInteger('5', { min: 10, max: 100 })).toEqual({ ok: false, error: 'integer.too_small', params: { min: 10 } });
    expect(parsePositiveInteger('101', { max: 100 })).toEqual({ ok: false, error: 'integer.too_large', params: { max: 100 } });
    expect(parsePositiveInteger('1' + '0'.repeat(150), BOUNDS)).toEqual({ ok: false, error: 'integer.too_large', params: { max: 1_000_000 } });
    expect(parsePositiveInteger('1'.repeat(201), BOUNDS)).toEqual({ ok: false, error: 'integer.too_long', params: { max: 200 } });
  });

  it('formats as plain digits', () => {
    expect(formatInteger(300)).toBe('300');
    expect(formatInteger(12000)).toBe('12000');
  });
});

describe('parsePositiveInteger properties', () => {
  it('never throws and only returns documented codes', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const r = parsePositiveInteger(s, BOUNDS);
        if (r.ok) {
          expect(Number.isSafeInteger(r.value)).toBe(true);
          expect(r.value).toBeGreaterThanOrEqual(1);
          expect(r.value).toBeLessThanOrEqual(BOUNDS.max);
        } else expect(CODES).toContain(r.error);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses long inputs', () => {
    fc.assert(
      fc.property(longString, (s) => {
        expect(parsePositiveInteger(s, BOUNDS)).toMatchObject({ ok: false, error: 'integer.too_long' });
      }),
      { numRuns: 20 },
    );
  });

  it('reads generated counts with hedges, units and full-width digits', () => {
    const typed = fc
      .tuple(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('', '约', '大约', '预计', '共'),
        fc.constantFrom('', '人', '人次', '余人', '多人', '人左右', '场', '个'),
        gap,
        padding,
      )
      .map(([n, prefix, suffix, g, pad]) => ({ n, text: `${pad}${prefix}${g}${String(n)}${g}${suffix}${pad}` }));
    fc.assert(
      fc.property(typed.chain(({ n, text }) => maybeWide(fc.constant(text)).map((t) => ({ n, text: t }))), ({ n, text }) => {
        expect(parsePositiveInteger(text, BOUNDS)).toEqual({ ok: true, value: n });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads counts written with Chinese numerals', () => {
    const zh = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    // Standard reading of 1–9999: 三千零五, 一百二十, 十五 …
    const toZh = (n: number): string => {
      const units = ['千', '百', '十', ''];
      const ds = String(n).padStart(4, '0').split('').map(Number);
      let out = '';
      let zeroPending = false;
      ds.forEach((d, i) => {
        if (d === 0) {
          zeroPending = out !== '';
          return;
        }
        if (zeroPending) out += '零';
        zeroPending = false;
        out += (d === 1 && i === 2 && out === '' ? '' : (zh[d] ?? '')) + (units[i] ?? '');
      });
      return out;
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), (n) => {
        expect(parsePositiveInteger(`${toZh(n)}人`, { max: 10_000 })).toEqual({ ok: true, value: n });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every written range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 9999 }), fc.constantFrom('-', '~', '～', '至', '到', '—', ' - '), (a, b, sep) => {
        expect(parsePositiveInteger(`${String(a)}${sep}${String(b)}人`, BOUNDS)).toEqual({ ok: false, error: 'integer.range_given' });
      }),
    );
  });

  it('round-trips every accepted value through formatInteger', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.integer({ min: 1, max: 1_000_000 }).map((n) => `约${String(n)}人`)), (s) => {
        const r = parsePositiveInteger(s, BOUNDS);
        if (r.ok) expect(parsePositiveInteger(formatInteger(r.value), BOUNDS)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });
});
