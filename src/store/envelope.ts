/**
 * Versioned envelopes: how every stored value is written (`{ "v": 1, "data": … }` as JSON) and read
 * back. Reading parses with zod and turns anything unreadable — bad JSON, another envelope version,
 * data of the wrong shape — into `undefined`, so a damaged or foreign row is a miss, never a throw.
 * Shared by both stores so they agree byte for byte on what a value looks like, and on the order
 * their lists of chats and declarations come back in.
 */
import { z } from 'zod';
import { filingSchema, type Filing } from '../domain/filing.js';
import { jsonValueSchema, parseJsonSafely } from '../kernel/json.js';
import { sessionDataSchema, type SessionData } from '../domain/session.js';
import { StoreError } from '../kernel/errors.js';
import { chatField, declarationField } from './keys.js';
import type {
  AuditEntry,
  Declaration,
  FieldChange,
  GroupBinding,
  ReminderOutcome,
  UnreachableChat,
} from '../domain/records.js';

/** The envelope version this code writes and the only one it reads; bump it with a migration. */
export const ENVELOPE_VERSION = 1;

/** zod schema of a {@link FieldChange}: `from` and `to` are any JSON value, `null` included. */
export const fieldChangeSchema: z.ZodType<FieldChange> = z.object({
  field: z.string(),
  from: jsonValueSchema,
  to: jsonValueSchema,
});

/**
 * zod schema of an {@link AuditEntry}, so audit rows are validated on read like everything else.
 * `changes` is optional (entries written before it existed, and actions that change no field, have none).
 */
export const auditEntrySchema: z.ZodType<AuditEntry> = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.enum(['filing.submitted', 'filing.updated', 'filing.withdrawn', 'filing.reopened']),
  receipt: z.string(),
  formId: z.string(),
  changes: z.array(fieldChangeSchema).exactOptional(),
});

/** zod schema of a {@link GroupBinding}; `boundAt` is an ISO date-time (offset allowed). */
export const groupBindingSchema: z.ZodType<GroupBinding> = z.object({
  platform: z.string().min(1),
  chatId: z.string().min(1),
  district: z.string().min(1),
  title: z.string().exactOptional(),
  boundBy: z.string().min(1),
  boundAt: z.iso.datetime({ offset: true }),
});

/** zod schema of an {@link UnreachableChat}; `at` is an ISO date-time, since lists are ordered by it. */
export const unreachableChatSchema: z.ZodType<UnreachableChat> = z.object({
  platform: z.string().min(1),
  chatId: z.string().min(1),
  reason: z.string(),
  at: z.iso.datetime({ offset: true }),
});

/** zod schema of a {@link Declaration}; `at` is an ISO date-time (offset allowed), like `boundAt`. */
export const declarationSchema: z.ZodType<Declaration> = z.object({
  eventId: z.string().min(1),
  district: z.string().min(1),
  formId: z.string().min(1),
  declaredBy: z.string().min(1),
  declaredByName: z.string().exactOptional(),
  at: z.iso.datetime({ offset: true }),
});

/**
 * zod schema of a {@link ReminderOutcome}: ids non-empty, `at` an ISO date-time (offset allowed), the
 * outcome one of the four kinds; `detail` (the platform's error, say) is optional.
 */
export const reminderOutcomeSchema: z.ZodType<ReminderOutcome> = z.object({
  at: z.iso.datetime({ offset: true }),
  ruleId: z.string().min(1),
  platform: z.string().min(1),
  chatId: z.string().min(1),
  district: z.string().min(1),
  outcome: z.enum(['sent', 'unreachable', 'failed', 'stale']),
  detail: z.string().exactOptional(),
});

/** How many reminder outcomes a store keeps by default: the newest, older ones are dropped as new ones come. */
export const REMINDER_LOG_LIMIT = 10_000;

/** Every kind of value a store writes. */
type StoredValue = SessionData | Filing | AuditEntry | GroupBinding | UnreachableChat | Declaration | ReminderOutcome;

/** Wraps a value in the current envelope and serialises it; the one way values are written. */
export function toEnvelopeJson(data: StoredValue): string {
  return JSON.stringify({ v: ENVELOPE_VERSION, data });
}

function parseEnvelope<T>(text: string, schema: z.ZodType<T>): T | undefined {
  let raw: unknown;
  try {
    raw = parseJsonSafely(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  if (!('v' in raw) || raw.v !== ENVELOPE_VERSION || !('data' in raw)) return undefined;
  const parsed = schema.safeParse(raw.data);
  return parsed.success ? parsed.data : undefined;
}

/** Reads a session envelope; undefined when it cannot be trusted. */
export function parseSessionEnvelope(text: string): SessionData | undefined {
  return parseEnvelope(text, sessionDataSchema);
}

/** Reads a filing envelope; undefined when it cannot be trusted. */
export function parseFilingEnvelope(text: string): Filing | undefined {
  return parseEnvelope(text, filingSchema);
}

/** Reads an audit envelope; undefined when it cannot be trusted. */
export function parseAuditEnvelope(text: string): AuditEntry | undefined {
  return parseEnvelope(text, auditEntrySchema);
}

/** Reads a reminder-outcome envelope; undefined when it cannot be trusted. */
export function parseReminderEnvelope(text: string): ReminderOutcome | undefined {
  return parseEnvelope(text, reminderOutcomeSchema);
}

/** Reads a chat envelope stored under `chat` ({@link chatField}); a value naming another chat is unreadable. */
function parseChatEnvelope<T extends { platform: string; chatId: string }>(
  text: string,
  chat: string,
  schema: z.ZodType<T>,
): T | undefined {
  const data = parseEnvelope(text, schema);
  return data !== undefined && chatField(data.platform, data.chatId) === chat ? data : undefined;
}

/** Reads a group binding stored under `chat`; undefined when it cannot be trusted. */
export function parseGroupEnvelope(text: string, chat: string): GroupBinding | undefined {
  return parseChatEnvelope(text, chat, groupBindingSchema);
}

/** Reads an unreachable-chat record stored under `chat`; undefined when it cannot be trusted. */
export function parseUnreachableEnvelope(text: string, chat: string): UnreachableChat | undefined {
  return parseChatEnvelope(text, chat, unreachableChatSchema);
}

/**
 * Reads a declaration stored for `eventId` under `field` ({@link declarationField}); a value naming
 * another event, district or form is unreadable.
 */
export function parseDeclarationEnvelope(text: string, eventId: string, field: string): Declaration | undefined {
  const data = parseEnvelope(text, declarationSchema);
  return data !== undefined && data.eventId === eventId && declarationField(data.district, data.formId) === field
    ? data
    : undefined;
}

/**
 * Checks a value about to be written against the schema it will be read back with, so a store never
 * writes what it would then skip as unreadable; returns the envelope of the parsed value (unknown
 * properties dropped). A value that does not fit is a programming error: a StoreError.
 */
function checkedEnvelopeJson<T extends GroupBinding | UnreachableChat | Declaration | ReminderOutcome>(
  store: string,
  what: string,
  schema: z.ZodType<T>,
  value: T,
): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.') || '(value)';
      return `${path}: ${issue.message}`;
    });
    throw new StoreError(`${store} store: invalid ${what}: ${issues.join('; ')}`);
  }
  return toEnvelopeJson(parsed.data);
}

/** The envelope of a group binding to write; a StoreError when the binding is not valid. */
export function toGroupEnvelopeJson(store: string, binding: GroupBinding): string {
  return checkedEnvelopeJson(store, 'group binding', groupBindingSchema, binding);
}

/** The envelope of an unreachable-chat record to write; a StoreError when the record is not valid. */
export function toUnreachableEnvelopeJson(store: string, record: UnreachableChat): string {
  return checkedEnvelopeJson(store, 'unreachable chat', unreachableChatSchema, record);
}

/** The envelope of a declaration to write; a StoreError when the declaration is not valid. */
export function toDeclarationEnvelopeJson(store: string, declaration: Declaration): string {
  return checkedEnvelopeJson(store, 'declaration', declarationSchema, declaration);
}

/** The envelope of a reminder outcome to write; a StoreError when the outcome is not valid. */
export function toReminderEnvelopeJson(store: string, outcome: ReminderOutcome): string {
  return checkedEnvelopeJson(store, 'reminder outcome', reminderOutcomeSchema, outcome);
}

/**
 * Compares two strings by Unicode code point, which is the order SQLite (BINARY collation) and Redis
 * give UTF-8 text; JavaScript's `<` compares UTF-16 code units instead and so puts U+10000 and above
 * before U+E000–U+FFFF (an emoji before a full-width letter). A lone surrogate sorts like a code point
 * above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (0xD800–0xDFFF) above 0xE000–0xFFFF, so code units compare as code points. */
function codeUnitRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** The order of `GroupDirectory.listGroups` in both stores: by platform, then chat id (code points). */
export function compareGroups(a: GroupBinding, b: GroupBinding): number {
  return compareCodePoints(a.platform, b.platform) || compareCodePoints(a.chatId, b.chatId);
}

/**
 * The order of `UnreachableChats.listUnreachable` in both stores: newest `at` first (compared as
 * instants, so offsets do not matter), then by platform and chat id, so records of the same instant
 * have one order.
 */
export function compareUnreachable(a: UnreachableChat, b: UnreachableChat): number {
  const newerFirst = Date.parse(b.at) - Date.parse(a.at);
  return newerFirst || compareCodePoints(a.platform, b.platform) || compareCodePoints(a.chatId, b.chatId);
}

/** The order of `DeclarationStore.listDeclarations` in both stores: by district, then form id (code points). */
export function compareDeclarations(a: Declaration, b: Declaration): number {
  return compareCodePoints(a.district, b.district) || compareCodePoints(a.formId, b.formId);
}
