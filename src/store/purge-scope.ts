/**
 * What belongs to an event when its personal data is purged (`sciweek purge --event <id>`), decided
 * once here for both stores (sqlite-purge.ts, redis-purge.ts):
 * - filings and "nothing to file" declarations carry the event id: all of the event's go, withdrawn
 *   filings included;
 * - audit entries carry no event id but name a receipt (and hold field values and their changes): the
 *   entries about the event's filings go;
 * - chat sessions (platform + chat + user) hold drafts with their answers (names, phone numbers), the
 *   user's district and language, but no event id. A session whose draft edits one of the event's
 *   filings always goes. The others belong to the event the deployment serves (its flows are that
 *   event's forms), so they go only with `servedEvent`: purging last year's event in a deployment that
 *   already serves this year's leaves today's drafts alone;
 * - the reminder log (chat ids and districts of the served event's deadline reminders) likewise goes
 *   only with `servedEvent`;
 * - the durable inbox (updates waiting to be handled) and the outbox (replies waiting to be sent) carry
 *   no event id either. With `servedEvent` every waiting entry goes, as every session does. Otherwise an
 *   entry goes when it is tied to the event's filings ({@link PurgeTraces}): an update sent by one of
 *   its filers, a reply to a filer's private chat, or any entry whose text holds one of the filings'
 *   receipts, filer names, answers or file references — a receipt reply not yet delivered, a staff
 *   member's `/show` of one of them;
 * - kept: group bindings (the districts' standing group chats, reused next year; `/unbind` removes one),
 *   unreachable-chat records (they keep the bot from writing to people who blocked it), claims (which
 *   reminder went to which chat; removing them while the dispatcher runs could send a reminder twice,
 *   and they expire by themselves) and delivery ids (dedupe marks without personal data, gone in a day).
 * Readers here are lenient on purpose: a damaged value that still names one of the event's receipts is
 * the event's data and goes too.
 */
import { parseJsonSafely } from '../kernel/json.js';
import type { PurgeCounts, PurgeOptions } from './store.js';

/** Counts of nothing, to add to. */
export function emptyPurgeCounts(): PurgeCounts {
  return { filings: 0, auditEntries: 0, declarations: 0, sessions: 0, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 };
}

/** The sum of every kind: 0 means there is nothing to purge. */
export function totalPurgeCount(counts: PurgeCounts): number {
  return (
    counts.filings + counts.auditEntries + counts.declarations + counts.sessions + counts.reminderOutcomes + counts.inboxEntries + counts.outboxEntries
  );
}

/** True when the purge takes every session and the reminder log (see the file comment). */
export function takesUntaggedRecords(options: PurgeOptions | undefined): boolean {
  return options?.servedEvent === true;
}

/** The value at `path` inside parsed JSON, or undefined. */
function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** Parses an envelope's JSON; undefined when it is not JSON at all. */
function parseLoosely(text: string): unknown {
  try {
    return parseJsonSafely(text);
  } catch {
    return undefined;
  }
}

/** The receipt an audit envelope is about, read leniently; undefined when it names none. */
export function auditReceiptOf(envelope: string): string | undefined {
  const receipt = valueAt(parseLoosely(envelope), ['data', 'receipt']);
  return typeof receipt === 'string' ? receipt : undefined;
}

/** The receipt a session's draft edits, read leniently from its envelope; undefined for any other session. */
export function editedReceiptOf(envelope: string): string | undefined {
  const target = valueAt(parseLoosely(envelope), ['data', 'flow', 'target']);
  if (valueAt(target, ['kind']) !== 'edit') return undefined;
  const receipt = valueAt(target, ['receipt']);
  return typeof receipt === 'string' ? receipt : undefined;
}

/** True when the session stored as `envelope` is purged with the event whose receipts are `receipts`. */
export function sessionBelongs(envelope: string, receipts: ReadonlySet<string>, options: PurgeOptions | undefined): boolean {
  if (takesUntaggedRecords(options)) return true;
  const edited = editedReceiptOf(envelope);
  return edited !== undefined && receipts.has(edited);
}


/** What ties a waiting inbox or outbox entry to the purged event, gathered from the event's filings. */
export interface PurgeTraces {
  receipts: ReadonlySet<string>;
  /** The filers, as `platform:userId`. */
  owners: ReadonlySet<string>;
  /**
   * The platform references of the filings' files (photos, videos, documents): the files stay on the
   * platform's servers, and these are what a store of the files themselves would delete with them.
   */
  fileRefs: ReadonlySet<string>;
  /** Texts whose presence in an entry ties it to the event: receipts, filer names, answers, file references. */
  needles: readonly string[];
}

/**
 * True when an answer's text is distinctive enough to tie a message to its filing: text in Chinese (or
 * any non-ASCII script) of two characters or more (names, addresses); ASCII of five or more (phones,
 * e-mails, postal codes, file references) unless it is a date or an option id such as a district's
 * `shinan`, which any filing may share.
 */
function isTraceText(text: string): boolean {
  const characters = [...text];
  if (characters.some((character) => (character.codePointAt(0) ?? 0) > 0x7f)) return characters.length >= 2;
  if (text.length < 5) return false;
  if (/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return false;
  return !/^[a-z]+(?:[-_][a-z]+)*$/.test(text);
}

/** Calls `visit` on every string inside a JSON value, with the key it is stored under. */
function eachString(value: unknown, visit: (text: string, key: string | undefined) => void, key?: string, depth = 0): void {
  if (typeof value === 'string') visit(value, key);
  else if (Array.isArray(value) && depth < 64) for (const item of value) eachString(item, visit, key, depth + 1);
  else if (typeof value === 'object' && value !== null && depth < 64) {
    for (const [name, item] of Object.entries(value)) eachString(item, visit, name, depth + 1);
  }
}

/** The traces of the event's filings, read leniently from `filings` (receipt and envelope, null when gone). */
export function collectTraces(filings: Iterable<{ receipt: string; envelope: string | null }>): PurgeTraces {
  const receipts = new Set<string>();
  const owners = new Set<string>();
  const fileRefs = new Set<string>();
  const texts = new Set<string>();
  const addText = (text: string): void => {
    // A multi-line answer is also looked for line by line (a reply may show one line of it).
    for (const part of [text, ...text.split(/\r?\n/)]) {
      const trimmed = part.trim();
      if (isTraceText(trimmed)) texts.add(trimmed);
    }
  };
  for (const { receipt, envelope } of filings) {
    receipts.add(receipt);
    texts.add(receipt);
    const data = valueAt(envelope === null ? undefined : parseLoosely(envelope), ['data']);
    const owner = valueAt(data, ['ownerKey']);
    if (typeof owner === 'string') owners.add(owner);
    const name = valueAt(data, ['ownerName']);
    if (typeof name === 'string') addText(name);
    eachString(valueAt(data, ['values']), (text, key) => {
      if (key === 'fileRef' || key === 'uniqueId') fileRefs.add(text);
      addText(text);
    });
  }
  // Entries are JSON text: a quote or a line break inside an answer is stored escaped.
  const needles = new Set<string>();
  for (const text of texts) needles.add(text).add(JSON.stringify(text).slice(1, -1));
  return { receipts, owners, fileRefs, needles: [...needles] };
}

/** True when `text` holds one of the traces. */
function holdsTrace(text: string, traces: PurgeTraces): boolean {
  return traces.needles.some((needle) => text.includes(needle));
}

/** A waiting outbox entry as the purge reads it. */
export interface QueuedReply {
  platform: string;
  chatId: string;
  body: string;
  route: string;
}

/**
 * Decides which waiting entries go (see the file comment). Ask about the inbox first: a filer's update
 * from a private chat names that chat (on Slack a DM's id is not the user's), and the replies waiting
 * for that chat go too.
 */
export interface QueueScope {
  inboxEntry(body: string): boolean;
  outboxEntry(entry: QueuedReply): boolean;
}

/** The {@link QueueScope} of a purge with these traces and options. */
export function queueScope(traces: PurgeTraces, options: PurgeOptions | undefined): QueueScope {
  const everything = takesUntaggedRecords(options);
  // A private chat's id is its user's id on Telegram and in the console.
  const filerChats = new Set(traces.owners);
  return {
    inboxEntry: (body) => {
      if (everything) return true;
      const inbound = valueAt(parseLoosely(body), ['inbound']);
      const platform = valueAt(inbound, ['platform']);
      const userId = valueAt(inbound, ['user', 'id']);
      if (typeof platform === 'string' && typeof userId === 'string' && traces.owners.has(`${platform}:${userId}`)) {
        const chatId = valueAt(inbound, ['chat', 'id']);
        if (valueAt(inbound, ['chat', 'kind']) === 'private' && typeof chatId === 'string') filerChats.add(`${platform}:${chatId}`);
        return true;
      }
      return holdsTrace(body, traces);
    },
    outboxEntry: (entry) =>
      everything || filerChats.has(`${entry.platform}:${entry.chatId}`) || holdsTrace(entry.body, traces) || holdsTrace(entry.route, traces),
  };
}
