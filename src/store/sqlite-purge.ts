/**
 * `purgeEvent` and `countEvent` of the embedded store: what belongs to an event is decided in
 * purge-scope.ts; here it is selected and deleted in one IMMEDIATE transaction, so a purge is all or
 * nothing and a running bot (another process on the same file) waits for it on the busy timeout
 * instead of seeing half an event. Kept apart from sqlite-store.ts, which spreads these methods in.
 */
import type Database from 'better-sqlite3';
import { requireName } from './commit-request.js';
import { auditReceiptOf, emptyPurgeCounts, sessionBelongs, takesUntaggedRecords } from './purge-scope.js';
import type { SqliteCall } from './sqlite-side-tables.js';
import type { EventPurge, PurgeCounts, PurgeOptions } from './store.js';

/** The Store methods {@link createSqlitePurge} builds. */
export type SqlitePurge = EventPurge;

/** What {@link createSqlitePurge} needs from the store that owns the database. */
export interface SqlitePurgeContext {
  /** The open database. */
  db: Database.Database;
  /** The store's error and after-close wrapper; both methods run through it. */
  call: SqliteCall;
}

/** The statements of a purge, prepared on first use (the tables exist once the store opened). */
function prepareStatements(db: Database.Database) {
  return {
    receipts: db.prepare<[string], { receipt: string }>('SELECT receipt FROM filings WHERE event_id = ?'),
    audit: db.prepare<[], { id: number; envelope: string }>('SELECT id, envelope FROM audit'),
    deleteAudit: db.prepare<[number]>('DELETE FROM audit WHERE id = ?'),
    sessions: db.prepare<[], { key: string; envelope: string }>('SELECT key, envelope FROM sessions'),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE key = ?'),
    countDeclarations: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM declarations WHERE event_id = ?'),
    deleteDeclarations: db.prepare<[string]>('DELETE FROM declarations WHERE event_id = ?'),
    deleteFilings: db.prepare<[string]>('DELETE FROM filings WHERE event_id = ?'),
    countReminders: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM reminders'),
    deleteReminders: db.prepare<[]>('DELETE FROM reminders'),
  };
}

type PurgeStatements = ReturnType<typeof prepareStatements>;

/** The rows of one event, as found inside the transaction. */
interface Selection {
  receipts: Set<string>;
  auditIds: number[];
  sessionKeys: string[];
  declarations: number;
  reminderOutcomes: number;
}

function select(sql: PurgeStatements, eventId: string, options: PurgeOptions | undefined): Selection {
  const receipts = new Set(sql.receipts.all(eventId).map((row) => row.receipt));
  const auditIds = sql.audit
    .all()
    .filter((row) => {
      const receipt = auditReceiptOf(row.envelope);
      return receipt !== undefined && receipts.has(receipt);
    })
    .map((row) => row.id);
  const sessionKeys = sql.sessions
    .all()
    .filter((row) => sessionBelongs(row.envelope, receipts, options))
    .map((row) => row.key);
  return {
    receipts,
    auditIds,
    sessionKeys,
    declarations: sql.countDeclarations.get(eventId)?.n ?? 0,
    reminderOutcomes: takesUntaggedRecords(options) ? (sql.countReminders.get()?.n ?? 0) : 0,
  };
}

function toCounts(selection: Selection): PurgeCounts {
  return {
    filings: selection.receipts.size,
    auditEntries: selection.auditIds.length,
    declarations: selection.declarations,
    sessions: selection.sessionKeys.length,
    reminderOutcomes: selection.reminderOutcomes,
  };
}

/**
 * Builds the purge methods of the embedded store. Audit entries and sessions are read in full and
 * matched in JavaScript (their event shows only inside the envelope); an event's data is a few
 * thousand rows at most, so the write lock is held for milliseconds.
 */
export function createSqlitePurge(context: SqlitePurgeContext): SqlitePurge {
  const { db, call } = context;
  let statements: PurgeStatements | undefined;
  const sql = (): PurgeStatements => (statements ??= prepareStatements(db));

  const countTx = db.transaction((eventId: string, options: PurgeOptions | undefined) =>
    toCounts(select(sql(), eventId, options)),
  );

  const purgeTx = db.transaction((eventId: string, options: PurgeOptions | undefined): PurgeCounts => {
    const statements = sql();
    const selection = select(statements, eventId, options);
    const removed = emptyPurgeCounts();
    // Audit and sessions first, while the receipts that match them are still there (a crash rolls back anyway).
    for (const id of selection.auditIds) removed.auditEntries += statements.deleteAudit.run(id).changes;
    for (const key of selection.sessionKeys) removed.sessions += statements.deleteSession.run(key).changes;
    removed.declarations = statements.deleteDeclarations.run(eventId).changes;
    removed.filings = statements.deleteFilings.run(eventId).changes;
    if (takesUntaggedRecords(options)) removed.reminderOutcomes = statements.deleteReminders.run().changes;
    return removed;
  });

  return {
    purgeEvent: (eventId, options) =>
      call('purgeEvent', () => {
        requireName('sqlite', eventId, 'eventId');
        return purgeTx.immediate(eventId, options);
      }),

    countEvent: (eventId, options) =>
      call('countEvent', () => {
        requireName('sqlite', eventId, 'eventId');
        return countTx.deferred(eventId, options);
      }),
  };
}
