import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateOrRange, parseDateOrRange, type DateRange } from '../../../../src/flow/parse/index.js';
import { hostileString, longString, maybeWide, padding } from '../../../support/parser-arbitraries.js';

const CODES = new Set([
  'date.empty', 'date.too_long', 'date.invalid', 'date.not_a_day', 'date.end_before_start', 'date.range_too_long',
  'date.time_invalid', 'date.too_many_times', 'date.time_end_before_start',
]);
const OPTS = { defaultYear: 2021 };
const day = (iso: string): DateRange => ({ start: iso, end: iso });
const span = (start: string, end: string): DateRange => ({ start, end });
const hours = (range: DateRange, startTime: string, endTime?: string): DateRange =>
  endTime === undefined ? { ...range, startTime } : { ...range, startTime, endTime };

describe('parseDateOrRange examples', () => {
  it.each([
    ['2021-05-22', day('2021-05-22')],
    ['2021/5/22', day('2021-05-22')],
    ['2021.5.22', day('2021-05-22')],
    ['20210522', day('2021-05-22')],
    ['2021年5月22日', day('2021-05-22')],
    ['2021 年 5 月 22 日', day('2021-05-22')],
    ['21年5月22日', day('2021-05-22')],
    ['5月22日', day('2021-05-22')],
    ['5.22', day('2021-05-22')],
    ['5/22', day('2021-05-22')],
    ['5月22号', day('2021-05-22')],
    ['５月２２日', day('2021-05-22')],
    ['二〇二一年五月二十二日', day('2021-05-22')],
    ['五月二十二日', day('2021-05-22')],
    ['May 22, 2021', day('2021-05-22')],
    ['May 22nd 2021', day('2021-05-22')],
    ['22 May 2021', day('2021-05-22')],
    ['22 May', day('2021-05-22')],
    ['Sat. 22 May 2021', day('2021-05-22')],
    ['Saturday, May 22, 2021', day('2021-05-22')],
    ['5月22日（周六）', day('2021-05-22')],
    ['5月22日(星期六)', day('2021-05-22')],
    ['5月22日 上午9:00-11:30', hours(day('2021-05-22'), '09:00', '11:30')],
    ['5月22日上午9点', hours(day('2021-05-22'), '09:00')],
    ['5月22日下午2点半至4点', hours(day('2021-05-22'), '14:30', '16:00')],
    ['5月22日 9:00～17:00', hours(day('2021-05-22'), '09:00', '17:00')],
    ['May 22, 2021 9am-5pm', hours(day('2021-05-22'), '09:00', '17:00')],
    ['2021年5月22日（周六）全天', day('2021-05-22')],
    ['日期：5月22日。', day('2021-05-22')],
    ['2022年2月28日', day('2022-02-28')],
    ['2024年2月29日', day('2024-02-29')],
    ['5月22日-28日', span('2021-05-22', '2021-05-28')],
    ['5月22-28日', span('2021-05-22', '2021-05-28')],
    ['5月22日—5月28日', span('2021-05-22', '2021-05-28')],
    ['5月22日——5月28日', span('2021-05-22', '2021-05-28')],
    ['5月22日～28日', span('2021-05-22', '2021-05-28')],
    ['5月22日 到 28日', span('2021-05-22', '2021-05-28')],
    ['2021年5月22日至28日', span('2021-05-22', '2021-05-28')],
    ['2021年5月22日至2021年5月28日', span('2021-05-22', '2021-05-28')],
    ['2021.5.22-2021.5.28', span('2021-05-22', '2021-05-28')],
    ['2021-05-22 - 2021-05-28', span('2021-05-22', '2021-05-28')],
    ['2021.5.22-28', span('2021-05-22', '2021-05-28')],
    ['5.22-5.28', span('2021-05-22', '2021-05-28')],
    ['5/22~5/28', span('2021-05-22', '2021-05-28')],
    ['5月22日至6月2日', span('2021-05-22', '2021-06-02')],
    ['5月22日（周六）至5月28日（周五）', span('2021-05-22', '2021-05-28')],
    ['5月22日 9:00 - 5月28日 17:00', hours(span('2021-05-22', '2021-05-28'), '09:00', '17:00')],
    ['22-28 May 2021', span('2021-05-22', '2021-05-28')],
    ['22–28 May 2021', span('2021-05-22', '2021-05-28')],
    ['May 22–28, 2021', span('2021-05-22', '2021-05-28')],
    ['May 22 to 28', span('2021-05-22', '2021-05-28')],
    ['22 May – 2 June 2021', span('2021-05-22', '2021-06-02')],
    ['May 22 - June 2, 2021', span('2021-05-22', '2021-06-02')],
    ['12月28日至1月3日', span('2021-12-28', '2022-01-03')],
    ['2021年12月28日至2022年1月3日', span('2021-12-28', '2022-01-03')],
    ['28 December – 3 January 2022', span('2021-12-28', '2022-01-03')],
    ['2021年1月1日至2021年12月31日', span('2021-01-01', '2021-12-31')],
    ['5月22日-5月22日', day('2021-05-22')],
  ])('reads %j', (input, expected) => {
    expect(parseDateOrRange(input, OPTS)).toEqual({ ok: true, value: expected });
  });

  it('uses the default year only when none is written', () => {
    expect(parseDateOrRange('5月22日', { defaultYear: 2030 })).toEqual({ ok: true, value: day('2030-05-22') });
    expect(parseDateOrRange('2021年5月22日', { defaultYear: 2030 })).toEqual({ ok: true, value: day('2021-05-22') });
  });

  it.each([
    ['', 'date.empty'],
    ['（周六）', 'date.invalid'],
    ['明天', 'date.invalid'],
    ['22日', 'date.invalid'],
    ['22-28日', 'date.invalid'],
    ['5-22', 'date.invalid'],
    ['2021', 'date.invalid'],
    ['2021年5月', 'date.invalid'],
    ['May 2021', 'date.invalid'],
    ['5月22日、23日', 'date.invalid'],
    ['5月22日起', 'date.invalid'],
    ['22.5.2021', 'date.invalid'],
    ['5月28日-22日', 'date.end_before_start'],
    ['2021年5月28日至2021年5月22日', 'date.end_before_start'],
    ['2021年1月1日至2022年1月2日', 'date.range_too_long'],
    ['2020年1月1日-2021年1月1日', 'date.range_too_long'],
  ])('rejects %j with %s', (input, code) => {
    const r = parseDateOrRange(input, OPTS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(code);
  });

  it.each([
    ['2月30日', '2月30日'],
    ['2021年2月29日', '2021年2月29日'],
    ['13月1日', '13月1日'],
    ['4月31号', '4月31号'],
    ['2021-04-00', '2021-04-00'],
    ['5月22日-32日', '32日'],
    ['February 30, 2021', 'february 30, 2021'],
  ])('rejects %j as not a day, quoting %j', (input, text) => {
    expect(parseDateOrRange(input, OPTS)).toEqual({ ok: false, error: 'date.not_a_day', params: { text } });
  });

  it('names the limits it enforces', () => {
    expect(parseDateOrRange('2021年1月1日至2022年1月2日', OPTS)).toEqual({ ok: false, error: 'date.range_too_long', params: { max: 366 } });
    expect(parseDateOrRange('2021年1月1日至2022年1月1日', OPTS)).toEqual({ ok: true, value: span('2021-01-01', '2022-01-01') });
    expect(parseDateOrRange('5'.repeat(201), OPTS)).toEqual({ ok: false, error: 'date.too_long', params: { max: 200 } });
  });
});

describe('formatDateOrRange', () => {
  it.each([
    [day('2021-05-22'), '2021年5月22日', '22 May 2021'],
    [span('2021-05-22', '2021-05-28'), '2021年5月22日至5月28日', '22–28 May 2021'],
    [span('2021-05-22', '2021-06-02'), '2021年5月22日至6月2日', '22 May – 2 June 2021'],
    [span('2021-05-22', '2022-01-02'), '2021年5月22日至2022年1月2日', '22 May 2021 – 2 January 2022'],
  ])('formats %j', (value, zh, en) => {
    expect(formatDateOrRange(value, 'zh-CN')).toBe(zh);
    expect(formatDateOrRange(value, 'en')).toBe(en);
  });
});

const MS_PER_DAY = 86_400_000;
const BASE = Date.UTC(1900, 0, 1);
const isoOf = (dayIndex: number): string => new Date(BASE + dayIndex * MS_PER_DAY).toISOString().slice(0, 10);
/** Any day 1900–2099. */
const anyDay = fc.integer({ min: 0, max: 73_000 });
/** A valid range: start, and 0–365 more days. */
const validRange = fc.tuple(anyDay, fc.integer({ min: 0, max: 365 })).map(([s, len]) => span(isoOf(s), isoOf(s + len)));

describe('parseDateOrRange properties', () => {
  it('never throws and only returns documented codes or ordered ISO ranges', () => {
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 1000, max: 9999 }), (s, defaultYear) => {
        const r = parseDateOrRange(s, { defaultYear });
        if (r.ok) {
          expect(r.value.start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(r.value.end >= r.value.start).toBe(true);
          expect(new Date(r.value.end).toISOString().slice(0, 10)).toBe(r.value.end);
        } else expect(CODES).toContain(r.error);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses long inputs', () => {
    fc.assert(
      fc.property(longString, (s) => {
        expect(parseDateOrRange(s, OPTS)).toMatchObject({ ok: false, error: 'date.too_long' });
      }),
      { numRuns: 20 },
    );
  });

  it('round-trips every valid range through both locales, whatever the default year', () => {
    fc.assert(
      fc.property(validRange, fc.constantFrom('zh-CN' as const, 'en' as const), fc.integer({ min: 1900, max: 2100 }), (v, locale, defaultYear) => {
        expect(parseDateOrRange(formatDateOrRange(v, locale), { defaultYear })).toEqual({ ok: true, value: v });
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips every accepted hostile input', () => {
    fc.assert(
      fc.property(hostileString, fc.constantFrom('zh-CN' as const, 'en' as const), (s, locale) => {
        const r = parseDateOrRange(s, OPTS);
        if (r.ok) expect(parseDateOrRange(formatDateOrRange(r.value, locale), OPTS)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads generated dates in every numeric layout, with full-width digits and padding', () => {
    const typed = fc
      .tuple(anyDay, fc.integer({ min: 0, max: 5 }), padding)
      .map(([d, layout, pad]) => {
        const iso = isoOf(d);
        const [y, m, dd] = iso.split('-').map(Number) as [number, number, number];
        const texts = [
          iso,
          `${String(y)}/${String(m)}/${String(dd)}`,
          `${String(y)}.${String(m)}.${String(dd)}`,
          `${String(y)}年${String(m)}月${String(dd)}日`,
          `${String(y)} 年 ${String(m)} 月 ${String(dd)} 号`,
          `${String(dd)} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1] ?? ''} ${String(y)}`,
        ];
        return { iso, text: `${pad}${texts[layout] ?? iso}${pad}` };
      });
    fc.assert(
      fc.property(typed.chain(({ iso, text }) => maybeWide(fc.constant(text)).map((t) => ({ iso, text: t }))), ({ iso, text }) => {
        expect(parseDateOrRange(text, OPTS)).toEqual({ ok: true, value: day(iso) });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads generated ranges in the default year written without a year', () => {
    const inYear = fc.tuple(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 364 })).map(([a, b]) => {
      const base = Date.UTC(2021, 0, 1);
      const [s, e] = a <= b ? [a, b] : [b, a];
      return span(new Date(base + s * MS_PER_DAY).toISOString().slice(0, 10), new Date(base + e * MS_PER_DAY).toISOString().slice(0, 10));
    });
    fc.assert(
      fc.property(inYear, fc.constantFrom('-', '至', '到', '~', '—', ' - '), fc.boolean(), (v, sep, chinese) => {
        const [, sm, sd] = v.start.split('-').map(Number) as [number, number, number];
        const [, em, ed] = v.end.split('-').map(Number) as [number, number, number];
        const text = chinese
          ? `${String(sm)}月${String(sd)}日${sep}${sm === em ? '' : `${String(em)}月`}${String(ed)}日`
          : `${String(sm)}.${String(sd)}${sep}${String(em)}.${String(ed)}`;
        expect(parseDateOrRange(text, OPTS)).toEqual({ ok: true, value: v });
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects every day past the end of its month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), (y, m, extra) => {
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const text = `${String(y)}年${String(m)}月${String(last + extra)}日`;
        expect(parseDateOrRange(text, OPTS)).toEqual({ ok: false, error: 'date.not_a_day', params: { text } });
      }),
    );
  });
});
