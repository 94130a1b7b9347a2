import { describe, expect, it } from 'vitest';
import { BotError } from '../../../src/kernel/errors.js';
import { isWorkingDay, previousWorkingDay } from '../../../src/reminders/calendar.js';

const WORKING_2021 = ['2021-04-23', '2021-04-25', '2021-04-30', '2021-05-06', '2021-05-08', '2021-06-11', '2021-06-15'];
const OFF_2021 = ['2021-04-24', '2021-05-01', '2021-05-02', '2021-05-03', '2021-05-04', '2021-05-05', '2021-05-09', '2021-06-12', '2021-06-13', '2021-06-14'];

describe('isWorkingDay (Chinese calendar from chinese-days)', () => {
  it('knows the 2021 Labour Day and Dragon Boat holidays and their make-up working days', () => {
    for (const date of WORKING_2021) expect(isWorkingDay(date), date).toBe(true);
    for (const date of OFF_2021) expect(isWorkingDay(date), date).toBe(false);
  });

  it('does not depend on the machine time zone', () => {
    const saved = process.env['TZ'];
    try {
      for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC', 'Asia/Shanghai']) {
        process.env['TZ'] = zone;
        for (const date of WORKING_2021) expect(isWorkingDay(date), `${zone} ${date}`).toBe(true);
        for (const date of OFF_2021) expect(isWorkingDay(date), `${zone} ${date}`).toBe(false);
      }
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => isWorkingDay('2021-02-29')).toThrow(BotError);
    expect(() => isWorkingDay('30 April')).toThrow(BotError);
  });
});

describe('previousWorkingDay', () => {
  it('is the last working day strictly before the date, across holidays and make-up days', () => {
    expect(previousWorkingDay('2021-05-05')).toBe('2021-04-30');
    expect(previousWorkingDay('2021-05-01')).toBe('2021-04-30');
    expect(previousWorkingDay('2021-04-26')).toBe('2021-04-25');
    expect(previousWorkingDay('2021-04-24')).toBe('2021-04-23');
    expect(previousWorkingDay('2021-06-14')).toBe('2021-06-11');
    expect(previousWorkingDay('2021-05-09')).toBe('2021-05-08');
  });
});
