import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPhone, parsePhone } from '../../../../src/flow/parse/index.js';
import { digits, gap, hostileString, longString, maybeWide, padding, widen } from '../../../support/parser-arbitraries.js';

const CODES = new Set([
  'phone.empty', 'phone.too_long', 'phone.invalid', 'phone.mobile_length', 'phone.area_code_required', 'phone.extension_invalid',
]);

describe('parsePhone examples', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['0086 138 0013 8000', '13800138000'],
    ['86 13800138000', '13800138000'],
    ['（+86）13800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['手机：138 0013 8000', '13800138000'],
    ['0532-85911893', '0532-85911893'],
    ['(0532)85911893', '0532-85911893'],
    ['（0532）85911893', '0532-85911893'],
    ['(0532) 8591 1893', '0532-85911893'],
    ['0532 8591 1893', '0532-85911893'],
    ['053285911893', '0532-85911893'],
    ['0532—85911893', '0532-85911893'],
    ['０５３２－８５９１１８９３', '0532-85911893'],
    ['010-62345678', '010-62345678'],
    ['01062345678', '010-62345678'],
    ['021 5123 4567', '021-51234567'],
    ['0532-8591189', '0532-8591189'],
    ['+86 532 85911893', '0532-85911893'],
    ['+86 (0)532 8591 1893', '0532-85911893'],
    ['0086-532-85911893', '0532-85911893'],
    ['0532-85911893-801', '0532-85911893-801'],
    ['0532-85911893转801', '0532-85911893-801'],
    ['0532-85911893 转 801', '0532-85911893-801'],
    ['0532-85911893 ext. 801', '0532-85911893-801'],
    ['0532-85911893 ext 801', '0532-85911893-801'],
    ['0532-85911893 EXT 801', '0532-85911893-801'],
    ['0532-85911893x801', '0532-85911893-801'],
    ['0532-85911893分机801', '0532-85911893-801'],
    ['0532-85911893（分机801）', '0532-85911893-801'],
    ['0532-85911893 分机号：801', '0532-85911893-801'],
    ['0532 85911893 801', '0532-85911893-801'],
    ['电话：0532-85911893。', '0532-85911893'],
    ['\u200B0532-8591\u200B1893\u3000', '0532-85911893'],
  ])('accepts %j as %j', (input, expected) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['85911893', '0532', '0532-85911893'],
    ['8591 1893', '0532', '0532-85911893'],
    ['8591189', '0532', '0532-8591189'],
    ['85911893转801', '0532', '0532-85911893-801'],
    ['85911893-801', '(0532)', '0532-85911893-801'],
    ['0531-85911893', '0532', '0531-85911893'],
    ['13800138000', '0532', '13800138000'],
  ])('accepts %j with default area code %j as %j', (input, area, expected) => {
    expect(parsePhone(input, { defaultAreaCode: area })).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'phone.empty'],
    ['   \u3000\u200B', 'phone.empty'],
    ['abc', 'phone.invalid'],
    ['12345678901', 'phone.invalid'],
    ['11012345678', 'phone.invalid'],
    ['010-12345678', 'phone.invalid'],
    ['0532-05911893', 'phone.invalid'],
    ['0532-859118', 'phone.invalid'],
    ['0532-859118931', 'phone.invalid'],
    ['0123-85911893', 'phone.invalid'],
    ['053-285911893', 'phone.invalid'],
    ['0215-1234567', 'phone.invalid'],
    ['+1 415 555 0100', 'phone.invalid'],
    ['13800138000转801', 'phone.invalid'],
    ['0532-85911893/85911894', 'phone.invalid'],
    ['0532-85911893-801-2', 'phone.invalid'],
    ['0532)85911893(', 'phone.invalid'],
    ['4008001234', 'phone.invalid'],
    ['85911893', 'phone.area_code_required'],
    ['8591 1893', 'phone.area_code_required'],
    ['0532-85911893转1234567', 'phone.extension_invalid'],
    ['0532-85911893-1234567', 'phone.extension_invalid'],
  ])('rejects %j with %s', (input, code) => {
    const r = parsePhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(code);
  });

  it.each([
    ['1380013800', 10],
    ['138 0013 80000', 12],
    ['+86 1380013800', 10],
    ['19', 2],
  ])('rejects %j as a mobile of %i digits', (input, count) => {
    expect(parsePhone(input)).toEqual({ ok: false, error: 'phone.mobile_length', params: { count } });
  });

  it('ignores an invalid default area code', () => {
    expect(parsePhone('85911893', { defaultAreaCode: 'abc' })).toMatchObject({ ok: false, error: 'phone.area_code_required' });
  });

  it('treats long blank input as empty, and huge input as too long without cleaning it', () => {
    expect(parsePhone(' \u200B'.repeat(500))).toEqual({ ok: false, error: 'phone.empty' });
    expect(parsePhone(' '.repeat(100_000))).toEqual({ ok: false, error: 'phone.too_long', params: { max: 200 } });
  });

  it('rejects long input with phone.too_long', () => {
    expect(parsePhone('1'.repeat(201))).toEqual({ ok: false, error: 'phone.too_long', params: { max: 200 } });
    expect(parsePhone('1'.repeat(100_000))).toMatchObject({ ok: false, error: 'phone.too_long' });
  });
});

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([second, rest]) => `1${String(second)}${rest}`);
const area = fc.oneof(
  fc.constant('010'),
  fc.integer({ min: 0, max: 9 }).map((d) => `02${String(d)}`),
  fc.tuple(fc.integer({ min: 3, max: 9 }), digits(2)).map(([d, rest]) => `0${String(d)}${rest}`),
);
const local = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.oneof(digits(6), digits(7)))
  .map(([d, rest]) => `${String(d)}${rest}`);
const ext = fc.option(fc.integer({ min: 1, max: 6 }).chain(digits), { nil: undefined });

describe('parsePhone properties', () => {
  it('never throws and only returns documented codes', () => {
    fc.assert(
      fc.property(hostileString, fc.option(fc.string(), { nil: undefined }), (s, defaultAreaCode) => {
        const r = parsePhone(s, defaultAreaCode === undefined ? {} : { defaultAreaCode });
        if (r.ok) expect(r.value).toMatch(/^(?:1[3-9]\d{9}|0\d{2,3}-[2-9]\d{6,7}(?:-\d{1,6})?)$/);
        else expect(CODES).toContain(r.error);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses long inputs quickly', () => {
    fc.assert(
      fc.property(longString, (s) => {
        expect(parsePhone(s)).toMatchObject({ ok: false, error: 'phone.too_long' });
      }),
      { numRuns: 20 },
    );
  });

  it('accepts generated mobiles however they are spaced, prefixed or widened', () => {
    const typed = fc
      .tuple(mobile, fc.constantFrom('', '+86', '+86 ', '0086', '86', '(+86)'), gap, gap, fc.constantFrom(' ', '-', ''), padding)
      .map(([m, prefix, g1, g2, sep, pad]) => ({
        m,
        text: `${pad}${prefix}${m.slice(0, 3)}${g1}${sep}${m.slice(3, 7)}${g2}${sep}${m.slice(7)}${pad}`,
      }));
    fc.assert(
      fc.property(typed, fc.array(fc.boolean(), { maxLength: 8 }), ({ m, text }, mask) => {
        expect(parsePhone(widen(text, mask))).toEqual({ ok: true, value: m });
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts generated landlines in every layout', () => {
    const typed = fc
      .tuple(area, local, ext, fc.constantFrom('-', ' ', '', '()', '（）'), fc.constantFrom('-', '转', ' ext. ', '分机', ' x', ' '), gap)
      .map(([a, l, e, layout, extSep, g]) => {
        const head = layout === '()' ? `(${a})${g}` : layout === '（）' ? `（${a}）${g}` : `${a}${layout}`;
        const body = l.length === 8 ? `${l.slice(0, 4)}${g}${l.slice(4)}` : l;
        return { expected: `${a}-${l}${e === undefined ? '' : `-${e}`}`, text: `${head}${body}${e === undefined ? '' : `${extSep}${e}`}` };
      });
    fc.assert(
      fc.property(maybeWideTyped(typed), ({ expected, text }) => {
        expect(parsePhone(text)).toEqual({ ok: true, value: expected });
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a bare local number only with a default area code', () => {
    fc.assert(
      fc.property(area, local, (a, l) => {
        expect(parsePhone(l)).toMatchObject({ ok: false, error: 'phone.area_code_required' });
        expect(parsePhone(l, { defaultAreaCode: a })).toEqual({ ok: true, value: `${a}-${l}` });
      }),
    );
  });

  it('reports the digit count of near-mobiles', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 20 }).filter((n) => n !== 9).chain(digits), (d, rest) => {
        expect(parsePhone(`1${String(d)}${rest}`)).toEqual({ ok: false, error: 'phone.mobile_length', params: { count: rest.length + 2 } });
      }),
    );
  });

  it('round-trips every accepted value through formatPhone', () => {
    const accepted = fc.oneof(hostileString, mobile, fc.tuple(area, local, ext).map(([a, l, e]) => `${a} ${l}${e === undefined ? '' : `转${e}`}`));
    fc.assert(
      fc.property(accepted, (s) => {
        const r = parsePhone(s);
        if (r.ok) expect(parsePhone(formatPhone(r.value))).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Widens the digits of generated `text` at random. */
function maybeWideTyped(arb: fc.Arbitrary<{ expected: string; text: string }>): fc.Arbitrary<{ expected: string; text: string }> {
  return arb.chain(({ expected, text }) => maybeWide(fc.constant(text)).map((t) => ({ expected, text: t })));
}
