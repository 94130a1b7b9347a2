import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoneyYuan, parseMoneyYuan } from '../../../../src/flow/parse/index.js';
import { gap, hostileString, longString, maybeWide, padding } from '../../../support/parser-arbitraries.js';

const CODES = new Set([
  'money.empty', 'money.too_long', 'money.invalid', 'money.range_given', 'money.negative', 'money.too_many_decimals', 'money.too_large',
]);

describe('parseMoneyYuan examples', () => {
  it.each([
    ['50000', 50000],
    ['50,000元', 50000],
    ['50，000元', 50000],
    ['5万', 50000],
    ['5万元', 50000],
    ['5.5万元', 55000],
    ['¥50,000.00', 50000],
    ['￥5万', 50000],
    ['人民币5万元', 50000],
    ['约5万元', 50000],
    ['5千元', 5000],
    ['0.8万', 8000],
    ['50000.5', 50000.5],
    ['50000.05', 50000.05],
    ['5 万元', 50000],
    ['５万元', 50000],
    ['5万元左右', 50000],
    ['RMB 50,000', 50000],
    ['50000 CNY', 50000],
    ['300块', 300],
    ['五万元', 50000],
    ['十万元', 100000],
    ['一百万元', 1000000],
    ['伍万元整', 50000],
    ['壹拾万元整', 100000],
    ['一万五', 15000],
    ['1万5千', 15000],
    ['1万零50', 10050],
    ['一点五万', 15000],
    ['5w', 50000],
    ['1.5k', 1500],
    ['1.23456万', 12345.6],
    ['0.000001万', 0.01],
    ['0.29', 0.29],
    ['0', 0],
    ['0元', 0],
    ['零', 0],
    ['-0', 0],
    ['预算：5万元', 50000],
    ['1000000000', 1e9],
    ['10亿', 1e9],
  ])('accepts %j as %d', (input, expected) => {
    expect(parseMoneyYuan(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'money.empty'],
    ['\u3000', 'money.empty'],
    ['abc', 'money.invalid'],
    ['万', 'money.invalid'],
    ['5 5', 'money.invalid'],
    ['5,0000', 'money.invalid'],
    ['5万万', 'money.invalid'],
    ['1万50', 'money.invalid'],
    ['5万多', 'money.invalid'],
    ['$500', 'money.invalid'],
    ['3-5万', 'money.range_given'],
    ['3万至5万', 'money.range_given'],
    ['3或5万', 'money.range_given'],
    ['-5', 'money.negative'],
    ['-5万元', 'money.negative'],
    ['负5000', 'money.negative'],
    ['¥-500', 'money.negative'],
    ['5.555', 'money.too_many_decimals'],
    ['0.0000001万', 'money.too_many_decimals'],
  ])('rejects %j with %s', (input, code) => {
    const r = parseMoneyYuan(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(code);
  });

  it('rejects amounts above the maximum with its value', () => {
    expect(parseMoneyYuan('2000000000')).toEqual({ ok: false, error: 'money.too_large', params: { max: 1e9 } });
    expect(parseMoneyYuan('1' + '0'.repeat(150))).toEqual({ ok: false, error: 'money.too_large', params: { max: 1e9 } });
    expect(parseMoneyYuan('10万', { max: 50000 })).toEqual({ ok: false, error: 'money.too_large', params: { max: 50000 } });
    expect(parseMoneyYuan('5万', { max: 50000 })).toEqual({ ok: true, value: 50000 });
  });

  it('rejects long input with money.too_long', () => {
    expect(parseMoneyYuan('1'.repeat(201))).toEqual({ ok: false, error: 'money.too_long', params: { max: 200 } });
  });
});

describe('formatMoneyYuan', () => {
  it.each([
    [55000, '55000元'],
    [55000.5, '55000.5元'],
    [0.29, '0.29元'],
    [0.1 + 0.2, '0.3元'],
    [0, '0元'],
    [1e9, '1000000000元'],
  ])('formats %d as %s', (value, expected) => {
    expect(formatMoneyYuan(value)).toBe(expected);
  });

  it.each([
    [50000, '50,000 yuan'],
    [999, '999 yuan'],
    [1234567.5, '1,234,567.5 yuan'],
    [0, '0 yuan'],
  ])('formats %d in English as %s, which reads back as the same amount', (value, expected) => {
    expect(formatMoneyYuan(value, 'en')).toBe(expected);
    expect(parseMoneyYuan(expected)).toEqual({ ok: true, value });
  });
});

/** Amounts in fen up to the default maximum. */
const fen = fc.integer({ min: 0, max: 100_000_000_000 });

/** `fen` written as yuan with a decimal point, exactly, with no float maths. */
function yuanText(f: number): string {
  const whole = Math.floor(f / 100);
  const cents = f % 100;
  return cents === 0 ? String(whole) : `${String(whole)}.${String(cents).padStart(2, '0')}`;
}

describe('parseMoneyYuan properties', () => {
  it('never throws and only returns documented codes', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const r = parseMoneyYuan(s);
        if (r.ok) {
          expect(Number.isFinite(r.value)).toBe(true);
          expect(r.value).toBeGreaterThanOrEqual(0);
          expect(Math.round(r.value * 100) / 100).toBe(r.value);
        } else expect(CODES).toContain(r.error);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses long inputs', () => {
    fc.assert(
      fc.property(longString, (s) => {
        expect(parseMoneyYuan(s)).toMatchObject({ ok: false, error: 'money.too_long' });
      }),
      { numRuns: 20 },
    );
  });

  it('reads every amount in fen exactly, with decorations users add', () => {
    const typed = fc
      .tuple(fen, fc.constantFrom('', '¥', '￥', '人民币', '约', 'RMB '), fc.constantFrom('', '元', '元整', ' 元', '块', ' CNY', '左右'), padding)
      .map(([f, prefix, suffix, pad]) => ({ f, text: `${pad}${prefix}${yuanText(f)}${suffix}${pad}` }));
    fc.assert(
      fc.property(typed, ({ f, text }) => {
        expect(parseMoneyYuan(text)).toEqual({ ok: true, value: f / 100 });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads 万 and 千 amounts exactly (no float artefacts)', () => {
    const typed = fc
      .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(['万', 10_000], ['千', 1000]), gap)
      .map(([n, decimals, [unit, factor], g]) => {
        // n / 10^decimals 万: an exact decimal literal, and its exact value in yuan.
        const literal = decimals === 0 ? String(n) : `${String(Math.floor(n / 10 ** decimals))}.${String(n % 10 ** decimals).padStart(decimals, '0')}`;
        const scaledFen = (n * factor * 100) / 10 ** decimals;
        return { text: `${literal}${g}${unit}元`, scaledFen };
      })
      .filter(({ scaledFen }) => Number.isInteger(scaledFen));
    fc.assert(
      fc.property(maybeWideText(typed), ({ text, scaledFen }) => {
        expect(parseMoneyYuan(text)).toEqual({ ok: true, value: scaledFen / 100 });
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts thousands separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 999_999_999 }), (n) => {
        expect(parseMoneyYuan(n.toLocaleString('en-US'))).toEqual({ ok: true, value: n });
      }),
    );
  });

  it('round-trips every accepted value through formatMoneyYuan', () => {
    const inputs = fc.oneof(hostileString, fen.map(yuanText), fen.map((f) => formatMoneyYuan(f / 100)));
    fc.assert(
      fc.property(inputs, (s) => {
        const r = parseMoneyYuan(s);
        if (r.ok) expect(parseMoneyYuan(formatMoneyYuan(r.value))).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  it('formats every fen amount so that it parses back', () => {
    fc.assert(
      fc.property(fen, (f) => {
        expect(parseMoneyYuan(formatMoneyYuan(f / 100))).toEqual({ ok: true, value: f / 100 });
      }),
      { numRuns: 2000 },
    );
  });
});

/** Widens the digits of generated `text` at random. */
function maybeWideText<T extends { text: string }>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arb.chain((v) => maybeWide(fc.constant(v.text)).map((text) => ({ ...v, text })));
}
