/**
 * E-mail addresses of contact persons. Validation is practical rather than RFC-complete: it
 * catches typos (missing `@`, spaces, `qq。com`) and accepts what Chinese IMEs produce (`＠`,
 * `．`, `。`), and it never rejects an address a mail server would deliver to in practice.
 */
import { prepareInput, stripLabel } from './input.js';
import { fail, ok, type ParseResult } from './result.js';

/** Longest valid address (RFC 5321 path limit). */
export const MAX_EMAIL_LENGTH = 254;

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const TRAILING = /[.,;:!?。、)\]>'"”’》】]+$/;
const LEADING = /^[(<['"“‘《【]+/;

/**
 * Parses an e-mail address: one `@`, a dot-atom local part of at most 64 characters, a domain of
 * valid labels with an alphabetic TLD of 2+ letters. Full-width `＠`/`．` and `。` in the domain
 * are accepted, surrounding brackets/quotes and trailing punctuation are trimmed, a `邮箱：` or
 * `mailto:` label is dropped and the domain is lower-cased (the local part is kept as typed).
 * Codes: `email.empty`, `email.too_long` (`max`), `email.invalid`.
 */
export function parseEmail(input: string): ParseResult<string> {
  const prepared = prepareInput(input, 'email', MAX_EMAIL_LENGTH + 16);
  if (!prepared.ok) return prepared.error === 'email.too_long' ? fail('email.too_long', { max: MAX_EMAIL_LENGTH }) : prepared;
  const text = stripLabel(prepared.text).replace(LEADING, '').replace(TRAILING, '');
  if (text === '') return fail('email.invalid');
  if (text.length > MAX_EMAIL_LENGTH) return fail('email.too_long', { max: MAX_EMAIL_LENGTH });
  const at = text.indexOf('@');
  if (at < 1 || at !== text.lastIndexOf('@')) return fail('email.invalid');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).replace(/[。｡]/g, '.').toLowerCase();
  if (local.length > 64 || !LOCAL.test(local)) return fail('email.invalid');
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(tld)) return fail('email.invalid');
  return ok(`${local}@${domain}`);
}

/** Shows an address; the parsed form is already the display form. */
export function formatEmail(value: string): string {
  return value;
}
