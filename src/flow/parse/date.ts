/**
 * Event dates: one day or a range of days, as calendar dates in Asia/Shanghai terms (plain
 * `YYYY-MM-DD` strings, no time zone arithmetic), with the hours of the day when written. Contacts
 * write `5月22日-28日`, `2021.5.22-2021.5.28`, `5月22日（周六）上午9:00-11:30` or
 * `May 22–28, 2021, 9am-4pm`; the days land on the same `{ start, end }`, the hours on
 * `startTime`/`endTime`.
 */
import type { Locale } from '../../kernel/locale.js';
import { dayNumber, isRealDay, MONTH_NAMES, readDatePart, toIso, type DatePart } from './date-parts.js';
import { prepareInput, stripLabel } from './input.js';
import { fail, ok, type ParseResult } from './result.js';
import { CLOCK, EN_HOUR, formatTimeSpan, readTimeSpan, ZH_HOUR, type TimeSpan } from './time.js';

/**
 * A day (start === end) or an inclusive range of days, both `YYYY-MM-DD`, and the hours of each day
 * when given (`HH:MM`; the keys are absent otherwise, so values without times are as before).
 * Plain JSON when stored.
 */
export type DateRange = { start: string; end: string } & TimeSpan;

/** Options of {@link parseDateOrRange}. */
export interface DateOptions {
  /** Year of dates written without one (the event's year). */
  defaultYear: number;
}

/** Longest accepted range, in days, both ends included. */
export const MAX_RANGE_DAYS = 366;

const TIME_MARK = '\uE000';
const TIME_RANGE = new RegExp(`${TIME_MARK}(?:\\s?(?:[-–—~〜至到]{1,2}|to)\\s?${TIME_MARK})*`, 'g');
const PERIOD_WORD = /上午|下午|晚上|早上|早晨|中午|凌晨|傍晚|全天|整天|每天|每日|all day|every day|each day|daily/g;
const ZH_WEEKDAY = /\(?\s?(?:周|星期|礼拜)[一二三四五六日天七]\s?\)?/g;
const EN_WEEKDAY =
  /\(?\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?\)?,?/g;
const SEPARATOR = /\s?(?:[-–—―~〜−]{1,2}|至|到|to|until|till|through)\s?/y;
const ZH_DIGITS: Readonly<Record<string, number>> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** `二〇二一` → 2021, `二十二` → 22, `十` → 10; undefined for anything else. */
function zhNumber(s: string): number | undefined {
  const digits = [...s].map((c) => ZH_DIGITS[c]);
  if (!s.includes('十')) return digits.every((d) => d !== undefined) ? Number(digits.join('')) : undefined;
  const [tens = '', ones = ''] = s.split('十');
  const t = tens === '' ? 1 : ZH_DIGITS[tens];
  const o = ones === '' ? 0 : ZH_DIGITS[ones];
  return t === undefined || o === undefined || tens.length > 1 || ones.length > 1 ? undefined : t * 10 + o;
}

/** Lower-cases and removes what is not the date: weekdays, clock times, a label, end punctuation. */
function clean(text: string): string {
  return stripLabel(text)
    .toLowerCase()
    .replaceAll(TIME_MARK, ' ')
    .replace(ZH_WEEKDAY, ' ')
    .replace(EN_WEEKDAY, ' ')
    .replace(/[〇零一二三四五六七八九十]{1,4}(?=\s?[年月日号])/g, (m) => String(zhNumber(m) ?? m))
    .replace(CLOCK, TIME_MARK)
    .replace(ZH_HOUR, TIME_MARK)
    .replace(EN_HOUR, TIME_MARK)
    .replace(TIME_RANGE, ' ')
    .replace(PERIOD_WORD, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,]+|[\s,.;。、]+$/g, '');
}

/**
 * Parses a day or a range of days. Accepts ISO and dotted/slashed numeric dates, Chinese dates
 * (`2021年5月22日`, `5月22号`, `二〇二一年五月二十二日`), `5.22`, `5/22`, English dates
 * (`22 May 2021`, `May 22, 2021`), ranges joined by - – — ~ ～ 至 到 or "to" (`5月22日-28日`,
 * `22-28 May 2021`, `5月22日至6月2日`). Weekdays (`（周六）`) are ignored; clock times
 * (`9:00-11:30`, `上午9点`, `9am-4pm`) anywhere in the text are kept as the hours of each day (see
 * `readTimeSpan` for their codes). A missing year is
 * `defaultYear`, or taken from the other end of the range (rolling over the new year when the end
 * month is before the start month). Codes: `date.empty`, `date.too_long` (`max`),
 * `date.invalid`, `date.not_a_day` (`text`), `date.end_before_start`, `date.range_too_long` (`max`).
 */
export function parseDateOrRange(input: string, options: DateOptions): ParseResult<DateRange> {
  const prepared = prepareInput(input, 'date');
  if (!prepared.ok) return prepared;
  const times = readTimeSpan(stripLabel(prepared.text).toLowerCase());
  if (!times.ok) return times;
  const text = clean(prepared.text);
  if (text === '') return fail('date.invalid');
  const first = readDatePart(text, 0);
  if (first === undefined) return fail('date.invalid');
  let second: DatePart | undefined;
  if (first.end < text.length) {
    SEPARATOR.lastIndex = first.end;
    const sep = SEPARATOR.exec(text);
    const next = sep === null ? undefined : readDatePart(text, first.end + sep[0].length);
    if (next === undefined || next.end < text.length) return fail('date.invalid');
    second = next.part;
  }
  const days = second === undefined ? single(first.part, options.defaultYear) : range(first.part, second, options.defaultYear);
  return days.ok ? ok({ ...days.value, ...times.value }) : days;
}

/** A lone date: needs its month; the year defaults. */
function single(part: DatePart, defaultYear: number): ParseResult<DateRange> {
  if (part.month === undefined) return fail('date.invalid');
  const year = part.year ?? defaultYear;
  if (!isRealDay(year, part.month, part.day)) return fail('date.not_a_day', { text: part.text });
  const iso = toIso(year, part.month, part.day);
  return ok({ start: iso, end: iso });
}

/** Completes both ends from each other, then checks order and length. */
function range(a: DatePart, b: DatePart, defaultYear: number): ParseResult<DateRange> {
  const aMonth = a.month ?? b.month;
  const bMonth = b.month ?? a.month;
  if (aMonth === undefined || bMonth === undefined) return fail('date.invalid');
  // A year rolls only between explicitly written months (12月28日至1月3日), never for 28日-22日.
  const monthsBackwards = a.month !== undefined && b.month !== undefined && b.month < a.month;
  let aYear = a.year;
  let bYear = b.year;
  if (aYear === undefined && bYear !== undefined) aYear = monthsBackwards ? bYear - 1 : bYear;
  aYear ??= defaultYear;
  bYear ??= monthsBackwards ? aYear + 1 : aYear;
  if (!isRealDay(aYear, aMonth, a.day)) return fail('date.not_a_day', { text: a.text });
  if (!isRealDay(bYear, bMonth, b.day)) return fail('date.not_a_day', { text: b.text });
  const start = toIso(aYear, aMonth, a.day);
  const end = toIso(bYear, bMonth, b.day);
  const days = dayNumber(end) - dayNumber(start) + 1;
  if (days < 1) return fail('date.end_before_start');
  if (days > MAX_RANGE_DAYS) return fail('date.range_too_long', { max: MAX_RANGE_DAYS });
  return ok({ start, end });
}

/** Splits an ISO date into numbers; undefined when it is not one. */
function ymd(iso: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * Shows a day or range the way the locale writes it, always with the year so that parsing it back
 * gives the same value: zh-CN `2021年5月22日`, `2021年5月22日至5月28日`,
 * `2021年12月28日至2022年1月3日`; en `22 May 2021`, `22–28 May 2021`, `22 May – 2 June 2021`,
 * `28 December 2021 – 3 January 2022`; hours follow the days (`2021年5月22日 9:00–16:00`,
 * `22 May 2021, 9:00–16:00`). Malformed values are shown as they are.
 */
export function formatDateOrRange(value: DateRange, locale: Locale): string {
  const days = formatDays(value, locale);
  const hours = formatTimeSpan(value);
  if (hours === '') return days;
  return locale === 'zh-CN' ? `${days} ${hours}` : `${days}, ${hours}`;
}

/** The days of a value, without its hours. */
function formatDays(value: DateRange, locale: Locale): string {
  const s = ymd(value.start);
  const e = ymd(value.end);
  if (s === undefined || e === undefined) {
    return value.start === value.end ? value.start : `${value.start} – ${value.end}`;
  }
  const [sy, sm, sd] = s;
  const [ey, em, ed] = e;
  const same = value.start === value.end;
  if (locale === 'zh-CN') {
    const head = `${String(sy)}年${String(sm)}月${String(sd)}日`;
    if (same) return head;
    return `${head}至${ey === sy ? '' : `${String(ey)}年`}${String(em)}月${String(ed)}日`;
  }
  const month = (m: number): string => MONTH_NAMES[m - 1] ?? String(m);
  if (same) return `${String(sd)} ${month(sm)} ${String(sy)}`;
  if (sy === ey && sm === em) return `${String(sd)}–${String(ed)} ${month(em)} ${String(ey)}`;
  if (sy === ey) return `${String(sd)} ${month(sm)} – ${String(ed)} ${month(em)} ${String(ey)}`;
  return `${String(sd)} ${month(sm)} ${String(sy)} – ${String(ed)} ${month(em)} ${String(ey)}`;
}
