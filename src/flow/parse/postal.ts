/**
 * Mainland postal codes (邮政编码), six digits such as `266071`. Users paste them with spaces,
 * full-width digits or a "邮编：" label.
 */
import { prepareInput, stripLabel } from './input.js';
import { fail, ok, type ParseResult } from './result.js';

/**
 * Parses a six-digit postal code; spaces and dashes between digits, full-width digits and a
 * leading label (`邮编：`) are accepted, as is a trailing `。`. Codes: `postal.empty`,
 * `postal.too_long` (`max`), `postal.invalid`.
 */
export function parsePostalCode(input: string): ParseResult<string> {
  const prepared = prepareInput(input, 'postal');
  if (!prepared.ok) return prepared;
  const text = stripLabel(prepared.text).replace(/[。.]$/, '');
  if (!/^[\d -]+$/.test(text)) return fail('postal.invalid');
  const digits = text.replace(/[ -]/g, '');
  return /^\d{6}$/.test(digits) ? ok(digits) : fail('postal.invalid');
}

/** Shows a postal code; the six digits are already the display form. */
export function formatPostalCode(value: string): string {
  return value;
}
