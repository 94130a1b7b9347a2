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
  return { filings: 0, auditEntries: 0, declarations: 0, sessions: 0, reminderOutcomes: 0 };
}

/** The sum of every kind: 0 means there is nothing to purge. */
export function totalPurgeCount(counts: PurgeCounts): number {
  return counts.filings + counts.auditEntries + counts.declarations + counts.sessions + counts.reminderOutcomes;
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

