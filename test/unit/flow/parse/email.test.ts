import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEmail, parseEmail } from '../../../../src/flow/parse/index.js';
import { hostileString, longString, padding } from '../../../support/parser-arbitraries.js';

const CODES = new Set(['email.empty', 'email.too_long', 'email.invalid']);

describe('parseEmail examples', () => {
  it.each([
    ['abc@qq.com', 'abc@qq.com'],
    ['zhang.san@qdsti.gov.cn', 'zhang.san@qdsti.gov.cn'],
    ['Zhang.San@QDSTI.GOV.CN', 'Zhang.San@qdsti.gov.cn'],
    ['a+tag@sub-domain.example.org', 'a+tag@sub-domain.example.org'],
    ['12345678@163.com', '12345678@163.com'],
    ['abc＠qq．com', 'abc@qq.com'],
    ['ａｂｃ＠ｑｑ．ｃｏｍ', 'abc@qq.com'],
    ['abc@qq。com', 'abc@qq.com'],
    ['abc@qq.com。', 'abc@qq.com'],
    ['abc@qq.com，', 'abc@qq.com'],
    ['abc@qq.com;', 'abc@qq.com'],
    ['（abc@qq.com）', 'abc@qq.com'],
    ['<abc@qq.com>', 'abc@qq.com'],
    ['“abc@qq.com”', 'abc@qq.com'],
    ['邮箱：abc@qq.com', 'abc@qq.com'],
    ['E-mail: abc@qq.com', 'abc@qq.com'],
    ['mailto:abc@qq.com', 'abc@qq.com'],
    ['\u200Babc@qq.com\u3000', 'abc@qq.com'],
    ['a@xn--fiqs8s.cn', 'a@xn--fiqs8s.cn'],
  ])('accepts %j as %j', (input, expected) => {
    expect(parseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'email.empty'],
    ['。', 'email.invalid'],
    ['abc', 'email.invalid'],
    ['abc@', 'email.invalid'],
    ['@qq.com', 'email.invalid'],
    ['abc@qq', 'email.invalid'],
    ['abc@@qq.com', 'email.invalid'],
    ['a@b@qq.com', 'email.invalid'],
    ['a b@qq.com', 'email.invalid'],
    ['abc@q q.com', 'email.invalid'],
    ['abc@qq..com', 'email.invalid'],
    ['abc@.qq.com', 'email.invalid'],
    ['abc@-qq.com', 'email.invalid'],
    ['abc@qq-.com', 'email.invalid'],
    ['abc@qq.c', 'email.invalid'],
    ['abc@qq.c0m', 'email.invalid'],
    ['abc@qq.123', 'email.invalid'],
    ['.abc@qq.com', 'email.invalid'],
    ['abc.@qq.com', 'email.invalid'],
    ['a..bc@qq.com', 'email.invalid'],
    ['张三@qq.com', 'email.invalid'],
    ['abc@青岛.中国', 'email.invalid'],
    ['abc@qq.com, def@qq.com', 'email.invalid'],
    [`${'a'.repeat(65)}@qq.com`, 'email.invalid'],
    [`a@${'b'.repeat(64)}.com`, 'email.invalid'],
  ])('rejects %j with %s', (input, code) => {
    const r = parseEmail(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(code);
  });

  it('rejects addresses over 254 characters with email.too_long', () => {
    const labels = `${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.${'e'.repeat(61)}.com`;
    const long = `abcd@${labels}`;
    expect(long.length).toBe(256);
    expect(parseEmail(long)).toEqual({ ok: false, error: 'email.too_long', params: { max: 254 } });
    expect(parseEmail('a'.repeat(100_000))).toEqual({ ok: false, error: 'email.too_long', params: { max: 254 } });
    expect(parseEmail(`${'x'.repeat(30)}${long}`)).toEqual({ ok: false, error: 'email.too_long', params: { max: 254 } });
    const fits = `ab@${labels}`;
    expect(fits.length).toBe(254);
    expect(parseEmail(fits)).toEqual({ ok: true, value: fits });
  });
});

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const address = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9_+-]{1,12}(?:\.[A-Za-z0-9_+-]{1,8}){0,2}$/),
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[a-z]{2,6}$/),
  )
  .map(([local, labels, tld]) => `${local}@${[...labels, tld].join('.')}`);

describe('parseEmail properties', () => {
  it('never throws and only returns documented codes or plausible addresses', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, longString), (s) => {
        const r = parseEmail(s);
        if (r.ok) {
          expect(r.value).toMatch(/^[^@\s]+@[a-z0-9.-]+\.[a-z][a-z0-9-]+$/);
          expect(r.value.length).toBeLessThanOrEqual(254);
        } else expect(CODES).toContain(r.error);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts generated addresses, lower-casing only the domain, through IME forms and padding', () => {
    fc.assert(
      fc.property(address, fc.boolean(), fc.constantFrom('＠', '@'), fc.constantFrom('.', '．', '。'), padding, (addr, upper, at, dot, pad) => {
        const [local = '', domain = ''] = addr.split('@');
        const typedDomain = (upper ? domain.toUpperCase() : domain).replaceAll('.', dot);
        expect(parseEmail(`${pad}${local}${at}${typedDomain}${pad}`)).toEqual({ ok: true, value: `${local}@${domain}` });
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips every accepted value', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, address), (s) => {
        const r = parseEmail(s);
        if (r.ok) expect(parseEmail(formatEmail(r.value))).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });
});
