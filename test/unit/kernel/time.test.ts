import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { BotError } from '../../../src/kernel/errors.js';
import {
  addShanghaiDays,
  atShanghaiTime,
  endOfShanghaiDay,
  formatShanghaiDate,
  isIsoDate,
  shanghaiDaysUntil,
  startOfShanghaiDay,
  toShanghaiDate,
  toShanghaiTime,
} from '../../../src/kernel/time.js';

const at = (iso: string): Date => new Date(iso);

function expectDateInvalid(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(BotError);
    expect((err as BotError).code).toBe('date_invalid');
    return;
  }
  expect.fail('expected a date_invalid BotError');
}

describe('toShanghaiDate', () => {
  it('is already the next day in Shanghai from 16:00 UTC', () => {
    expect(toShanghaiDate(at('2021-04-30T16:30:00Z'))).toBe('2021-05-01');
    expect(toShanghaiDate(at('2021-04-30T16:00:00.000Z'))).toBe('2021-05-01');
    expect(toShanghaiDate(at('2021-04-30T15:59:59.999Z'))).toBe('2021-04-30');
    expect(toShanghaiDate(at('2021-12-31T16:00:00Z'))).toBe('2022-01-01');
  });

  it('does not depend on the machine time zone', () => {
    const saved = process.env['TZ'];
    try {
      process.env['TZ'] = 'America/Los_Angeles';
      expect(toShanghaiDate(at('2021-04-30T16:30:00Z'))).toBe('2021-05-01');
      expect(startOfShanghaiDay('2021-05-22').toISOString()).toBe('2021-05-21T16:00:00.000Z');
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });

  it('agrees with the IANA Asia/Shanghai zone for any instant from 2000 to 2100', () => {
    const intl = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(toShanghaiDate(new Date(ms))).toBe(intl.format(new Date(ms)));
      }),
    );
  });

  it('rejects an invalid Date', () => {
    expectDateInvalid(() => toShanghaiDate(new Date(Number.NaN)));
  });
});

describe('day boundaries', () => {
  it('starts a Shanghai day at 16:00 UTC of the day before', () => {
    expect(startOfShanghaiDay('2021-05-01').toISOString()).toBe('2021-04-30T16:00:00.000Z');
  });

  it('ends a deadline day at its last millisecond, right before the next day starts', () => {
    const end = endOfShanghaiDay('2021-04-30');
    expect(end.toISOString()).toBe('2021-04-30T15:59:59.999Z');
    expect(end.getTime() + 1).toBe(startOfShanghaiDay('2021-05-01').getTime());
    expect(toShanghaiDate(end)).toBe('2021-04-30');
  });

  it('puts every instant between the start and end of its own Shanghai day', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const day = toShanghaiDate(new Date(ms));
        expect(startOfShanghaiDay(day).getTime()).toBeLessThanOrEqual(ms);
        expect(endOfShanghaiDay(day).getTime()).toBeGreaterThanOrEqual(ms);
      }),
    );
  });

  it('rejects dates that are not YYYY-MM-DD calendar dates', () => {
    for (const bad of ['2021-02-29', '2021-4-30', '2021-13-01', '2021-04-31', '', '2021-04-30T00:00']) {
      expectDateInvalid(() => startOfShanghaiDay(bad));
      expectDateInvalid(() => endOfShanghaiDay(bad));
    }
  });
});

describe('isIsoDate', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2021-06-10')).toBe(true);
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2021-00-10')).toBe(false);
    expect(isIsoDate('2021-06-00')).toBe(false);
    expect(isIsoDate('2021/06/10')).toBe(false);
  });
});

describe('shanghaiDaysUntil', () => {
  it('counts calendar days in Shanghai, not 24-hour spans', () => {
    expect(shanghaiDaysUntil('2021-04-30', at('2021-04-29T15:59:59Z'))).toBe(1);
    expect(shanghaiDaysUntil('2021-04-30', at('2021-04-29T16:00:00Z'))).toBe(0);
    expect(shanghaiDaysUntil('2021-04-30', at('2021-04-30T15:59:59.999Z'))).toBe(0);
    expect(shanghaiDaysUntil('2021-04-30', at('2021-04-30T16:00:00Z'))).toBe(-1);
  });

  it('counts across months, years and leap days', () => {
    expect(shanghaiDaysUntil('2021-06-10', at('2021-04-30T02:00:00Z'))).toBe(41);
    expect(shanghaiDaysUntil('2022-01-01', at('2021-12-31T12:00:00Z'))).toBe(1);
    expect(shanghaiDaysUntil('2020-03-01', at('2020-02-28T04:00:00Z'))).toBe(2);
    expect(shanghaiDaysUntil('2021-05-22', at('2021-05-28T04:00:00Z'))).toBe(-6);
  });
});

describe('wall-clock helpers', () => {
  it('reads the Shanghai time of day of an instant', () => {
    expect(toShanghaiTime(at('2021-04-30T16:30:00Z'))).toBe('00:30');
    expect(toShanghaiTime(at('2021-04-30T01:05:00Z'))).toBe('09:05');
  });

  it('builds the instant of a Shanghai wall-clock time', () => {
    expect(atShanghaiTime('2021-04-27', '09:00').toISOString()).toBe('2021-04-27T01:00:00.000Z');
    expect(atShanghaiTime('2021-04-30', '00:00').toISOString()).toBe('2021-04-29T16:00:00.000Z');
    expectDateInvalid(() => atShanghaiTime('2021-04-27', '24:00'));
    expectDateInvalid(() => atShanghaiTime('2021-04-27', '9:00'));
  });

  it('adds and subtracts calendar days', () => {
    expect(addShanghaiDays('2021-04-30', -7)).toBe('2021-04-23');
    expect(addShanghaiDays('2021-02-28', 1)).toBe('2021-03-01');
    expect(addShanghaiDays('2021-12-31', 1)).toBe('2022-01-01');
    expectDateInvalid(() => addShanghaiDays('2021-04-30', 1.5));
  });
});

describe('formatShanghaiDate', () => {
  it('writes dates the way each language does', () => {
    expect(formatShanghaiDate('2021-04-30', 'zh-CN')).toBe('2021年4月30日');
    expect(formatShanghaiDate('2021-04-30', 'en')).toBe('30 April 2021');
    expect(formatShanghaiDate('2021-06-10', 'zh-CN')).toBe('2021年6月10日');
    expect(formatShanghaiDate('2021-06-10', 'en')).toBe('10 June 2021');
    expect(formatShanghaiDate('2021-12-01', 'en')).toBe('1 December 2021');
  });

  it('rejects an invalid date instead of printing nonsense', () => {
    expectDateInvalid(() => formatShanghaiDate('2021-02-30', 'en'));
  });
});
