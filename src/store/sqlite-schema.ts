/**
 * The SQLite side of the embedded store: opening the file with the pragmas that let two processes
 * share it and keep deleted data out of it, the schema (created idempotently, versioned with `user_version`) and every prepared
 * statement. Kept apart from `sqlite-store.ts` so the store reads as semantics, not SQL plumbing.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../kernel/errors.js';

/** The schema version this code creates and understands (`PRAGMA user_version`). */
export const SCHEMA_VERSION = 5;

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS sessions (
  key TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL,
  envelope TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS filings (
  receipt TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL,
  form_id TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  district TEXT,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  envelope TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS filings_event_created ON filings (event_id, created_at, receipt);
CREATE INDEX IF NOT EXISTS filings_event_owner ON filings (event_id, owner_key);
CREATE INDEX IF NOT EXISTS filings_event_form ON filings (event_id, form_id);
CREATE INDEX IF NOT EXISTS filings_event_district ON filings (event_id, district);
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_expires_at ON deliveries (expires_at);
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  envelope TEXT NOT NULL
);
`;

/**
 * Version 2 only adds tables, so a version-1 file is migrated in place. Rows are keyed by `chatField`
 * (keys.ts) — the same JSON array the Redis store uses as hash field — and hold the value's envelope.
 */
const SCHEMA_V2 = `
CREATE TABLE IF NOT EXISTS group_bindings (
  key TEXT PRIMARY KEY NOT NULL,
  envelope TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unreachable_chats (
  key TEXT PRIMARY KEY NOT NULL,
  envelope TEXT NOT NULL
);
`;

/**
 * Version 3 only adds the declarations table, so a version-2 file is migrated in place. A row is keyed
 * by event, district and form, and holds the declaration's envelope (which must name the same three).
 */
const SCHEMA_V3 = `
CREATE TABLE IF NOT EXISTS declarations (
  event_id TEXT NOT NULL,
  district TEXT NOT NULL,
  form_id TEXT NOT NULL,
  envelope TEXT NOT NULL,
  PRIMARY KEY (event_id, district, form_id)
);
`;

/**
 * Version 4 only adds the claims and reminder-outcome tables, so a version-3 file is migrated in place.
 * A claim row names its owner and its expiry (ms, live while `expires_at > now`, like deliveries);
 * reminder outcomes are envelopes in insertion order, like the audit log.
 */
const SCHEMA_V4 = `
CREATE TABLE IF NOT EXISTS claims (
  name TEXT PRIMARY KEY NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_expires_at ON claims (expires_at);
CREATE TABLE IF NOT EXISTS reminders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  envelope TEXT NOT NULL
);
`;

/**
 * Version 5 only adds the durable inbox and the outbox, so a version-4 file is migrated in place. An
 * inbox row is an update of a partition, `taken_by` the consumer holding it (NULL: never taken); an
 * outbox row is one commit's replies for a chat, `seq` its commit order.
 */
const SCHEMA_V5 = `
CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  partition INTEGER NOT NULL,
  body TEXT NOT NULL,
  taken_by TEXT
);
CREATE INDEX IF NOT EXISTS inbox_partition ON inbox (partition, taken_by, id);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  platform TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  body TEXT NOT NULL,
  route TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_chat ON outbox (platform, chat_id, seq);
`;

/** Opens (creating if needed) the database file, sets the pragmas and brings the schema up to date. */
export function openDatabase(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    // busy_timeout first, so the pragmas below wait for another process instead of failing.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Deleted rows are overwritten with zeros, not just unlinked, so a deleted draft, reply or filing
    // is not left readable in a free page; and temporary data (sorts, VACUUM's copy) stays in memory,
    // never in a temp file. A purge then rewrites the file and empties the WAL (sqlite-purge.ts).
    db.pragma('secure_delete = ON');
    db.pragma('temp_store = MEMORY');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`sqlite store: cannot open ${file}`, { cause: error });
  }
}

function migrate(db: Database.Database): void {
  const run = db.transaction(() => {
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > SCHEMA_VERSION) {
      throw new StoreError(`sqlite store: schema version ${current} is newer than this code (${SCHEMA_VERSION})`);
    }
    if (current === SCHEMA_VERSION) return;
    // Each step is idempotent (IF NOT EXISTS) and runs from the file's version up; later versions add steps.
    if (current < 1) db.exec(SCHEMA_V1);
    if (current < 2) db.exec(SCHEMA_V2);
    if (current < 3) db.exec(SCHEMA_V3);
    if (current < 4) db.exec(SCHEMA_V4);
    if (current < 5) db.exec(SCHEMA_V5);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  run.immediate();
}

/** A session row as read for `begin`. */
export interface SessionRow {
  version: number;
  envelope: string;
}

/** A filing's stored version (for compare-and-set) and envelope. */
export interface FilingRow {
  version: number;
  envelope: string;
}

/** The columns written for a filing. */
export interface FilingParams {
  receipt: string;
  eventId: string;
  formId: string;
  ownerKey: string;
  district: string | null;
  status: string;
  version: number;
  envelope: string;
  createdAt: number;
}

/** The parameters of the filing list query; `null` means "any". */
export interface FilingListParams {
  eventId: string;
  ownerKey: string | null;
  formId: string | null;
  district: string | null;
  includeWithdrawn: 0 | 1;
}

/** A row of `group_bindings` or `unreachable_chats`. */
export interface ChatRow {
  key: string;
  envelope: string;
}

/** A row of `declarations` of one event. */
export interface DeclarationRow {
  district: string;
  formId: string;
  envelope: string;
}

/** Every statement the store runs, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  return {
    claimDelivery: db.prepare<[string, number, number]>(
      `INSERT INTO deliveries (id, expires_at) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE deliveries.expires_at <= ?`,
    ),
    isDeliveryLive: db.prepare<[string, number], { one: number }>('SELECT 1 AS one FROM deliveries WHERE id = ? AND expires_at > ?'),
    getLiveSession: db.prepare<[string, number], SessionRow>(
      'SELECT version, envelope FROM sessions WHERE key = ? AND expires_at > ?',
    ),
    upsertSession: db.prepare<[string, number, string, number]>(
      `INSERT INTO sessions (key, version, envelope, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         version = excluded.version, envelope = excluded.envelope, expires_at = excluded.expires_at`,
    ),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE key = ?'),
    getFiling: db.prepare<[string], FilingRow>('SELECT version, envelope FROM filings WHERE receipt = ?'),
    upsertFiling: db.prepare<[FilingParams]>(
      `INSERT INTO filings (receipt, event_id, form_id, owner_key, district, status, version, envelope, created_at)
       VALUES (@receipt, @eventId, @formId, @ownerKey, @district, @status, @version, @envelope, @createdAt)
       ON CONFLICT (receipt) DO UPDATE SET
         event_id = excluded.event_id, form_id = excluded.form_id, owner_key = excluded.owner_key,
         district = excluded.district, status = excluded.status, version = excluded.version,
         envelope = excluded.envelope, created_at = excluded.created_at`,
    ),
    listFilings: db.prepare<[FilingListParams], { envelope: string }>(
      `SELECT envelope FROM filings
       WHERE event_id = @eventId
         AND (@ownerKey IS NULL OR owner_key = @ownerKey)
         AND (@formId IS NULL OR form_id = @formId)
         AND (@district IS NULL OR district = @district)
         AND (@includeWithdrawn = 1 OR status <> 'withdrawn')
       ORDER BY created_at, receipt`,
    ),
    insertAudit: db.prepare<[string]>('INSERT INTO audit (envelope) VALUES (?)'),
    listAudit: db.prepare<[number], { envelope: string }>('SELECT envelope FROM audit ORDER BY id DESC LIMIT ?'),
    upsertGroup: db.prepare<[string, string]>(
      `INSERT INTO group_bindings (key, envelope) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET envelope = excluded.envelope`,
    ),
    deleteGroup: db.prepare<[string]>('DELETE FROM group_bindings WHERE key = ?'),
    getGroup: db.prepare<[string], { envelope: string }>('SELECT envelope FROM group_bindings WHERE key = ?'),
    listGroups: db.prepare<[], ChatRow>('SELECT key, envelope FROM group_bindings'),
    upsertUnreachable: db.prepare<[string, string]>(
      `INSERT INTO unreachable_chats (key, envelope) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET envelope = excluded.envelope`,
    ),
    deleteUnreachable: db.prepare<[string]>('DELETE FROM unreachable_chats WHERE key = ?'),
    listUnreachable: db.prepare<[], ChatRow>('SELECT key, envelope FROM unreachable_chats'),
    upsertDeclaration: db.prepare<[string, string, string, string]>(
      `INSERT INTO declarations (event_id, district, form_id, envelope) VALUES (?, ?, ?, ?)
       ON CONFLICT (event_id, district, form_id) DO UPDATE SET envelope = excluded.envelope`,
    ),
    deleteDeclaration: db.prepare<[string, string, string]>(
      'DELETE FROM declarations WHERE event_id = ? AND district = ? AND form_id = ?',
    ),
    listDeclarations: db.prepare<[string], DeclarationRow>(
      'SELECT district, form_id AS formId, envelope FROM declarations WHERE event_id = ?',
    ),
    /** Takes a claim that is free or expired: (name, owner, expires_at, now); changes 1 when taken. */
    takeClaim: db.prepare<[string, string, number, number]>(
      `INSERT INTO claims (name, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE claims.expires_at <= ?`,
    ),
    /** Re-sets the expiry of a live claim of this owner: (expires_at, name, owner, now). */
    renewClaim: db.prepare<[number, string, string, number]>(
      'UPDATE claims SET expires_at = ? WHERE name = ? AND owner = ? AND expires_at > ?',
    ),
    /** Drops a live claim of this owner: (name, owner, now). */
    releaseClaim: db.prepare<[string, string, number]>(
      'DELETE FROM claims WHERE name = ? AND owner = ? AND expires_at > ?',
    ),
    insertReminder: db.prepare<[string]>('INSERT INTO reminders (envelope) VALUES (?)'),
    /** Drops every reminder outcome at or below this id (the newest ones are kept). */
    trimReminders: db.prepare<[number]>('DELETE FROM reminders WHERE id <= ?'),
    listReminders: db.prepare<[number], { envelope: string }>(
      'SELECT envelope FROM reminders ORDER BY id DESC LIMIT ?',
    ),
    ping: db.prepare<[], { one: number }>('SELECT 1 AS one'),
    sweepDeliveries: db.prepare<[number]>('DELETE FROM deliveries WHERE expires_at <= ?'),
    sweepSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),
    sweepClaims: db.prepare<[number]>('DELETE FROM claims WHERE expires_at <= ?'),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;
