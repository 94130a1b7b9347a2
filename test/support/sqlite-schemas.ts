/**
 * The SQLite schema of each version as it shipped, frozen here: what files on disk hold, so the
 * migration tests can create a file of an older version and open it with today's store.
 */

/** The schema as version 1 shipped it (commit 38ef6a4), frozen here: what existing files on disk hold. */
export const SCHEMA_V1_AS_SHIPPED = `
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

/** What version 2 added to it (commit a03d5ff), frozen the same way. */
export const SCHEMA_V2_ADDITIONS_AS_SHIPPED = `
CREATE TABLE IF NOT EXISTS group_bindings (
  key TEXT PRIMARY KEY NOT NULL,
  envelope TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unreachable_chats (
  key TEXT PRIMARY KEY NOT NULL,
  envelope TEXT NOT NULL
);
`;

/** What version 3 added to it (commit d2b4473), frozen the same way. */
export const SCHEMA_V3_ADDITIONS_AS_SHIPPED = `
CREATE TABLE IF NOT EXISTS declarations (
  event_id TEXT NOT NULL,
  district TEXT NOT NULL,
  form_id TEXT NOT NULL,
  envelope TEXT NOT NULL,
  PRIMARY KEY (event_id, district, form_id)
);
`;

/** The tables (and their indexes) version 4 adds: claims and reminder outcomes. */
export const V4_ADDITIONS = ['claims', 'claims_expires_at', 'reminders', 'sqlite_autoindex_claims_1'];

/** What version 4 added to it (commit 86a5772), frozen the same way. */
export const SCHEMA_V4_ADDITIONS_AS_SHIPPED = `
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

/** The tables (and their indexes) version 5 adds: the durable inbox and the outbox. */
export const V5_ADDITIONS = ['inbox', 'inbox_partition', 'outbox', 'outbox_chat'];
