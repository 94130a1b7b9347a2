import { describe, expect, it } from 'vitest';
import { formatDateOrRange, parseDateOrRange, readTimeSpan, type DateRange } from '../../../../src/flow/parse/index.js';

const OPTS = { defaultYear: 2021 };
const may = (start: number, end: number, startTime?: string, endTime?: string): DateRange => {
  const range: DateRange = { start: `2021-05-${String(start)}`, end: `2021-05-${String(end)}` };
  if (startTime !== undefined) range.startTime = startTime;
  if (endTime !== undefined) range.endTime = endTime;
  return range;
};

describe('dates with the hours of the day', () => {
  it.each([
    ['5月22日 9:00-16:00', may(22, 22, '09:00', '16:00')],
    ['5月22日上午9点', may(22, 22, '09:00')],
    ['5月22日 九点', may(22, 22, '09:00')],
    ['5月22日 九点到十二点', may(22, 22, '09:00', '12:00')],
    ['5月22日下午2点到4点', may(22, 22, '14:00', '16:00')],
    ['5月22日 下午两点半到五点', may(22, 22, '14:30', '17:00')],
    ['5月22日 9点到5点', may(22, 22, '09:00', '17:00')],
    ['5月22日 上午9点至下午4点', may(22, 22, '09:00', '16:00')],
    ['5月22日 晚上7点', may(22, 22, '19:00')],
    ['5月22日 中午12点到下午1点半', may(22, 22, '12:00', '13:30')],
    ['5月22日14时30分', may(22, 22, '14:30')],
    ['5月22日 9:00—16:00', may(22, 22, '09:00', '16:00')],
    ['5月22日 9:00~16:00', may(22, 22, '09:00', '16:00')],
    ['5月22日至23日 每天9:00-16:00', may(22, 23, '09:00', '16:00')],
    ['开放时间：5月22日-28日 9:00到16:30', may(22, 28, '09:00', '16:30')],
    ['May 22-23, 9am-4pm', may(22, 23, '09:00', '16:00')],
    ['22 May, 9:00–16:00', may(22, 22, '09:00', '16:00')],
    ['May 22, 2 p.m. to 4 p.m.', may(22, 22, '14:00', '16:00')],
    ['May 22, 12pm-1pm', may(22, 22, '12:00', '13:00')],
    ['22–28 May 2021, daily 9am-5pm', may(22, 28, '09:00', '17:00')],
  ])('%s', (input, expected) => {
    expect(parseDateOrRange(input, OPTS)).toEqual({ ok: true, value: expected });
  });

  it('keeps values without hours exactly as before', () => {
    expect(parseDateOrRange('5月22日-28日', OPTS)).toEqual({ ok: true, value: { start: '2021-05-22', end: '2021-05-28' } });
    expect(readTimeSpan('5月22日')).toEqual({ ok: true, value: {} });
  });

  it.each([
    ['5月22日 25:00', { ok: false, error: 'date.time_invalid', params: { text: '25:00' } }],
    ['5月22日 9:75', { ok: false, error: 'date.time_invalid', params: { text: '9:75' } }],
    ['May 22, 13pm', { ok: false, error: 'date.time_invalid', params: { text: '13pm' } }],
    ['5月22日 16:00-9:00', { ok: false, error: 'date.time_end_before_start' }],
    ['5月22日 上午9:00-11:30，下午2:00-4:00', { ok: false, error: 'date.too_many_times' }],
    ['5月22日 9点多', { ok: false, error: 'date.invalid' }],
  ])('does not drop a time it cannot read: %s', (input, expected) => {
    expect(parseDateOrRange(input, OPTS)).toEqual(expected);
  });

  it.each([
    [may(22, 22, '09:00', '16:00'), '2021年5月22日 9:00–16:00', '22 May 2021, 9:00–16:00'],
    [may(22, 23, '09:00', '16:00'), '2021年5月22日至5月23日 9:00–16:00', '22–23 May 2021, 9:00–16:00'],
    [may(22, 22, '14:30'), '2021年5月22日 14:30', '22 May 2021, 14:30'],
  ])('shows and reads back %j', (value, zh, en) => {
    expect(formatDateOrRange(value, 'zh-CN')).toBe(zh);
    expect(formatDateOrRange(value, 'en')).toBe(en);
    expect(parseDateOrRange(zh, OPTS)).toEqual({ ok: true, value });
    expect(parseDateOrRange(en, OPTS)).toEqual({ ok: true, value });
  });
});
