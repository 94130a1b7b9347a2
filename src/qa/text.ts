/**
 * Question text → comparable tokens: full-width folded (NFKC), lower case, Traditional characters
 * folded to Simplified by the map in `data/qa.json`, then split into words by the ICU word
 * segmenter that ships with Node (`Intl.Segmenter`), which knows Chinese words as well as English
 * ones. Also tells which language a question is written in.
 */
import { withoutAddresses, type Locale } from '../kernel/locale.js';

/** A Traditional → Simplified map (single characters and a few short phrases). */
export type FoldMap = Readonly<Record<string, string>>;

const CJK_CHAR = /[\u3400-\u9fff\uf900-\ufaff]/u;
const CJK_GLOBAL = /[\u3400-\u9fff\uf900-\ufaff]/gu;
const ASCII_WORD = /^[a-z0-9][a-z0-9'&-]*$/u;
const ENGLISH_WORD = /[A-Za-z]{2,}/g;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Builds the folding function for a map: longer keys (phrases) first, then single characters. */
export function createFolder(map: FoldMap): (text: string) => string {
  const chars = new Map<string, string>();
  const phrases: [string, string][] = [];
  for (const [from, to] of Object.entries(map)) {
    if ([...from].length === 1) chars.set(from, to);
    else phrases.push([from, to]);
  }
  phrases.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let folded = text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[‘’`´]/gu, "'");
    for (const [from, to] of phrases) folded = folded.split(from).join(to);
    let out = '';
    for (const char of folded) out += chars.get(char) ?? char;
    for (const [from, to] of phrases) out = out.split(from).join(to);
    return out;
  };
}

/** True for a token of Chinese characters. */
export function isCjkToken(token: string): boolean {
  return CJK_CHAR.test(token);
}

/** The word-like segments of already folded text. */
export function toTokens(folded: string): string[] {
  const tokens: string[] = [];
  for (const part of segmenter.segment(folded)) {
    if (part.isWordLike === true) tokens.push(part.segment);
  }
  return tokens;
}

/**
 * Joins tokens back into a phrase key: Chinese is written without spaces, English words with one,
 * so `附件`+`2` is `附件2` and `key`+`project` is `key project`.
 */
export function joinTokens(tokens: readonly string[]): string {
  let out = '';
  let previous: string | undefined;
  for (const token of tokens) {
    const spaced = previous !== undefined && ASCII_WORD.test(previous) && ASCII_WORD.test(token);
    out += spaced ? ` ${token}` : token;
    previous = token;
  }
  return out;
}

/** English inflections tried when a single English word is not in the dictionary. */
export function englishStems(word: string): string[] {
  if (!/^[a-z]{4,}$/u.test(word)) return [];
  const stems: string[] = [];
  if (word.endsWith('ies')) stems.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) stems.push(word.slice(0, -2));
  if (word.endsWith('s')) stems.push(word.slice(0, -1));
  if (word.endsWith('ed')) stems.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith('ing')) stems.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  if (word.endsWith("'s")) stems.push(word.slice(0, -2));
  return stems;
}

/**
 * The language a question is written in, when it is clear: Chinese (Simplified or Traditional)
 * when it has Chinese characters and few English words around them, English when it has at least
 * two English words and no more than two Chinese characters per English word (so "What is 氢进万家?"
 * is English). Undefined for one bare word, a number or a command.
 */
export function questionLanguage(question: string): Locale | undefined {
  const cjk = question.match(CJK_GLOBAL)?.length ?? 0;
  // An address is in no language: lina@example.com is not two English words.
  const words = withoutAddresses(question).match(ENGLISH_WORD)?.length ?? 0;
  if (words >= 2 && cjk <= words * 2) return 'en';
  if (cjk > 0) return 'zh-CN';
  return undefined;
}
