/**
 * Receipt numbers (回执号). They are handed to users and typed back in commands, so they are short,
 * unambiguous when read aloud (no 0/O, 1/I/L), and random enough not to be guessed: 10 symbols
 * of a 31-letter alphabet carry about 49 bits. Ownership is still checked on every read.
 */

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 10;

/** A new receipt number such as `KP-7H3K9QXM2A`. */
export function createReceipt(prefix: string): string {
  const bytes = new Uint8Array(LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  let body = '';
  for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length] ?? '2';
  return `${prefix}-${body}`;
}

/** Normalises a receipt as typed (lower case, spaces, full-width dash) for lookup. */
export function normalizeReceipt(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200b]+/g, '')
    .replace(/[‐‑‒–—―－]/g, '-')
    .toUpperCase();
}

/** A short random id for a draft (six lower-case letters and digits), carried in its buttons. */
export function createDraftId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length] ?? 'a';
  return id;
}
