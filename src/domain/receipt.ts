/**
 * Receipt numbers (回执号). They are handed to users and typed back in commands, so they are short,
 * unambiguous when read aloud (no 0/O, 1/I/L), and random enough not to be guessed: 10 symbols
 * of a 31-letter alphabet, each drawn uniformly from the system CSPRNG, carry 49.5 bits (31^10 ≈
 * 8.2 × 10^14). Ownership is still checked on every read, and misses are limited per user
 * (receipt-guard.ts).
 */

/** The symbols of a receipt number. */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** The symbols after the prefix. */
export const RECEIPT_LENGTH = 10;

/**
 * `count` symbols of `alphabet` (at most 256), each uniform: CSPRNG bytes at or above the largest
 * multiple of the alphabet's size (248 for 31 symbols) are drawn again instead of folding onto the
 * first symbols, which `byte % 31` alone would make more likely.
 */
export function randomSymbols(alphabet: string, count: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < count) {
    // getRandomValues gives at most 64 KiB a call.
    const bytes = new Uint8Array(Math.min(65_536, (count - out.length) * 2));
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit && out.length < count) out += alphabet[byte % alphabet.length] ?? '';
    }
  }
  return out;
}

/** A new receipt number such as `KP-7H3K9QXM2A`. */
export function createReceipt(prefix: string): string {
  return `${prefix}-${randomSymbols(RECEIPT_ALPHABET, RECEIPT_LENGTH)}`;
}

/** Bits of entropy in a receipt number (after its prefix). */
export const RECEIPT_BITS = RECEIPT_LENGTH * Math.log2(RECEIPT_ALPHABET.length);

/** Normalises a receipt as typed (lower case, spaces, full-width dash) for lookup. */
export function normalizeReceipt(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200b]+/g, '')
    .replace(/[‐‑‒–—―－]/g, '-')
    .toUpperCase();
}

/**
 * True when text, normalised, has the shape of a receipt number (a prefix of capitals, a dash, then
 * letters and digits), so a command word followed by it reads as a command and not as a sentence.
 * A wrong or mistyped number still has the shape; the lookup is what says it does not exist.
 */
export function looksLikeReceipt(text: string): boolean {
  return /^[A-Z]{1,4}-[0-9A-Z]{4,16}$/.test(normalizeReceipt(text));
}

/** A short random id for a draft (six lower-case letters and digits), carried in its buttons. */
export function createDraftId(): string {
  return randomSymbols('abcdefghijkmnpqrstuvwxyz23456789', 6);
}
