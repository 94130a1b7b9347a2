/**
 * Times of day written next to a date: `9:00-16:00`, `上午9点`, `下午2点半至4点`, `九点`, `9am-4pm`,
 * `9:00–16:00`. At most one span is kept, as `HH:MM` strings: the opening hours of a day, or of each
 * day of a range. Kept apart from `date.ts`, which reads the days.
 */
import { fail, ok, type ParseResult } from './result.js';

/** A start time and, when written, an end time, both `HH:MM` (24-hour clock). */
export interface TimeSpan {
  startTime?: string;
  endTime?: string;
}

const PERIOD = '(?:上午|下午|晚上|早上|早晨|中午|凌晨|傍晚|晚)';
const ZH_NUM = '[\\d一二两三四五六七八九十]{1,3}';
/** A clock time `9:00`, `下午2:30`, `9:00 am`. */
export const CLOCK = new RegExp(`${PERIOD}?\\s?\\d{1,2}\\s?:\\s?\\d{2}(?::\\d{2})?(?:\\s?(?:am|pm|a\\.m\\.|p\\.m\\.))?`, 'g');
/** A Chinese hour `9点`, `上午九点半`, `14时30分`. */
export const ZH_HOUR = new RegExp(`${PERIOD}?\\s?${ZH_NUM}\\s?[点时](?:\\s?(?:半|一刻|三刻|${ZH_NUM}\\s?分?))?`, 'g');
/** An English hour `9am`, `4 p.m.`. */
export const EN_HOUR = /\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?![a-z])/g;
const ANY_TIME = new RegExp(`${CLOCK.source}|${ZH_HOUR.source}|${EN_HOUR.source}`, 'g');

const LATE = /^(?:下午|晚上|傍晚|晚)|(?:pm|p\.m\.)$/;
const EARLY = /^(?:上午|早上|早晨|凌晨)|(?:am|a\.m\.)$/;
const ZH_VALUES: Readonly<Record<string, number>> = {
  一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** `9` → 9, `九` → 9, `十二` → 12, `二十` → 20; NaN when not a number. */
function number(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (!text.includes('十')) return text.length === 1 ? (ZH_VALUES[text] ?? NaN) : NaN;
  const [tens = '', ones = ''] = text.split('十');
  const t = tens === '' ? 1 : (ZH_VALUES[tens] ?? NaN);
  const o = ones === '' ? 0 : (ZH_VALUES[ones] ?? NaN);
  return t * 10 + o;
}

/** One written time as minutes after midnight, whether its half of the day was said, or NaN. */
function readTime(token: string): { minutes: number; said: boolean } {
  const text = token.replace(/\s+/g, '');
  const m = /(\d{1,2}|[一二两三四五六七八九十]{1,3}):?(\d{2})?(?:[点时](半|一刻|三刻|[\d一二三四五六七八九十]{1,3})?分?)?/.exec(
    text.replace(/^(?:上午|下午|晚上|早上|早晨|中午|凌晨|傍晚|晚)/, ''),
  );
  if (m === null) return { minutes: NaN, said: false };
  let hour = number(m[1] ?? '');
  const tail = m[3];
  const minute = m[2] !== undefined ? Number(m[2]) : tail === '半' ? 30 : tail === '一刻' ? 15 : tail === '三刻' ? 45 : tail === undefined ? 0 : number(tail);
  const late = LATE.test(text);
  const early = EARLY.test(text);
  const english = /(?:am|pm|a\.m\.|p\.m\.)$/.test(text);
  if (english && (hour < 1 || hour > 12)) return { minutes: NaN, said: true };
  if (late && hour < 12) hour += 12;
  else if (text.startsWith('中午') && hour <= 3) hour += 12;
  else if (english && early && hour === 12) hour = 0;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) return { minutes: NaN, said: late || early };
  return { minutes: hour * 60 + minute, said: late || early || text.startsWith('中午') };
}

/** Minutes after midnight as `HH:MM`. */
function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Reads the time span in a date's text (lower case). No time: an empty span. Codes:
 * `date.time_invalid` (`text`: a time that is not one, like 25:00), `date.too_many_times` (more
 * than a start and an end), `date.time_end_before_start`. An end without its half of the day
 * follows the start (`下午2点到4点` is 14:00–16:00, `9点到5点` is 9:00–17:00).
 */
export function readTimeSpan(text: string): ParseResult<TimeSpan> {
  const tokens = [...text.matchAll(ANY_TIME)].map((m) => m[0].trim());
  if (tokens.length === 0) return ok({});
  if (tokens.length > 2) return fail('date.too_many_times');
  const times = tokens.map(readTime);
  const badAt = times.findIndex((t) => Number.isNaN(t.minutes));
  if (badAt !== -1) return fail('date.time_invalid', { text: tokens[badAt] ?? '' });
  const [start, end] = times;
  if (start === undefined) return ok({});
  if (end === undefined) return ok({ startTime: hhmm(start.minutes) });
  let endMinutes = end.minutes;
  const endReadsAsAfternoon = !end.said && endMinutes < 12 * 60 && (start.minutes < 12 * 60 || start.said);
  if (endMinutes <= start.minutes && endReadsAsAfternoon) endMinutes += 12 * 60;
  if (endMinutes <= start.minutes) return fail('date.time_end_before_start');
  return ok({ startTime: hhmm(start.minutes), endTime: hhmm(endMinutes) });
}

/** `09:00` → `9:00`; a malformed time as it is. */
function shortTime(time: string): string {
  return /^\d{2}:\d{2}$/.test(time) ? time.replace(/^0(?=\d:)/, '') : time;
}

/** A span as people read it: `9:00–16:00`, or `9:00` alone; '' without a start. */
export function formatTimeSpan(span: TimeSpan): string {
  if (span.startTime === undefined) return '';
  return span.endTime === undefined ? shortTime(span.startTime) : `${shortTime(span.startTime)}–${shortTime(span.endTime)}`;
}
