/**
 * Building blocks of the date parser: the calendar arithmetic and the patterns for one date as
 * people write it (`2021年5月22日`, `2021-05-22`, `5.22`, `22 May`, `May 22, 2021`, `28日`). Kept
 * apart from `date.ts` so the range logic there stays readable.
 */

/** One written date; year and month may be missing and are then taken from the other end or the default. */
export interface DatePart {
  year?: number;
  month?: number;
  day: number;
  /** The text the date was read from, for messages such as "2月30日 is not a day". */
  text: string;
}

/** English month names and abbreviations, in calendar order. */
export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

const MONTH_WORD =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\\.?';
const ORDINAL = '(?:st|nd|rd|th)?';
const YEAR_TAIL = '(?:\\s?,?\\s?(\\d{4}))?';

/** Month number of an English month word (any accepted abbreviation), lower case. */
function monthOfWord(word: string): number {
  return MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(word.slice(0, 3))) + 1;
}

type Reader = (m: RegExpExecArray) => Omit<DatePart, 'text'>;

/** The patterns, tried in order at the current position; each is sticky and has no nested repeats. */
const PATTERNS: readonly { re: RegExp; read: Reader }[] = [
  {
    // 2021年5月22日, and the short 21年5月22日 (always this century).
    re: /(\d{4}|\d{2})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]?/y,
    read: (m) => ({ year: fullYear(m[1] ?? ''), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    re: /(\d{4})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{1,2})(?!\d)/y,
    read: (m) => ({ year: Number(m[1]), month: Number(m[3]), day: Number(m[4]) }),
  },
  {
    re: /(\d{4})(\d{2})(\d{2})(?!\d)/y,
    read: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    re: /(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]?/y,
    read: (m) => ({ month: Number(m[1]), day: Number(m[2]) }),
  },
  {
    re: /(\d{1,2})\s?[./]\s?(\d{1,2})(?![\d./])/y,
    read: (m) => ({ month: Number(m[1]), day: Number(m[2]) }),
  },
  {
    re: new RegExp(`(\\d{1,2})${ORDINAL}\\s?(?:of\\s)?${MONTH_WORD}${YEAR_TAIL}(?!\\d)`, 'y'),
    read: (m) => withYear({ month: monthOfWord(m[2] ?? ''), day: Number(m[1]) }, m[3]),
  },
  {
    re: new RegExp(`${MONTH_WORD}\\s?(\\d{1,2})${ORDINAL}(?![\\d:])${YEAR_TAIL}(?!\\d)`, 'y'),
    read: (m) => withYear({ month: monthOfWord(m[1] ?? ''), day: Number(m[2]) }, m[3]),
  },
  {
    re: /(\d{1,2})\s?[日号]/y,
    read: (m) => ({ day: Number(m[1]) }),
  },
  {
    re: new RegExp(`(\\d{1,2})${ORDINAL}(?![\\d./:年月])${YEAR_TAIL}(?!\\d)`, 'y'),
    read: (m) => withYear({ day: Number(m[1]) }, m[2]),
  },
];

/** A written year; two digits mean 20xx. */
function fullYear(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

/** Adds the year when the pattern captured one. */
function withYear(part: Omit<DatePart, 'text' | 'year'>, year: string | undefined): Omit<DatePart, 'text'> {
  return year === undefined ? part : { ...part, year: Number(year) };
}

/**
 * Reads one date at `pos` of `text` (lower case, single spaces). Returns the date and the position
 * after it, or undefined when no pattern matches there.
 */
export function readDatePart(text: string, pos: number): { part: DatePart; end: number } | undefined {
  for (const { re, read } of PATTERNS) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) continue;
    const end = pos + m[0].length;
    return { part: { ...read(m), text: m[0].trim() }, end };
  }
  return undefined;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether year/month/day is a real calendar day (years 1000–9999). */
export function isRealDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return false;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  return Number.isInteger(day) && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD` of a real day. */
export function toIso(year: number, month: number, day: number): string {
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days from 1970-01-01 to an ISO date, for ordering and range length. */
export function dayNumber(iso: string): number {
  const [y = 0, m = 1, d = 1] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return Math.round(date.getTime() / 86_400_000);
}
