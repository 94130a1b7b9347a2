/**
 * Question → topic. The question is folded and segmented into words (see `text.ts`); the words are
 * then read against the concept dictionary of `data/qa.json` by longest match, joining adjacent
 * segments (ICU splits 氢进万家 into four) and, for Chinese runs the segmenter cut differently from
 * the dictionary, by longest match over characters. Each topic scores the sum of the weights of the
 * concepts found; the best topic at or above `minScore` wins, ties going to the earlier topic.
 * Nothing found, or too little, means the notice does not answer the question.
 */
import { createFolder, englishStems, isCjkToken, joinTokens, toTokens } from './text.js';
import type { QaKnowledge, QaTopic } from './knowledge.js';

/** The winning topic and what led to it, for answers and for tests. */
export interface TopicMatch {
  topic: QaTopic;
  score: number;
  concepts: ReadonlySet<string>;
}

/** A compiled matcher over one {@link QaKnowledge}. */
export interface Matcher {
  /** The concepts a question mentions. */
  conceptsOf(question: string): Set<string>;
  /** The best topic for a question, or undefined when none scores `minScore`. */
  match(question: string): TopicMatch | undefined;
  /** A topic by id (button payloads name topics). */
  topic(id: string): QaTopic | undefined;
}

interface Dictionary {
  phrases: Map<string, string>;
  /** Chinese-only phrase keys, for the character-level pass. */
  cjkPhrases: Map<string, string>;
  maxTokens: number;
  maxCjkChars: number;
}

function buildDictionary(qa: QaKnowledge, fold: (text: string) => string): Dictionary {
  const phrases = new Map<string, string>();
  const cjkPhrases = new Map<string, string>();
  let maxTokens = 1;
  let maxCjkChars = 1;
  for (const [concept, list] of Object.entries(qa.concepts)) {
    for (const phrase of list) {
      const tokens = toTokens(fold(phrase));
      if (tokens.length === 0) continue;
      const key = joinTokens(tokens);
      if (!phrases.has(key)) phrases.set(key, concept);
      maxTokens = Math.max(maxTokens, tokens.length);
      if (tokens.every(isCjkToken) && !cjkPhrases.has(key)) {
        cjkPhrases.set(key, concept);
        maxCjkChars = Math.max(maxCjkChars, key.length);
      }
    }
  }
  return { phrases, cjkPhrases, maxTokens, maxCjkChars };
}

function lookupWord(dictionary: Dictionary, word: string): string | undefined {
  const exact = dictionary.phrases.get(word);
  if (exact !== undefined) return exact;
  for (const stem of englishStems(word)) {
    const found = dictionary.phrases.get(stem);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Longest match over the characters of a Chinese run the token pass left unread. */
function matchCharacters(dictionary: Dictionary, run: string, found: Set<string>): void {
  const chars = [...run];
  let i = 0;
  while (i < chars.length) {
    let step = 1;
    for (let length = Math.min(dictionary.maxCjkChars, chars.length - i); length >= 1; length -= 1) {
      const concept = dictionary.cjkPhrases.get(chars.slice(i, i + length).join(''));
      if (concept !== undefined) {
        found.add(concept);
        step = length;
        break;
      }
    }
    i += step;
  }
}

function findConcepts(dictionary: Dictionary, tokens: readonly string[]): Set<string> {
  const found = new Set<string>();
  let unread = '';
  const flush = (): void => {
    if (unread !== '') matchCharacters(dictionary, unread, found);
    unread = '';
  };
  let i = 0;
  while (i < tokens.length) {
    let matched = 0;
    for (let span = Math.min(dictionary.maxTokens, tokens.length - i); span >= 1; span -= 1) {
      const key = joinTokens(tokens.slice(i, i + span));
      const concept = span === 1 ? lookupWord(dictionary, key) : dictionary.phrases.get(key);
      if (concept !== undefined) {
        found.add(concept);
        matched = span;
        break;
      }
    }
    const token = tokens[i] ?? '';
    if (matched > 0) {
      flush();
      i += matched;
    } else {
      if (isCjkToken(token)) unread += token;
      else flush();
      i += 1;
    }
  }
  flush();
  return found;
}

function scoreTopic(topic: QaTopic, concepts: ReadonlySet<string>): number {
  if (topic.excludes?.some((id) => concepts.has(id)) === true) return 0;
  if (topic.requires?.some((group) => !group.some((id) => concepts.has(id))) === true) return 0;
  let score = 0;
  for (const [concept, weight] of Object.entries(topic.signals)) if (concepts.has(concept)) score += weight;
  return score;
}

/** Compiles the dictionary of a {@link QaKnowledge} once; matching a question is then cheap. */
export function createMatcher(qa: QaKnowledge): Matcher {
  const fold = createFolder(qa.fold);
  const dictionary = buildDictionary(qa, fold);
  const topics = new Map(qa.topics.map((topic) => [topic.id, topic]));
  const conceptsOf = (question: string): Set<string> => findConcepts(dictionary, toTokens(fold(question)));
  return {
    conceptsOf,
    match(question) {
      const concepts = conceptsOf(question);
      let best: TopicMatch | undefined;
      for (const topic of qa.topics) {
        const score = scoreTopic(topic, concepts);
        if (score >= qa.minScore && (best === undefined || score > best.score)) best = { topic, score, concepts };
      }
      return best;
    },
    topic: (id) => topics.get(id),
  };
}
