/**
 * Grades one answer of the question set: the facts are there, the answer is in the language of the
 * question and names its part of the notice; for a question the notice does not answer, it says so
 * with the contact phone and contains no date or venue it could have invented.
 */
import type { I18n } from '../../../src/kernel/i18n.js';
import { FACTS } from './facts.js';
import type { QaCase } from './questions.js';

/** The grade of one answer. */
export interface Grade {
  ok: boolean;
  /** An out-of-scope question got something other than "the notice does not say", or a date/venue. */
  invented: boolean;
  problems: string[];
}

/** Dates and places an honest "not in the notice" answer must not contain. */
const INVENTIONS: readonly RegExp[] = [
  /\d{1,2}月\d{1,2}日/u,
  /\d{4}年/u,
  /\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)\b/u,
  /\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}\b/u,
  /\d{1,2}[:：]\d{2}/u,
  /香港中路|Hong Kong Middle Road|广场|Square|会展中心|Convention|体育馆|Stadium/u,
];

const CJK = /[\u3400-\u9fff]/gu;
const LATIN = /[A-Za-z]/g;

/** The language an answer is written in, ignoring e-mail addresses and commands. */
export function answerLanguage(text: string): 'zh-CN' | 'en' {
  const prose = text.replace(/\S+@\S+/gu, '').replace(/\/[a-z]+(?: [a-z-]+)?/gu, '');
  const cjk = prose.match(CJK)?.length ?? 0;
  const latin = prose.match(LATIN)?.length ?? 0;
  return cjk * 3 > latin ? 'zh-CN' : 'en';
}

/** Grades `text`, the plain text of the answer to `item`. */
export function grade(item: QaCase, text: string, i18n: I18n): Grade {
  const t = i18n.forLocale(item.lang);
  const problems: string[] = [];
  const notSaid = text.includes(t('qa.unknown'));
  if (answerLanguage(text) !== item.lang) problems.push(`answered in ${answerLanguage(text)}`);
  if ('outOfScope' in item) {
    if (!notSaid) problems.push('does not say the notice is silent');
    if (!text.includes('85911893')) problems.push('no contact phone');
    const invented = INVENTIONS.filter((pattern) => pattern.test(text)).map(String);
    if (invented.length > 0) problems.push(`invents ${invented.join(', ')}`);
    return { ok: problems.length === 0, invented: !notSaid || invented.length > 0, problems };
  }
  const facts = FACTS[item.about][item.lang === 'zh-CN' ? 'zh' : 'en'];
  const missing = facts.filter((fact) => !text.includes(fact));
  if (missing.length > 0) problems.push(`missing ${missing.join(' | ')}`);
  if (notSaid) problems.push('says the notice is silent');
  const sourced = item.lang === 'zh-CN' ? /出处：|（通知第/u.test(text) : /\(Source: |\(Part /u.test(text);
  if (item.about !== 'help' && !sourced) problems.push('names no part of the notice');
  return { ok: problems.length === 0, invented: false, problems };
}
