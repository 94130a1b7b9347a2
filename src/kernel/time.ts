/**
 * Asia/Shanghai calendar arithmetic. Every date in the notice ("4月30日前", "5月22日—28日") is a
 * Shanghai calendar day, whatever time zone the server runs in. Shanghai is UTC+8 with no daylight
 * saving time since 1991, so a fixed offset is exact for every date the bot deals with and we never
 * depend on the machine's `TZ` or on the ICU time-zone data shipped with Node.
 */
import { BotError } from './errors.js';
import type { Locale } from './locale.js';

/** The IANA name of the event's time zone, for logs and for data files that state it. */
export const SHANGHAI_TIME_ZONE = 'Asia/Shanghai';

/** Shanghai's offset from UTC in milliseconds (UTC+8, no DST). */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Milliseconds in one calendar day; Shanghai days are always this long (no DST). */
export const DAY_MS = 24 * 60 * 60 * 1000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Milliseconds of UTC midnight of the calendar date, used as a day counter. */
function utcMidnightMs(parsed: CalendarDate): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0..99 as 1900..1999.
  const at = new Date(0);
  at.setUTCFullYear(parsed.year, parsed.month - 1, parsed.day);
  return at.getTime();
}

function parseIsoDate(date: string): CalendarDate | undefined {
  const match = ISO_DATE.exec(date);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const probe = new Date(utcMidnightMs({ year, month, day }));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

function requireIsoDate(date: string): CalendarDate {
  const parsed = parseIsoDate(date);
  if (parsed === undefined) {
    throw new BotError('date_invalid', `not a calendar date in the form YYYY-MM-DD: "${date}"`);
  }
  return parsed;
}

function requireValidInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new BotError('date_invalid', 'invalid Date (NaN time value)');
  return ms;
}

/** True when `value` is a real calendar date written `YYYY-MM-DD` (so `2021-02-29` is false); data files use it. */
export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== undefined;
}

/** The Shanghai calendar date (`YYYY-MM-DD`) of an instant: 2021-04-30T16:30Z is already `2021-05-01`. */
export function toShanghaiDate(instant: Date): string {
  const ms = requireValidInstant(instant);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Shanghai wall-clock time (`HH:mm`) of an instant, for reminder hours and quiet hours. */
export function toShanghaiTime(instant: Date): string {
  const ms = requireValidInstant(instant);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

/** The first millisecond of a Shanghai calendar day (00:00 Shanghai = 16:00 UTC the day before). */
export function startOfShanghaiDay(date: string): Date {
  return new Date(utcMidnightMs(requireIsoDate(date)) - SHANGHAI_OFFSET_MS);
}

/** The last millisecond of a Shanghai calendar day; a deadline date means "until this instant". */
export function endOfShanghaiDay(date: string): Date {
  return new Date(startOfShanghaiDay(date).getTime() + DAY_MS - 1);
}

/** The instant at wall-clock `HH:mm` on a Shanghai calendar day, e.g. a reminder "at 09:00 on T-3". */
export function atShanghaiTime(date: string, time: string): Date {
  const match = HH_MM.exec(time);
  if (match === null) throw new BotError('date_invalid', `not a time of day in the form HH:mm: "${time}"`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return new Date(startOfShanghaiDay(date).getTime() + minutes * 60 * 1000);
}

/** The calendar date `days` after (or, if negative, before) `date`, for rules such as "T-7". */
export function addShanghaiDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new BotError('date_invalid', `not a whole number of days: ${days}`);
  return new Date(utcMidnightMs(requireIsoDate(date)) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Whole calendar days from today in Shanghai to `date`: 1 the day before, 0 on the day itself, negative
 * after it. Counted on the calendar, not in 24-hour spans, so 23:59 on 29 April is still "1 day to go".
 */
export function shanghaiDaysUntil(date: string, now: Date): number {
  const target = utcMidnightMs(requireIsoDate(date));
  const today = utcMidnightMs(requireIsoDate(toShanghaiDate(now)));
  return Math.round((target - today) / DAY_MS);
}

/** A date as people write it: `2021年4月30日` in Chinese, `30 April 2021` in English. */
export function formatShanghaiDate(date: string, locale: Locale): string {
  const { year, month, day } = requireIsoDate(date);
  if (locale === 'zh-CN') return `${year}年${month}月${day}日`;
  return `${day} ${EN_MONTHS[month - 1] ?? String(month)} ${year}`;
}
