/**
 * Whole counts such as expected participants or number of sessions. People answer `约300人`,
 * `300余人`, `1.2万人次` or `三百人`; a hedge ("about", "more than") keeps the stated number as
 * the lower bound, while a range (`200-300人`) is refused so the user commits to one number.
 */
import { prepareInput, stripAffixes, stripLabel } from './input.js';
import { parseNumeral, trimDecimal } from './numeral.js';
import { fail, ok, type ParseResult } from './result.js';

/** Options of {@link parsePositiveInteger}; `max` is required so every field states its bound. */
export interface IntegerOptions {
  /** Smallest accepted value (default 1). */
  min?: number;
  /** Largest accepted value. */
  max: number;
}

const PREFIXES = [
  '大约', '大概', '预计', '共计', '合计', '总计', '将近', '接近', '超过', '不少于', '至少', '约', '共', '近', '逾', '计',
];
const SUFFIXES = [
  '左右', '上下', '以上', '人次', '余', '多', '来', '人', '名', '位', '个', '场', '次', '期', '项', '家', '所', '支',
  '。', '.',
];
const SIGN = /^[-−负]\s*/;
const RANGE = /[\d一二两三四五六七八九十百千万][\s]*(?:[-–—~〜至到]|或)[\s]*[\d一二两三四五六七八九十]/;
// 两三百, 五六十: two neighbouring digits before a unit are a spoken range.
const SPOKEN_RANGE = /[一二两三四五六七八九][一二两三四五六七八九][十百千万]/;

/**
 * Parses a whole number of things. Accepts Arabic digits (thousands commas allowed), Chinese
 * numerals, 万 (`1.2万` = 12000), hedges (`约`, `左右`, `余`, `多`, `以上`, kept as the stated
 * number) and a unit word (人, 人次, 名, 场, 次, 个, …). Codes: `integer.empty`,
 * `integer.too_long` (`max`), `integer.invalid`, `integer.range_given`, `integer.not_whole`,
 * `integer.too_small` (`min`), `integer.too_large` (`max`).
 */
export function parsePositiveInteger(input: string, options: IntegerOptions): ParseResult<number> {
  const prepared = prepareInput(input, 'integer');
  if (!prepared.ok) return prepared;
  const min = options.min ?? 1;
  const max = options.max;
  let text = stripLabel(prepared.text).toLowerCase();
  let negative = false;
  for (let round = 0; round < 3; round++) {
    text = stripAffixes(text, PREFIXES, SUFFIXES);
    if (!SIGN.test(text)) break;
    negative = true;
    text = text.replace(SIGN, '');
  }
  if (RANGE.test(text) || SPOKEN_RANGE.test(text)) return fail('integer.range_given');
  const parsed = parseNumeral(text);
  if (parsed === undefined) return fail('integer.invalid');
  const number = trimDecimal(parsed);
  if (number.scale > 0) return fail('integer.not_whole');
  const value = (negative ? -1 : 1) * Number(number.units);
  if (value < min) return fail('integer.too_small', { min });
  if (!(value <= max)) return fail('integer.too_large', { max });
  return ok(value === 0 ? 0 : value);
}

/** Shows a count the way {@link parsePositiveInteger} reads it back: plain digits (`300`). */
export function formatInteger(value: number): string {
  return Number.isFinite(value) ? String(Math.trunc(value)) : String(value);
}
