/**
 * Every Redis key the bot uses, built in one place under one configurable prefix, so a deployment can
 * share a Redis with other apps (or tests can isolate themselves) and `SCAN <prefix>*` finds all of
 * ours. Parts that come from users or platforms (chat ids, receipts, districts) are encoded so that no
 * choice of separator inside an id can make two different keys collide.
 */
import { StoreError } from '../kernel/errors.js';
import type { Filing } from '../domain/filing.js';
import type { SessionKey } from '../domain/session.js';

/** The consumer group of every inbox stream. */
export const INBOX_GROUP = 'workers';

/** The prefix used when the deployment does not set one. */
export const DEFAULT_KEY_PREFIX = 'sciweek:';

/** The key builders of one prefix; see {@link createRedisKeys}. */
export interface RedisKeys {
  /** The prefix every key below starts with. */
  readonly prefix: string;
  /**
   * A chat session (hash: `v` version, `x` logical expiry ms, `e` envelope). The three parts are a
   * JSON array, so `a:b` + `c` and `a` + `b:c` stay apart.
   */
  session(key: SessionKey): string;
  /** A seen delivery id (string: logical expiry ms), for dedupe with SET NX semantics. */
  delivery(deliveryId: string): string;
  /** A filing by receipt (hash: `v` version, `e` envelope, `ix` the index keys it is listed in). */
  filing(receipt: string): string;
  /** Sorted set of the receipts of one event, scored by createdAt ms (ties: receipt order). */
  filingsByEvent(eventId: string): string;
  /** Like {@link RedisKeys.filingsByEvent}, narrowed to one owner: what a user lists as "my filings". */
  filingsByOwner(eventId: string, ownerKey: string): string;
  /** Like {@link RedisKeys.filingsByEvent}, narrowed to one form: what staff export per form. */
  filingsByForm(eventId: string, formId: string): string;
  /** Like {@link RedisKeys.filingsByEvent}, narrowed to one district: what reminders ask about. */
  filingsByDistrict(eventId: string, district: string): string;
  /** Every index a filing belongs to, in the order the commit script writes them. */
  filingIndexes(filing: Filing): string[];
  /** The audit list, newest entry at the head. */
  audit(): string;
  /**
   * A named claim — a reminder's (rule + group), taken once so no reminder is sent twice, or the
   * dispatcher's leader lease — with SET NX semantics (hash: `o` owner, `x` logical expiry ms).
   */
  claim(name: string): string;
  /** A leader lease, so one dispatcher of several instances sends reminders. */
  lease(name: string): string;
  /** The reminder-outcome list, newest at the head, capped (LTRIM) to the newest few thousand. */
  reminders(): string;
  /** Hash of every group binding: field {@link chatField}, value the binding's envelope. */
  groups(): string;
  /** Hash of every unreachable chat: field {@link chatField}, value the record's envelope. */
  unreachable(): string;
  /** Hash of one event's declarations: field {@link declarationField}, value the declaration's envelope. */
  declarations(eventId: string): string;
  /** The durable inbox's stream of one partition (entries with one field `b`, the encoded update). */
  inbox(partition: number): string;
  /** One chat's outbox (list, oldest entry at the head): the JSON of each commit's outbox entry. */
  outbox(platform: string, chatId: string): string;
  /** Set of the chats whose outbox has entries: members {@link chatField}. */
  outboxChats(): string;
  /** A SCAN/KEYS MATCH pattern for every key under the prefix (glob characters escaped). */
  pattern(): string;
  /** A SCAN MATCH pattern for every session key (what a purge walks, in batches). */
  sessionPattern(): string;
  /** A SCAN MATCH pattern for every inbox stream (what a purge walks). */
  inboxPattern(): string;
  /** A SCAN MATCH pattern for every chat's outbox list (what a purge walks; not the outbox-chats set). */
  outboxPattern(): string;
}

/** Escapes the characters SCAN MATCH treats as glob syntax. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/** Encodes several parts into one unambiguous key segment. */
function encodeParts(...parts: string[]): string {
  return JSON.stringify(parts);
}

/**
 * Names one chat of one platform unambiguously (a JSON array, so `a:b` + `c` and `a` + `b:c` stay apart):
 * the field of the Redis `groups` and `unreachable` hashes and the row key of the SQLite tables, so both
 * stores tell chats apart the same way.
 */
export function chatField(platform: string, chatId: string): string {
  return encodeParts(platform, chatId);
}

/**
 * Names one declaration of an event unambiguously (a JSON array of district and form id): the field
 * of the Redis per-event `declarations` hash, and what a SQLite row's columns must match.
 */
export function declarationField(district: string, formId: string): string {
  return encodeParts(district, formId);
}

/**
 * Creates the key builders for `prefix` (default {@link DEFAULT_KEY_PREFIX}). The prefix must be
 * non-empty, so every key of the bot is findable and deletable by prefix.
 */
export function createRedisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  if (prefix.length === 0) throw new StoreError('redis store: the key prefix must not be empty');
  const byEvent = (eventId: string): string => `${prefix}filings:event:${encodeParts(eventId)}`;
  const byOwner = (eventId: string, ownerKey: string): string =>
    `${prefix}filings:owner:${encodeParts(eventId, ownerKey)}`;
  const byForm = (eventId: string, formId: string): string => `${prefix}filings:form:${encodeParts(eventId, formId)}`;
  const byDistrict = (eventId: string, district: string): string =>
    `${prefix}filings:district:${encodeParts(eventId, district)}`;
  return {
    prefix,
    session: (key) => `${prefix}session:${encodeParts(key.platform, key.chatId, key.userId)}`,
    delivery: (deliveryId) => `${prefix}delivery:${deliveryId}`,
    filing: (receipt) => `${prefix}filing:${receipt}`,
    filingsByEvent: byEvent,
    filingsByOwner: byOwner,
    filingsByForm: byForm,
    filingsByDistrict: byDistrict,
    filingIndexes: (filing) => [
      byEvent(filing.eventId),
      byOwner(filing.eventId, filing.ownerKey),
      byForm(filing.eventId, filing.formId),
      ...(filing.district === undefined ? [] : [byDistrict(filing.eventId, filing.district)]),
    ],
    audit: () => `${prefix}audit`,
    claim: (name) => `${prefix}claim:${name}`,
    lease: (name) => `${prefix}lease:${name}`,
    reminders: () => `${prefix}reminders`,
    groups: () => `${prefix}groups`,
    unreachable: () => `${prefix}unreachable`,
    declarations: (eventId) => `${prefix}declarations:${encodeParts(eventId)}`,
    inbox: (partition) => `${prefix}inbox:${partition}`,
    outbox: (platform, chatId) => `${prefix}outbox:${encodeParts(platform, chatId)}`,
    outboxChats: () => `${prefix}outbox-chats`,
    pattern: () => `${escapeGlob(prefix)}*`,
    sessionPattern: () => `${escapeGlob(`${prefix}session:`)}*`,
    inboxPattern: () => `${escapeGlob(`${prefix}inbox:`)}*`,
    outboxPattern: () => `${escapeGlob(`${prefix}outbox:`)}*`,
  };
}
