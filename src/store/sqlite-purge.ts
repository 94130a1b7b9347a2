/**
 * `purgeEvent`, `countEvent` and `eraseRemnants` of the embedded store: what belongs to an event is
 * decided in purge-scope.ts; here it is selected and deleted in one IMMEDIATE transaction, so a purge
 * is all or nothing and a running bot (another process on the same file) waits for it on the busy
 * timeout instead of seeing half an event. The database zeroes what it deletes (`secure_delete`,
 * sqlite-schema.ts), but the write-ahead log still holds the pages as they were before, and rows
 * deleted before that setting may sit in free pages: `eraseRemnants` rewrites the file (VACUUM, its
 * copy built in memory) and empties the WAL. Kept apart from sqlite-store.ts, which spreads these
 * methods in.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../kernel/errors.js';
import { requireName } from './commit-request.js';
import { auditReceiptOf, collectTraces, emptyPurgeCounts, queueScope, sessionBelongs, takesUntaggedRecords } from './purge-scope.js';
import type { SqliteCall } from './sqlite-side-tables.js';
import type { EventPurge, PurgeCounts, PurgeOptions } from './store.js';

/** The Store methods {@link createSqlitePurge} builds. */
export type SqlitePurge = EventPurge;

/** What {@link createSqlitePurge} needs from the store that owns the database. */
export interface SqlitePurgeContext {
  /** The open database. */
  db: Database.Database;
  /** The store's error and after-close wrapper; every method runs through it. */
  call: SqliteCall;
}

/** The statements of a purge, prepared on first use (the tables exist once the store opened). */
function prepareStatements(db: Database.Database) {
  return {
    filings: db.prepare<[string], { receipt: string; envelope: string }>('SELECT receipt, envelope FROM filings WHERE event_id = ?'),
    audit: db.prepare<[], { id: number; envelope: string }>('SELECT id, envelope FROM audit'),
    deleteAudit: db.prepare<[number]>('DELETE FROM audit WHERE id = ?'),
    sessions: db.prepare<[], { key: string; envelope: string }>('SELECT key, envelope FROM sessions'),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE key = ?'),
    countDeclarations: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM declarations WHERE event_id = ?'),
    deleteDeclarations: db.prepare<[string]>('DELETE FROM declarations WHERE event_id = ?'),
    deleteFilings: db.prepare<[string]>('DELETE FROM filings WHERE event_id = ?'),
    countReminders: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM reminders'),
    deleteReminders: db.prepare<[]>('DELETE FROM reminders'),
    inbox: db.prepare<[], { id: number; body: string }>('SELECT id, body FROM inbox ORDER BY id'),
    deleteInbox: db.prepare<[number]>('DELETE FROM inbox WHERE id = ?'),
    outbox: db.prepare<[], { seq: number; platform: string; chatId: string; body: string; route: string }>(
      'SELECT seq, platform, chat_id AS chatId, body, route FROM outbox ORDER BY seq',
    ),
    deleteOutbox: db.prepare<[number]>('DELETE FROM outbox WHERE seq = ?'),
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
  inboxIds: number[];
  outboxSeqs: number[];
}

function select(sql: PurgeStatements, eventId: string, options: PurgeOptions | undefined): Selection {
  const traces = collectTraces(sql.filings.all(eventId));
  const receipts = new Set(traces.receipts);
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
  // The inbox before the outbox: a filer's update names the private chat whose replies go too.
  const queues = queueScope(traces, options);
  const inboxIds = sql.inbox.all().filter((row) => queues.inboxEntry(row.body)).map((row) => row.id);
  const outboxSeqs = sql.outbox.all().filter((row) => queues.outboxEntry(row)).map((row) => row.seq);
  return {
    receipts,
    auditIds,
    sessionKeys,
    declarations: sql.countDeclarations.get(eventId)?.n ?? 0,
    reminderOutcomes: takesUntaggedRecords(options) ? (sql.countReminders.get()?.n ?? 0) : 0,
    inboxIds,
    outboxSeqs,
  };
}

function toCounts(selection: Selection): PurgeCounts {
  return {
    filings: selection.receipts.size,
    auditEntries: selection.auditIds.length,
    declarations: selection.declarations,
    sessions: selection.sessionKeys.length,
    reminderOutcomes: selection.reminderOutcomes,
    inboxEntries: selection.inboxIds.length,
    outboxEntries: selection.outboxSeqs.length,
  };
}

/**
 * Rewrites the database file from its live rows (no free page, no deleted cell left) and empties the
 * WAL, which otherwise keeps the pages as they were before the deletes. Throws a StoreError when
 * another connection keeps reading an older snapshot past the busy timeout, so the WAL cannot be
 * emptied yet (running it again finishes the job).
 */
function rewriteFile(db: Database.Database): void {
  db.exec('VACUUM');
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  if (result !== undefined && result.busy !== 0) {
    throw new StoreError('sqlite store: another process kept reading, so the write-ahead log still holds deleted data; run the purge again');
  }
}

/**
 * Builds the purge methods of the embedded store. Audit entries, sessions and the waiting inbox and
 * outbox entries are read in full and matched in JavaScript (their event shows only inside their
 * text); an event's data is a few thousand rows at most, so the write lock is held for milliseconds.
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
    for (const id of selection.inboxIds) removed.inboxEntries += statements.deleteInbox.run(id).changes;
    for (const seq of selection.outboxSeqs) removed.outboxEntries += statements.deleteOutbox.run(seq).changes;
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

    eraseRemnants: () =>
      call('eraseRemnants', () => {
        rewriteFile(db);
        return 'rewritten' as const;
      }),
  };
}
