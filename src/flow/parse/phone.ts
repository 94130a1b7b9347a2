/**
 * Telephone numbers of contact persons: mainland mobiles and landlines with an optional
 * extension, in every way people type them (`138 0013 8000`, `+86 138-0013-8000`,
 * `（0532）85911893转801`). The stored form is canonical: `13800138000` or `0532-85911893[-801]`.
 */
import { prepareInput, stripLabel } from './input.js';
import { fail, ok, type ParseResult } from './result.js';

/** Options of {@link parsePhone}. */
export interface PhoneOptions {
  /** Area code (`0532`) put before a bare 7–8 digit local number; without it such numbers are refused. */
  defaultAreaCode?: string;
}

// Mainland area codes: 010 and 02x have three digits, all others (03xx–09xx) four.
const AREA_CODE = /^(?:010|02\d|0[3-9]\d\d)$/;
const MOBILE = /^1[3-9]\d{9}$/;
const EXT_MAX = 6;
// An explicit extension at the end: 转801, 分机801, 分机号:801, ext. 801, x801, (分机801).
const EXTENSION = /\(?\s*(?:转|分机号?|ext(?:ension)?\.?|x)\s*:?\s*(\d+)\s*\)?$/;
// One pair of parentheses around a leading group: (0532), (+86) 0532, +86 (0) 532.
const LEADING_PARENS = /^[\d\s+]*\([\d\s+-]+\)[^()]*$/;
const ALLOWED = /^\+?[\d\s.-]+$/;

/** Area code length implied by the leading digits (3 for 010/02x, else 4). */
function areaLength(digits: string): number {
  return digits.startsWith('010') || digits.startsWith('02') ? 3 : 4;
}

/** Joins the leading groups into a 7–8 digit local number; leftover groups may form an extension. */
function splitLocal(groups: string[]): { local: string; rest: string[] } {
  let local = '';
  let i = 0;
  while (i < groups.length && local.length < 7) local += groups[i++] ?? '';
  return { local, rest: groups.slice(i) };
}

/** Builds `area-local[-ext]` after checking each part. */
function landline(area: string, groups: string[], markerExt: string | undefined): ParseResult<string> {
  const { local, rest } = splitLocal(groups);
  if (!AREA_CODE.test(area) || !/^[2-9]\d{6,7}$/.test(local)) return fail('phone.invalid');
  if (rest.length > 1 || (rest.length === 1 && markerExt !== undefined)) return fail('phone.invalid');
  const ext = markerExt ?? rest[0];
  if (ext === undefined) return ok(`${area}-${local}`);
  if (ext.length > EXT_MAX) return fail('phone.extension_invalid', { max: EXT_MAX });
  return ok(`${area}-${local}-${ext}`);
}

/**
 * Parses a mainland phone number. Mobiles (11 digits, 1[3-9]…, optional +86/0086/86) become
 * `13800138000`; landlines (area code 010/02x/0xxx, then 7–8 digits not starting with 0 or 1)
 * become `0532-85911893`, with an extension of 1–6 digits (`-801`, `转801`, `分机801`,
 * `ext. 801`) appended as `-801`. A bare local number takes `defaultAreaCode` when given.
 * Codes: `phone.empty`, `phone.too_long` (`max`), `phone.invalid`, `phone.mobile_length`
 * (`count`: digits typed), `phone.area_code_required`, `phone.extension_invalid` (`max`).
 */
export function parsePhone(input: string, options?: PhoneOptions): ParseResult<string> {
  const prepared = prepareInput(input, 'phone');
  if (!prepared.ok) return prepared;
  let text = stripLabel(prepared.text)
    .toLowerCase()
    .replace(/[‐‑‒–—―−﹣]/g, '-')
    .replace(/[。;,]+$/, '')
    .trim();
  let markerExt: string | undefined;
  const ext = EXTENSION.exec(text);
  if (ext !== null) {
    markerExt = ext[1] ?? '';
    text = text.slice(0, ext.index).trim();
    if (markerExt.length > EXT_MAX) return fail('phone.extension_invalid', { max: EXT_MAX });
  }
  if (text.includes('(') || text.includes(')')) {
    if (!LEADING_PARENS.test(text)) return fail('phone.invalid');
    text = text.replace(/[()]/g, ' ').trim();
  }
  if (!ALLOWED.test(text)) return fail('phone.invalid');
  const plus = text.startsWith('+');
  let groups = text.replace(/^\+/, '').split(/[\s.-]+/).filter((g) => g !== '');
  let digits = groups.join('');
  // Country code: +86 / 0086 always, bare 86 only before a mobile number.
  const country = plus ? '86' : digits.startsWith('0086') ? '0086' : /^861[3-9]\d{9}$/.test(digits) ? '86' : '';
  if (plus && !digits.startsWith('86')) return fail('phone.invalid');
  if (country !== '') {
    groups = dropLeadingDigits(groups, country.length);
    // "+86 (0)532 …": the trunk 0 written on its own belongs to the area code.
    if (groups[0] === '0' && groups.length > 1) groups = [`0${groups[1] ?? ''}`, ...groups.slice(2)];
    digits = groups.join('');
    if (digits !== '' && !digits.startsWith('0') && !digits.startsWith('1')) {
      groups = ['0' + (groups[0] ?? ''), ...groups.slice(1)];
      digits = '0' + digits;
    }
  }
  if (digits === '') return fail('phone.invalid');
  if (digits.startsWith('1')) {
    if (markerExt !== undefined) return fail('phone.invalid');
    if (MOBILE.test(digits)) return ok(digits);
    if (/^1[3-9]/.test(digits)) return fail('phone.mobile_length', { count: digits.length });
    return fail('phone.invalid');
  }
  if (digits.startsWith('0')) {
    const len = areaLength(digits);
    const first = groups[0] ?? '';
    // A separately typed area code must be exactly the area code (no "053 285911893", "0215-…").
    if (groups.length > 1 && first.length <= 4 && first.length !== len) return fail('phone.invalid');
    return landline(digits.slice(0, len), dropLeadingDigits(groups, len), markerExt);
  }
  const { local } = splitLocal(groups);
  if (!/^[2-9]\d{6,7}$/.test(local)) return fail('phone.invalid');
  const area = options?.defaultAreaCode?.replace(/[\s()-]/g, '');
  if (area === undefined || !AREA_CODE.test(area)) return fail('phone.area_code_required');
  return landline(area, groups, markerExt);
}

/** Removes the first `count` digits across groups, dropping groups that become empty. */
function dropLeadingDigits(groups: string[], count: number): string[] {
  const out: string[] = [];
  let left = count;
  for (const g of groups) {
    if (left >= g.length) left -= g.length;
    else {
      out.push(g.slice(left));
      left = 0;
    }
  }
  return out;
}

/**
 * Shows a stored phone number. The canonical form is already what people expect to read, so it is
 * returned unchanged; kept as a function so every field type has a formatter.
 */
export function formatPhone(value: string): string {
  return value;
}
