/**
 * Field builders: one function per field kind, each wiring the matching parser, formatter and stored
 * schema, so a flow in `flows/` declares only what differs (id, official column, bounds).
 */
import { z } from 'zod';
import type { JsonValue } from '../kernel/json.js';
import { graphemeCount } from '../kernel/graphemes.js';
import type { FieldContext, FieldOption, FieldSpec, FieldWarning } from './define.js';
import {
  cleanText,
  fail,
  formatDateOrRange,
  formatInteger,
  formatMoneyYuan,
  normalizeLine,
  ok,
  parseDateOrRange,
  parseEmail,
  parseMoneyYuan,
  parsePhone,
  parsePositiveInteger,
  parsePostalCode,
  type DateRange,
  type ParseResult,
} from './parse/index.js';

/** What every builder accepts. */
interface Common {
  column: string;
  aliases?: readonly string[];
  optional?: boolean;
}

const HHMM = /^\d{2}:\d{2}$/;
/** A stored date range; the hours are there only when the filer gave them (older values have none). */
const dateRangeSchema = z.object({
  start: z.string(),
  end: z.string(),
  startTime: z.string().regex(HHMM).optional(),
  endTime: z.string().regex(HHMM).optional(),
});

/** The days and, when present, the hours of a parsed or stored range (absent hours stay absent). */
function toRange(r: { start: string; end: string; startTime?: string | undefined; endTime?: string | undefined }): DateRange {
  const range: DateRange = { start: r.start, end: r.end };
  if (r.startTime !== undefined) range.startTime = r.startTime;
  if (r.endTime !== undefined) range.endTime = r.endTime;
  return range;
}

/** The stored value of a date range: plain JSON with the same keys. */
function dateRangeValue(range: DateRange): JsonValue {
  return { ...range };
}

/** A stored date range read back, with its hours when it has them. */
function readDateRange(value: JsonValue): DateRange | undefined {
  const parsed = dateRangeSchema.safeParse(value);
  return parsed.success ? toRange(parsed.data) : undefined;
}

function base(id: string, common: Common): Pick<FieldSpec, 'id' | 'column' | 'aliases' | 'optional'> {
  return { id, column: common.column, aliases: common.aliases ?? [], optional: common.optional ?? false };
}

function asString(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Checks a text's length in characters as users count them (grapheme clusters: 👨‍👩‍👧‍👦 is one). */
function checkLength(text: string, min: number, max: number): ParseResult<JsonValue> {
  const length = graphemeCount(text, max);
  if (length === 0) return fail('text.empty');
  if (length < min) return fail('text.too_short', { min });
  if (length > max) return fail('text.too_long', { max });
  return ok(text);
}

/** A one-line text (names, addresses): collapsed to one line, 1..maxLength characters. */
export function textField(id: string, common: Common & { maxLength?: number }): FieldSpec {
  const maxLength = common.maxLength ?? 100;
  return {
    ...base(id, common),
    kind: 'text',
    schema: z.string(),
    parse: (text) => checkLength(cleanText(text.replace(/\n+/g, ' ')).replace(/[ \t]+/g, ' '), 1, maxLength),
    format: asString,
  };
}

/** A multi-line text (descriptions) with length bounds; line breaks are kept. */
export function longTextField(id: string, common: Common & { minLength: number; maxLength: number }): FieldSpec {
  return {
    ...base(id, common),
    kind: 'longtext',
    schema: z.string(),
    parse: (text) => checkLength(cleanText(text), common.minLength, common.maxLength),
    format: asString,
  };
}

/** A choice among options computed from the event (e.g. the districts); typed by name, alias or number. */
export function choiceField(id: string, common: Common & { options: (ctx: FieldContext) => FieldOption[] }): FieldSpec {
  const fold = (s: string): string => normalizeLine(s).toLowerCase().replace(/\s+/g, '');
  return {
    ...base(id, common),
    kind: 'choice',
    schema: z.string(),
    options: common.options,
    parse: (text, ctx) => {
      const wanted = fold(text);
      if (wanted === '') return fail('choice.empty');
      const options = common.options(ctx);
      const byNumber = /^\d{1,3}$/.test(wanted) ? options[Number(wanted) - 1] : undefined;
      const found =
        byNumber ??
        options.find((o) => [o.value, o.label, ...o.aliases].some((name) => fold(name) === wanted));
      return found === undefined ? fail('choice.unknown') : ok(found.value);
    },
    format: (value, ctx) => {
      const found = common.options(ctx).find((o) => o.value === value);
      return found === undefined ? asString(value) : found.label;
    },
  };
}

/**
 * A date or a date range, with the hours of the day when given; the year defaults to the event's.
 * `warn` flags unusual but valid values.
 */
export function dateRangeField(
  id: string,
  common: Common & { warn?: (value: DateRange, ctx: FieldContext) => FieldWarning | undefined },
): FieldSpec {
  const spec: FieldSpec = {
    ...base(id, common),
    kind: 'date-range',
    schema: dateRangeSchema.transform((r) => dateRangeValue(toRange(r))),
    parse: (text, ctx) => {
      const parsed = parseDateOrRange(text, { defaultYear: ctx.event.year });
      return parsed.ok ? ok(dateRangeValue(parsed.value)) : parsed;
    },
    format: (value, ctx) => {
      const range = readDateRange(value);
      return range !== undefined ? formatDateOrRange(range, ctx.locale) : asString(value);
    },
  };
  const warn = common.warn;
  if (warn !== undefined) {
    spec.warn = (value, ctx) => {
      const range = readDateRange(value);
      return range !== undefined ? warn(range, ctx) : undefined;
    };
  }
  return spec;
}

/** A whole number between min and max (people, counts); accepts 约300人 and the like. */
export function integerField(id: string, common: Common & { min?: number; max: number }): FieldSpec {
  return {
    ...base(id, common),
    kind: 'integer',
    schema: z.number().int(),
    parse: (text) => parsePositiveInteger(text, { min: common.min ?? 1, max: common.max }),
    format: (value) => (typeof value === 'number' ? formatInteger(value) : asString(value)),
  };
}

/** An amount in yuan; accepts 5万元, 50,000元, ¥5.5万. */
export function moneyField(id: string, common: Common & { max?: number }): FieldSpec {
  return {
    ...base(id, common),
    kind: 'money',
    schema: z.number(),
    parse: (text) => parseMoneyYuan(text, common.max === undefined ? {} : { max: common.max }),
    format: (value, ctx) => (typeof value === 'number' ? formatMoneyYuan(value, ctx.locale === 'en' ? 'en' : 'zh') : asString(value)),
  };
}

/** A mainland phone or fax number (mobile, or landline with area code and extension). */
export function phoneField(id: string, common: Common & { defaultAreaCode?: string }): FieldSpec {
  const options = common.defaultAreaCode === undefined ? {} : { defaultAreaCode: common.defaultAreaCode };
  return {
    ...base(id, common),
    kind: 'phone',
    schema: z.string(),
    parse: (text) => parsePhone(text, options),
    format: asString,
  };
}

/** An e-mail address. */
export function emailField(id: string, common: Common): FieldSpec {
  return { ...base(id, common), kind: 'email', schema: z.string(), parse: (text) => parseEmail(text), format: asString };
}

/** A six-digit postal code. */
export function postalCodeField(id: string, common: Common): FieldSpec {
  return {
    ...base(id, common),
    kind: 'postal-code',
    schema: z.string(),
    parse: (text) => parsePostalCode(text),
    format: asString,
  };
}
