/**
 * One cell of a staff export: the CSV-injection guard every spreadsheet cell goes through, and how a
 * stored field value becomes the text (or, for money, counts and dates, the typed value) a cell shows.
 */
import type { JsonValue } from '../kernel/json.js';
import { filesOf } from '../flow/attachments.js';
import type { FieldContext, FieldSpec } from '../flow/define.js';
import { formatTimeSpan, type DateRange } from '../flow/parse/index.js';

/** A typed spreadsheet value: text, a number (yuan, a count) or a calendar date (`YYYY-MM-DD`). */
export type CellValue = string | number | { date: string } | null;

/**
 * The characters that make a spreadsheet read a cell as a formula (the OWASP CSV-injection list: `=`,
 * `+`, `-`, `@`, tab, carriage return), also behind leading spaces, which some importers trim.
 */
const FORMULA_START = /^(?:[=+\-@\t\r\n]|[ \u00a0\u3000]+[=+\-@])/;

// Characters XML 1.0 cannot hold (XLSX and DOCX are XML): C0 controls but tab, LF and CR; U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text an XML file can hold: characters XML 1.0 forbids are dropped and lone surrogates become
 * U+FFFD, so an odd stored value (an old filing, a name from a client) cannot make the file corrupt.
 */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Makes a text cell safe to open in a spreadsheet: a value that starts with `=`, `+`, `-`, `@`, a tab,
 * a carriage return or a line feed (or spaces and then one of the four) gets a leading `'`, so Excel,
 * LibreOffice and Sheets show it as text instead of evaluating it (`=HYPERLINK(…)` →
 * `'=HYPERLINK(…)`); characters XML cannot hold go ({@link xmlSafe}). Other text is unchanged.
 */
export function neutralizeCell(given: string): string {
  const text = xmlSafe(given);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A stored date range (`{ start, end }` in ISO dates, with `startTime`/`endTime` when given), if the value is one. */
export function dateRangeOf(value: JsonValue | undefined): DateRange | undefined {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { start, end, startTime, endTime } = value;
  if (typeof start !== 'string' || typeof end !== 'string') return undefined;
  const range: DateRange = { start, end };
  if (typeof startTime === 'string') range.startTime = startTime;
  if (typeof endTime === 'string') range.endTime = endTime;
  return range;
}

/** The hours of a stored date range as a cell shows them (`9:00–16:00`), or null when it has none. */
export function hoursOf(value: JsonValue | undefined): string | null {
  const range = dateRangeOf(value);
  const text = range === undefined ? '' : formatTimeSpan(range);
  return text === '' ? null : text;
}

/** The names of the files in a file field, joined by `、` (a file without a name shows as `#n`). */
export function fileNames(value: JsonValue | undefined): string {
  return filesOf(value)
    .map((file, index) => file.name ?? `#${index + 1}`)
    .join('、');
}

/** The field's own formatter, falling back to JSON when it throws on an unexpected value. */
function formatted(field: FieldSpec, value: JsonValue, ctx: FieldContext): string {
  try {
    return field.format(value, ctx);
  } catch {
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/**
 * The display text of a stored value, as a CSV cell or a DOCX run shows it: choices by their label,
 * date ranges written out (`2021年5月22日至5月28日`), files by their names, money and counts as plain
 * digits (`55000`, `300`) so a spreadsheet still reads them as numbers. Missing values are ''.
 * The text is not neutralized: callers writing spreadsheets pass it through {@link neutralizeCell}.
 */
export function cellText(field: FieldSpec, value: JsonValue | undefined, ctx: FieldContext): string {
  if (value === undefined || value === null) return '';
  if ((field.kind === 'money' || field.kind === 'integer') && typeof value === 'number') return String(value);
  if (field.kind === 'files') return fileNames(value);
  return formatted(field, value, ctx).trim();
}

/**
 * The typed value of a stored value for an XLSX cell: money and counts stay numbers, everything else
 * is its {@link cellText}. Date ranges are split by the caller (see `dateRangeOf`).
 */
export function cellValue(field: FieldSpec, value: JsonValue | undefined, ctx: FieldContext): CellValue {
  if (value === undefined || value === null) return null;
  if ((field.kind === 'money' || field.kind === 'integer') && typeof value === 'number') return value;
  return cellText(field, value, ctx);
}
