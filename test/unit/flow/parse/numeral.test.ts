import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fail, ok, parseNumeral, type Decimal } from '../../../../src/flow/parse/index.js';
import { hostileString } from '../../../support/parser-arbitraries.js';

/** A decimal as a plain string, for readable expectations. */
function show(d: Decimal | undefined): string | undefined {
  if (d === undefined) return undefined;
  const digits = d.units.toString().padStart(d.scale + 1, '0');
  return d.scale === 0 ? digits : `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
}

describe('parseNumeral', () => {
  it.each([
    ['0', '0'],
    ['零', '0'],
    ['50,000', '50000'],
    ['5.5万', '55000'],
    ['0.8万', '8000'],
    ['1.5k', '1500'],
    ['5w', '50000'],
    ['十', '10'],
    ['十五', '15'],
    ['二十', '20'],
    ['一百零五', '105'],
    ['三百五', '350'],
    ['一千零五十', '1050'],
    ['一万五', '15000'],
    ['1万5千', '15000'],
    ['1万零50', '10050'],
    ['一百万', '1000000'],
    ['三千万', '30000000'],
    ['1亿2000万', '120000000'],
    ['伍万', '50000'],
    ['壹拾万', '100000'],
    ['两千', '2000'],
    ['一点五万', '15000'],
    ['一点二五', '1.25'],
    ['12.50', '12.5'],
  ])('reads %j as %s', (input, expected) => {
    expect(show(parseNumeral(input))).toBe(expected);
  });

  it.each(['', '万', '5 5', '5,0000', '5万万', '5亿万', '万亿', '百十', '1万50', '五零', '零零', '一点', '1.', 'abc', '1e5', '三千五千'])(
    'refuses %j',
    (input) => {
      expect(parseNumeral(input)).toBeUndefined();
    },
  );

  it('reads every Arabic integer exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), (n) => {
        expect(parseNumeral(n.toString())).toEqual({ units: n, scale: 0 });
      }),
    );
  });

  it('never throws and returns trimmed non-negative decimals', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const d = parseNumeral(s.slice(0, 200));
        if (d !== undefined) {
          expect(d.units >= 0n).toBe(true);
          if (d.scale > 0) expect(d.units % 10n).not.toBe(0n);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ok / fail', () => {
  it('build the two result shapes, leaving params out when not given', () => {
    expect(ok(5)).toEqual({ ok: true, value: 5 });
    expect(fail('phone.invalid')).toStrictEqual({ ok: false, error: 'phone.invalid' });
    expect('params' in fail('phone.invalid')).toBe(false);
    expect(fail('money.too_large', { max: 10 })).toStrictEqual({ ok: false, error: 'money.too_large', params: { max: 10 } });
  });
});
