import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPostalCode, parsePostalCode } from '../../../../src/flow/parse/index.js';
import { digits, gap, hostileString, longString, maybeWide, padding } from '../../../support/parser-arbitraries.js';

const CODES = new Set(['postal.empty', 'postal.too_long', 'postal.invalid']);

describe('parsePostalCode', () => {
  it.each([
    ['266071', '266071'],
    ['266 071', '266071'],
    ['2 6 6 0 7 1', '266071'],
    ['２６６０７１', '266071'],
    ['\u3000266071\u200B', '266071'],
    ['邮编：266071', '266071'],
    ['邮政编码: 266071。', '266071'],
    ['100000', '100000'],
  ])('accepts %j as %j', (input, expected) => {
    expect(parsePostalCode(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'postal.empty'],
    ['\u200B \u3000', 'postal.empty'],
    ['26607', 'postal.invalid'],
    ['2660711', 'postal.invalid'],
    ['26607a', 'postal.invalid'],
    ['266071 266072', 'postal.invalid'],
    ['青岛', 'postal.invalid'],
    ['1'.repeat(201), 'postal.too_long'],
  ])('rejects %j with %s', (input, code) => {
    const r = parsePostalCode(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(code);
  });

  it('never throws and only returns documented codes or six digits', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, longString), (s) => {
        const r = parsePostalCode(s);
        if (r.ok) expect(r.value).toMatch(/^\d{6}$/);
        else expect(CODES).toContain(r.error);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts any six digits with spaces, padding and full-width digits', () => {
    const typed = fc.tuple(digits(6), gap, padding).map(([d, g, pad]) => ({ d, text: `${pad}${d.slice(0, 3)}${g}${d.slice(3)}${pad}` }));
    fc.assert(
      fc.property(typed.chain(({ d, text }) => maybeWide(fc.constant(text)).map((t) => ({ d, text: t }))), ({ d, text }) => {
        expect(parsePostalCode(text)).toEqual({ ok: true, value: d });
      }),
    );
  });

  it('round-trips every accepted value', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, digits(6)), (s) => {
        const r = parsePostalCode(s);
        if (r.ok) expect(parsePostalCode(formatPostalCode(r.value))).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });
});
