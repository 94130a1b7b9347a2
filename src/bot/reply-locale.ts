/**
 * The language of a message's replies, chosen from what the session and the platform say and, failing
 * those, from what the user writes.
 */
import type { Inbound } from '../domain/inbound.js';
import type { SessionData } from '../domain/session.js';
import { toLocale, withoutAddresses, type Locale } from '../kernel/locale.js';

const CJK = /[\u3400-\u9fff]/gu;
const LATIN_WORD = /\b[A-Za-z]{2,}\b/g;

/** The language a message is clearly written in: two Chinese characters, or two English words and no Chinese. */
function clearLanguageOf(text: string | undefined): Locale | undefined {
  if (text === undefined || /^\s*[/／]/u.test(text)) return undefined;
  const cjk = text.match(CJK)?.length ?? 0;
  if (cjk >= 2) return 'zh-CN';
  const words = withoutAddresses(text).match(LATIN_WORD)?.length ?? 0;
  return cjk === 0 && words >= 2 ? 'en' : undefined;
}

/**
 * The language of the replies: the user's /lang choice, else the platform's hint, else a guess from
 * what they write. Outside a form a clear sign of the other language changes the guess; inside a form
 * it does not (an English speaker may type a Chinese venue name).
 */
export function chooseLocale(session: SessionData, inbound: Inbound, fallback: Locale): { locale: Locale; guessed: Locale | undefined } {
  if (session.locale !== undefined) return { locale: session.locale, guessed: session.guessedLocale };
  const hinted = toLocale(inbound.user.localeHint);
  if (hinted !== undefined) return { locale: hinted, guessed: session.guessedLocale };
  const clear = session.flow === undefined || session.guessedLocale === undefined ? clearLanguageOf(inbound.text) : undefined;
  const guessed = clear ?? session.guessedLocale;
  return { locale: guessed ?? fallback, guessed };
}

