/**
 * Amounts of money in yuan (budgets, funding). Office staff write `5万元`, `¥50,000.00`,
 * `人民币伍万元整` or `约5.5万`; all of these must become an exact number of yuan with at most
 * two decimals (fen), computed in integer fen so `5.5万` is exactly 55000.
 */
import { prepareInput, stripAffixes, stripLabel } from './input.js';
import { parseNumeral, shiftDecimal, trimDecimal } from './numeral.js';
import { fail, ok, type ParseResult } from './result.js';

/** The default upper bound for an amount: one billion yuan. */
export const DEFAULT_MAX_YUAN = 1e9;

/** Options of {@link parseMoneyYuan}. */
export interface MoneyOptions {
  /** Largest accepted amount in yuan (default {@link DEFAULT_MAX_YUAN}). */
  max?: number;
}

const PREFIXES = [
  '人民币', '预算金额', '预算', '金额', '经费', '大约', '大概', '预计', '共计', '合计', '总计', '约', '共',
  'rmb', 'cny', '¥', '￥',
];
const SUFFIXES = [
  '元人民币', '元整', '块钱', '人民币', '左右', '上下', '以内', '整', '元', '圆', '块', 'rmb', 'cny', 'yuan',
  '。', '.',
];
const SIGN = /^[-−负]\s*/;
const RANGE = /[\d一二两三四五六七八九十百千万][\s]*(?:[-–—~〜至到]|或)[\s]*[\d一二两三四五六七八九十]/;

/**
 * Parses an amount in yuan. Accepts Arabic digits with optional thousands commas and up to two
 * decimals, Chinese numerals (`五万`, `伍万元整`), the units 千/万/亿 (and informal k/w), a
 * currency sign or word (`¥`, `￥`, `人民币`, `RMB`, `CNY`, `元`, `块`) and hedges (`约`, `左右`).
 * 0 is accepted (no budget). Codes: `money.empty`, `money.too_long` (`max`), `money.invalid`,
 * `money.range_given`, `money.negative`, `money.too_many_decimals`, `money.too_large` (`max`).
 */
export function parseMoneyYuan(input: string, options?: MoneyOptions): ParseResult<number> {
  const prepared = prepareInput(input, 'money');
  if (!prepared.ok) return prepared;
  const max = options?.max ?? DEFAULT_MAX_YUAN;
  let text = stripLabel(prepared.text).toLowerCase();
  let negative = false;
  for (let round = 0; round < 3; round++) {
    text = stripAffixes(text, PREFIXES, SUFFIXES);
    if (!SIGN.test(text)) break;
    negative = true;
    text = text.replace(SIGN, '');
  }
  if (RANGE.test(text)) return fail('money.range_given');
  const amount = parseNumeral(text);
  if (amount === undefined) return fail('money.invalid');
  if (negative && amount.units !== 0n) return fail('money.negative');
  const fen = trimDecimal(shiftDecimal(amount, 2));
  if (fen.scale > 0) return fail('money.too_many_decimals');
  const yuan = Number(fen.units) / 100;
  if (!(yuan <= max)) return fail('money.too_large', { max });
  return ok(yuan);
}

/**
 * Shows an amount the way {@link parseMoneyYuan} reads it back: plain digits, up to two decimals
 * without trailing zeros, then `元` (`55000元`, `55000.5元`); in English with thousands commas and
 * the word (`55,000 yuan`). Rounds to whole fen first so floating-point noise never shows.
 */
export function formatMoneyYuan(value: number, language: 'zh' | 'en' = 'zh'): string {
  const unit = language === 'en' ? ' yuan' : '元';
  if (!Number.isFinite(value)) return `${String(value)}${unit}`;
  const fen = Math.round(Math.abs(value) * 100);
  const sign = value < 0 && fen !== 0 ? '-' : '';
  const whole = String(Math.floor(fen / 100));
  const cents = fen % 100;
  const decimals = cents === 0 ? '' : `.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
  const digits = language === 'en' ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole;
  return `${sign}${digits}${decimals}${unit}`;
}
