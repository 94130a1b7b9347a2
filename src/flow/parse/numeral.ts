/**
 * Exact decimal numbers as people write them in Chinese forms: `50,000`, `5.5万`, `1万5千`,
 * `一百万`, `伍万`, `三百五`, `一点五万`. Amounts and head counts share this so that `5.5万` is
 * exactly 55000 (no binary floating point is involved until the very end).
 */

/** An exact decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const ZERO: Decimal = { units: 0n, scale: 0 };

/** `a + b`, exactly. */
function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return {
    units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale),
    scale,
  };
}

/** `a × 10^k` for k ≥ 0, exactly; used for every unit (十, 百, 千, 万, 亿 are all powers of ten). */
export function shiftDecimal(a: Decimal, k: number): Decimal {
  if (a.scale >= k) return { units: a.units, scale: a.scale - k };
  return { units: a.units * 10n ** BigInt(k - a.scale), scale: 0 };
}

/** Drops trailing zero decimals, so `1.50` has scale 1 and `2.00` has scale 0. */
export function trimDecimal(a: Decimal): Decimal {
  let { units, scale } = a;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 貳: 2, 两: 2, 兩: 2, 三: 3, 叁: 3, 叄: 3, 參: 3,
  四: 4, 肆: 4, 五: 5, 伍: 5, 六: 6, 陆: 6, 陸: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 1, 拾: 1, 百: 2, 佰: 2, 千: 3, 仟: 3, k: 3 };
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 4, 萬: 4, w: 4, 亿: 8, 億: 8 };

type Token =
  | { kind: 'num'; value: Decimal; single: boolean }
  | { kind: 'zero' }
  | { kind: 'small'; exp: number }
  | { kind: 'big'; exp: number };

const ARABIC = /\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?/y;

/** Reads an Arabic literal (`50,000.5`) as an exact decimal. */
function decimalOf(literal: string): Decimal {
  const [whole = '0', frac = ''] = literal.replace(/,/g, '').split('.');
  return { units: BigInt(whole + frac), scale: frac.length };
}

/** Splits the text into number and unit tokens, or returns undefined at the first stray char. */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ') {
      i += 1;
      continue;
    }
    ARABIC.lastIndex = i;
    const m = ARABIC.exec(text);
    if (m !== null) {
      tokens.push({ kind: 'num', value: decimalOf(m[0]), single: m[0].length === 1 });
      i += m[0].length;
      continue;
    }
    const digit = DIGITS[c];
    if (digit !== undefined) {
      // 一点五: a Chinese decimal point followed by Chinese digits.
      let j = i + 1;
      let frac = '';
      if (text.charAt(j) === '点') {
        for (j += 1; DIGITS[text.charAt(j)] !== undefined; j++) frac += String(DIGITS[text.charAt(j)]);
        if (frac === '') return undefined;
      }
      if (digit === 0 && frac === '') tokens.push({ kind: 'zero' });
      else tokens.push({ kind: 'num', value: decimalOf(`${digit}.${frac}`), single: frac === '' });
      i = j;
      continue;
    }
    const small = SMALL_UNITS[c];
    const big = BIG_UNITS[c];
    if (small !== undefined) tokens.push({ kind: 'small', exp: small });
    else if (big !== undefined) tokens.push({ kind: 'big', exp: big });
    else return undefined;
    i += 1;
  }
  return tokens;
}

/**
 * Reads a non-negative number written with Arabic digits, Chinese digits (小写 or 大写) and units
 * 十百千万亿 (plus the informal `k` and `w`), mixed as people do. A single trailing digit after a
 * unit is read the colloquial way (`一万五` = 15000, `三百五` = 350); `零` marks a gap
 * (`一百零五` = 105). Returns undefined for anything else, including two numbers side by side.
 * The caller lower-cases and strips currency signs, units of measure and words such as 约 first.
 */
export function parseNumeral(text: string): Decimal | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined || tokens.length === 0) return undefined;
  const [first] = tokens;
  if (tokens.length === 1 && first?.kind === 'zero') return ZERO;
  let total = ZERO;
  let section = ZERO;
  let sectionUsed = false;
  let pending: { value: Decimal; single: boolean } | undefined;
  let lastSmall = 99;
  let lastBig = 99;
  let lastUnit: number | undefined;
  let zeroSeen = false;
  for (const [index, t] of tokens.entries()) {
    if (t.kind === 'num') {
      if (pending !== undefined) return undefined;
      pending = { value: t.value, single: t.single };
    } else if (t.kind === 'zero') {
      if (pending !== undefined || lastUnit === undefined) return undefined;
      zeroSeen = true;
    } else if (t.kind === 'small') {
      if (t.exp >= lastSmall) return undefined;
      // A bare 十 at the very start means 10 (十五 = 15); elsewhere a unit needs its digit.
      const value = pending?.value ?? (index === 0 && t.exp === 1 ? { units: 1n, scale: 0 } : undefined);
      if (value === undefined) return undefined;
      section = add(section, shiftDecimal(value, t.exp));
      sectionUsed = true;
      pending = undefined;
      lastSmall = t.exp;
      lastUnit = t.exp;
      zeroSeen = false;
    } else {
      if (t.exp >= lastBig || (pending === undefined && !sectionUsed)) return undefined;
      const amount = pending === undefined ? section : add(section, pending.value);
      // 亿 scales everything before it (1万亿 aside, which is refused); 万 only its own section.
      total = t.exp === 8 ? shiftDecimal(add(total, amount), 8) : add(total, shiftDecimal(amount, 4));
      section = ZERO;
      sectionUsed = false;
      pending = undefined;
      lastSmall = 99;
      lastBig = t.exp;
      lastUnit = t.exp;
      zeroSeen = false;
    }
  }
  let rest = section;
  if (pending !== undefined) {
    if (lastUnit === undefined || zeroSeen) rest = add(rest, pending.value);
    else if (pending.single) rest = add(rest, shiftDecimal(pending.value, lastUnit - 1));
    else return undefined;
  }
  return trimDecimal(add(total, rest));
}
