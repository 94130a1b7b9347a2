/**
 * Paste-all-at-once: a message of `label：value` or `label<TAB>value` pairs, one or several a line,
 * as copied from the Word form's table, is split into (field, value) pairs. Labels are matched with
 * their spacing removed, since the official tables write 联 系 人 and 地    址.
 */

/** One recognised pair. */
export interface PastedPair {
  fieldId: string;
  value: string;
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a message holds: its pairs, and whether it starts with a label (a paste does). */
export interface PasteResult {
  pairs: PastedPair[];
  leading: boolean;
}

/** A compiled matcher over the labels of one flow. */
export interface PasteMatcher {
  /** The pairs and whether the message starts with a label. */
  scan(text: string): PasteResult;
  /** Only the pairs. */
  extract(text: string): PastedPair[];
}

/** What every pasted pair has: a colon (ASCII or full-width) after its label, or a tab. */
const PAIR_SEPARATOR = /[:：\t]/u;

/**
 * Builds a matcher from label → field id. Lines that carry no label continue the previous value
 * when `continues(fieldId)` allows it (a multi-line description), and are ignored otherwise.
 */
export function createPasteMatcher(
  labels: ReadonlyMap<string, string>,
  continues: (fieldId: string) => boolean,
): PasteMatcher {
  const folded = new Map<string, string>();
  for (const [label, fieldId] of labels) {
    const key = foldLabel(label);
    if (key !== '') folded.set(key, fieldId);
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

  const fieldOf = (rawLabel: string): string | undefined => folded.get(foldLabel(rawLabel));

  /** Pairs of one line; `lastRaw` is the last value before its trailing separator was cut. */
  function colonPairs(line: string): { pairs: PastedPair[]; matched: boolean; leading: boolean; lastRaw: string } {
    if (labelPattern === undefined) return { pairs: [], matched: false, leading: false, lastRaw: '' };
    const hits = [...line.matchAll(labelPattern)];
    const pairs: PastedPair[] = [];
    let lastRaw = '';
    hits.forEach((hit, i) => {
      const fieldId = hit[1] === undefined ? undefined : fieldOf(hit[1]);
      const start = (hit.index ?? 0) + hit[0].length;
      lastRaw = line.slice(start, hits[i + 1]?.index ?? line.length).trim();
      // A separator between pairs (主办单位：X；主管部门：Y) is not part of the value.
      if (fieldId !== undefined) pairs.push({ fieldId, value: lastRaw.replace(/[;；,，]$/u, '') });
    });
    return { pairs, matched: hits.length > 0, leading: hits[0]?.index === 0, lastRaw };
  }

  function tabPairs(line: string): PastedPair[] {
    const cells = line.split('\t').map((cell) => cell.trim());
    const pairs: PastedPair[] = [];
    for (let i = 0; i < cells.length; i += 1) {
      const fieldId = fieldOf(cells[i] ?? '');
      if (fieldId !== undefined && i + 1 < cells.length && fieldOf(cells[i + 1] ?? '') === undefined) {
        pairs.push({ fieldId, value: cells[i + 1] ?? '' });
        i += 1;
      }
    }
    return pairs;
  }

  return {
    scan(text) {
      // Every pair needs a colon or a tab: most answers have neither and skip the label search.
      if (!PAIR_SEPARATOR.test(text)) return { pairs: [], leading: false };
      const out: PastedPair[] = [];
      let last: PastedPair | undefined;
      let lastRaw = '';
      let leading: boolean | undefined;
      for (const raw of text.split('\n')) {
        const line = raw.trim();
        const colon = colonPairs(line);
        const tabbed = colon.matched || !line.includes('\t') ? [] : tabPairs(line);
        const pairs = colon.matched ? colon.pairs : tabbed;
        if (leading === undefined && line !== '') leading = colon.matched ? colon.leading : fieldOf(line.split('\t')[0] ?? '') !== undefined && tabbed.length > 0;
        if (pairs.length > 0) {
          out.push(...pairs);
          last = pairs[pairs.length - 1];
          lastRaw = colon.matched ? colon.lastRaw : (last?.value ?? '');
        } else if (last !== undefined && continues(last.fieldId) && line !== '') {
          // The value goes on: its first line keeps the punctuation it ended with.
          lastRaw = lastRaw === '' ? line : `${lastRaw}\n${line}`;
          last.value = lastRaw;
        }
      }
      return { pairs: out, leading: leading ?? false };
    },
    extract(text) {
      return this.scan(text).pairs;
    },
  };
}
