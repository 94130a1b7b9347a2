/**
 * Paste-all-at-once: a message of `label：value` or `label<TAB>value` pairs, one or several a line,
 * as copied from the Word form's table, is split into (field, value) pairs. Labels are matched with
 * their spacing removed, since the official tables write 联 系 人 and 地    址. A combined label
 * (附件1's 联系人及联系方式：张三 138…) fills a name field and a phone field. Lines that fill
 * nothing are kept aside, so the reply can say which were not used.
 */
import { clipGraphemes, graphemeCount } from '../kernel/graphemes.js';

/** One recognised pair. */
export interface PastedPair {
  fieldId: string;
  value: string;
}

/** A label that carries a name and a number at once: the two fields it fills. */
export interface SplitTarget {
  name: string;
  phone: string;
}

/** Folds a label for matching: no whitespace, no numbering, no 盖章 note, lower case, no colon. */
export function foldLabel(label: string): string {
  return label
    .replace(/\s+/g, '')
    .replace(/^\d{1,2}[.、．)）]/u, '')
    .replace(/[（(]盖章[)）]/u, '')
    .replace(/[：:]$/u, '')
    .toLowerCase();
}

/** Values that mean "nothing here" in a pasted table, as 无 does when typed at an optional field. */
const EMPTY_WORDS = new Set(['无', '没有', 'n/a', 'na', 'none', 'nil', '-', '--', '—', '——', '－', '/', '／', '\\']);

/** True when a pasted value means "nothing" (无, N/A, -, —, none, /). */
export function isEmptyWord(value: string): boolean {
  return EMPTY_WORDS.has(value.trim().toLowerCase().replace(/[。.]$/u, ''));
}

/** A line not used by a paste, shortened for the reply. */
export function shortenLine(line: string, max = 40): string {
  return graphemeCount(line, max + 1) > max ? `${clipGraphemes(line, max)}…` : line;
}

const PHONE_RUN = /\+?\d[\d \-－—–()（）]{5,}\d(?:\s*(?:转|ext\.?|x)\s*\d{1,6})?/iu;
const PHONE_WORD = /(?:联系电话|联系方式|电话|手机|\btel\b|\bphone\b|\bmobile\b)\s*[:：]?/giu;
const EDGE_SEPARATORS = /^[\s,，;；、/／:：]+|[\s,，;；、/／:：]+$/gu;

/** 张三 13812345678 → the name and the number (either may be missing). */
export function splitNameAndNumber(value: string): { name: string; phone: string } {
  const found = PHONE_RUN.exec(value);
  if (found === null) return { name: value.trim(), phone: '' };
  const before = value.slice(0, found.index);
  const after = value.slice(found.index + found[0].length);
  const name = `${before} ${after}`.replace(PHONE_WORD, ' ').replace(/[（(]\s*[)）]/gu, '').replace(EDGE_SEPARATORS, '').trim();
  return { name, phone: found[0].trim() };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What a message holds: its pairs, whether it reads as a paste (it starts with a label, or two or more
 * of its lines do, under a title), and the lines it left.
 */
export interface PasteResult {
  pairs: PastedPair[];
  leading: boolean;
  unused: string[];
}

/** A compiled matcher over the labels of one flow. */
export interface PasteMatcher {
  /** The pairs, whether the message starts with a label, and the lines that filled nothing. */
  scan(text: string): PasteResult;
  /** Only the pairs. */
  extract(text: string): PastedPair[];
}

/** What every pasted pair has: a colon (ASCII or full-width) after its label, or a tab. */
const PAIR_SEPARATOR = /[:：\t]/u;

type Target = { kind: 'field'; id: string } | { kind: 'split'; split: SplitTarget };

/** A pair as read, before its value is cleaned or split. */
interface RawPair {
  target: Target;
  raw: string;
  continued: boolean;
}

function firstId(target: Target): string {
  return target.kind === 'field' ? target.id : target.split.name;
}

function finish(raw: RawPair): PastedPair[] {
  // A separator between pairs (主办单位：X；主管部门：Y) is not part of a one-line value.
  const value = raw.continued ? raw.raw : raw.raw.replace(/[;；,，]$/u, '');
  if (raw.target.kind === 'field') return [{ fieldId: raw.target.id, value }];
  const { name, phone } = splitNameAndNumber(value);
  const pairs: PastedPair[] = [{ fieldId: raw.target.split.name, value: name }];
  if (phone !== '') pairs.push({ fieldId: raw.target.split.phone, value: phone });
  return pairs;
}

/**
 * Builds a matcher from label → field id, and label → name and phone fields for combined labels.
 * Lines that carry no label continue the previous value when `continues(fieldId)` allows it (a
 * multi-line description) or when that value was still empty (a label cell above its value cell).
 */
export function createPasteMatcher(
  labels: ReadonlyMap<string, string>,
  continues: (fieldId: string) => boolean,
  splits: ReadonlyMap<string, SplitTarget> = new Map(),
): PasteMatcher {
  const folded = new Map<string, Target>();
  for (const [label, id] of labels) {
    const key = foldLabel(label);
    if (key !== '') folded.set(key, { kind: 'field', id });
  }
  for (const [label, split] of splits) {
    const key = foldLabel(label);
    if (key !== '') folded.set(key, { kind: 'split', split });
  }
  const alternatives = [...folded.keys()]
    .sort((a, b) => b.length - a.length)
    .map((key) => [...key].map(escapeRegExp).join('[ \\t\\u3000]*'));
  const labelPattern =
    alternatives.length === 0
      ? undefined
      : new RegExp(
          `(?:^|(?<=[\\s;；,，。]))(?:\\d{1,2}[.、．]\\s*)?(${alternatives.join('|')})[ \\t]*(?:[（(]盖章[)）])?[ \\t]*[：:]`,
          'giu',
        );

  const targetOf = (rawLabel: string): Target | undefined => folded.get(foldLabel(rawLabel));

  /** Pairs of one line. */
  function colonPairs(line: string): { pairs: RawPair[]; leading: boolean } {
    if (labelPattern === undefined) return { pairs: [], leading: false };
    const hits = [...line.matchAll(labelPattern)];
    const pairs: RawPair[] = [];
    hits.forEach((hit, i) => {
      const target = hit[1] === undefined ? undefined : targetOf(hit[1]);
      const start = (hit.index ?? 0) + hit[0].length;
      const raw = line.slice(start, hits[i + 1]?.index ?? line.length).trim();
      if (target !== undefined) pairs.push({ target, raw, continued: false });
    });
    return { pairs, leading: hits[0]?.index === 0 };
  }

  function tabPairs(line: string): RawPair[] {
    const cells = line.split('\t').map((cell) => cell.trim());
    const pairs: RawPair[] = [];
    for (let i = 0; i < cells.length; i += 1) {
      const target = targetOf(cells[i] ?? '');
      if (target !== undefined && i + 1 < cells.length && targetOf(cells[i + 1] ?? '') === undefined) {
        pairs.push({ target, raw: cells[i + 1] ?? '', continued: false });
        i += 1;
      }
    }
    return pairs;
  }

  return {
    scan(text) {
      // Every pair needs a colon or a tab: most answers have neither and skip the label search.
      if (!PAIR_SEPARATOR.test(text)) return { pairs: [], leading: false, unused: [] };
      const read: RawPair[] = [];
      const unused: string[] = [];
      let leading: boolean | undefined;
      let ledLines = 0;
      for (const rawLine of text.split('\n')) {
        const line = rawLine.trim();
        if (line === '') continue;
        const colon = colonPairs(line);
        const pairs = colon.pairs.length > 0 || !line.includes('\t') ? colon.pairs : tabPairs(line);
        const led = colon.pairs.length > 0 ? colon.leading : pairs.length > 0 && targetOf(line.split('\t')[0] ?? '') !== undefined;
        leading ??= led;
        if (led) ledLines += 1;
        const last = read[read.length - 1];
        if (pairs.length > 0) read.push(...pairs);
        else if (last !== undefined && (last.raw === '' || continues(firstId(last.target)))) {
          // The value goes on (or, under an empty label, starts): its first line keeps its punctuation.
          last.continued = last.raw !== '';
          last.raw = last.raw === '' ? line : `${last.raw}\n${line}`;
        } else unused.push(line);
      }
      // A paste starts with a label, or has a title above two or more lines that start with one.
      return { pairs: read.flatMap(finish), leading: leading === true || ledLines >= 2, unused };
    },
    extract(text) {
      return this.scan(text).pairs;
    },
  };
}
