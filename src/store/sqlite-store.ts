/**
 * The embedded Store: one SQLite file under DATA_DIR, used when REDIS_URL is unset. Same semantics as
 * the Redis store (the contract suite in test/contract holds both to them), with transactions where
 * Redis uses Lua. Write transactions are IMMEDIATE and the file is in WAL mode with a busy timeout,
 * so two processes on one file (two console chats) serialise their compare-and-set correctly. The
 * durable inbox and the outbox (written by the commit transaction) are in sqlite-inbox.ts.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../kernel/errors.js';
import type { Filing } from '../domain/filing.js';
import type { SessionKey } from '../domain/session.js';
import {
  parseAuditEnvelope,
  parseFilingEnvelope,
  parseSessionEnvelope,
  REMINDER_LOG_LIMIT,
  toEnvelopeJson,
} from './envelope.js';
import { checkCommitRequest, requireCount } from './commit-request.js';
import { openDatabase, prepareStatements, type FilingParams, type Statements } from './sqlite-schema.js';
import { createSqliteSideTables } from './sqlite-side-tables.js';
import { createSqlitePurge } from './sqlite-purge.js';
import { createSqliteInbox } from './sqlite-inbox.js';
import type { AuditEntry } from '../domain/records.js';
import type { BeginResult, CommitRequest, CommitResult, FilingWrite, Store } from './store.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; its directory is created when missing. */
  file: string;
  /** The time that decides TTL expiry (ms since the epoch); tests move it. Defaults to Date.now. */
  nowMs?: () => number;
  /** How many reminder outcomes are kept (the newest); default {@link REMINDER_LOG_LIMIT}. */
  reminderLogLimit?: number;
}

/** Expired deliveries, sessions and claims are swept on every this-many-th `begin` with a delivery id. */
const SWEEP_EVERY_BEGINS = 500;

/** Encodes a session key unambiguously (ids may contain any separator). */
function toSessionRowKey(key: SessionKey): string {
  return JSON.stringify([key.platform, key.chatId, key.userId]);
}

function toFilingParams(filing: Filing, nowMs: number): FilingParams {
  const createdAtMs = Date.parse(filing.createdAt);
  return {
    receipt: filing.receipt,
    eventId: filing.eventId,
    formId: filing.formId,
    ownerKey: filing.ownerKey,
    district: filing.district ?? null,
    status: filing.status,
    version: filing.version,
    envelope: toEnvelopeJson(filing),
    createdAt: Number.isFinite(createdAtMs) ? createdAtMs : nowMs,
  };
}

/**
 * Opens the embedded store on `options.file`; throws a StoreError when the file cannot be opened.
 * A row is live while `expires_at > nowMs()`. `close` is idempotent; every other call after it rejects.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const nowMs = options.nowMs ?? Date.now;
  const reminderLogLimit = options.reminderLogLimit ?? REMINDER_LOG_LIMIT;
  requireCount('sqlite', reminderLogLimit, 'reminderLogLimit', 1);
  const db: Database.Database = openDatabase(options.file);
  let sql: Statements;
  try {
    sql = prepareStatements(db);
    sweep(nowMs());
  } catch (error) {
    db.close();
    throw new StoreError(`sqlite store: cannot prepare ${options.file}`, { cause: error });
  }
  let closed = false;
  let beginsWithDelivery = 0;

  /** Runs one operation as a promise: refuses after close and wraps every driver error in a StoreError. */
  function call<T>(operation: string, fn: () => T): Promise<T> {
    if (closed) return Promise.reject(new StoreError(`sqlite store: ${operation} after close`));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      if (error instanceof StoreError) return Promise.reject(error);
      return Promise.reject(new StoreError(`sqlite store: ${operation} failed`, { cause: error }));
    }
  }

  function sweep(now: number): void {
    sql.sweepDeliveries.run(now);
    sql.sweepSessions.run(now);
    sql.sweepClaims.run(now);
  }

  /** True when the delivery id was not live yet (and is now, until `now + ttlMs`). */
  function claimDelivery(id: string, ttlMs: number, now: number): boolean {
    return sql.claimDelivery.run(id, now + ttlMs, now).changes > 0;
  }

  const beginTx = db.transaction((deliveryId: string, rowKey: string, now: number): BeginResult => {
    const duplicate = sql.isDeliveryLive.get(deliveryId, now) !== undefined;
    beginsWithDelivery += 1;
    if (beginsWithDelivery % SWEEP_EVERY_BEGINS === 0) sweep(now);
    return { duplicate, session: loadSession(rowKey, now) };
  });

  function loadSession(rowKey: string, now: number): BeginResult['session'] {
    const row = sql.getLiveSession.get(rowKey, now);
    if (row === undefined) return undefined;
    const data = parseSessionEnvelope(row.envelope);
    return data === undefined ? undefined : { version: row.version, data };
  }

  /** The live session version; an unreadable row counts as absent, so a save at 0 replaces it. */
  function currentSessionVersion(rowKey: string, now: number): number {
    const row = sql.getLiveSession.get(rowKey, now);
    if (row === undefined) return 0;
    return parseSessionEnvelope(row.envelope) === undefined ? 0 : row.version;
  }

  function filingMatches(write: FilingWrite): boolean {
    const row = sql.getFiling.get(write.filing.receipt);
    return write.expectedVersion === 0 ? row === undefined : row?.version === write.expectedVersion;
  }

  const inbox = createSqliteInbox({ db, call });

  const commitTx = db.transaction((request: CommitRequest, now: number): CommitResult => {
    const rowKey = toSessionRowKey(request.key);
    const delivery = request.delivery;
    if (delivery !== undefined && sql.isDeliveryLive.get(delivery.id, now) !== undefined) return { ok: false, conflict: 'duplicate' };
    if (currentSessionVersion(rowKey, now) !== request.expectedVersion) return { ok: false, conflict: 'session' };
    const filings = request.filings ?? [];
    // Every check before any write: a conflict returns with nothing written.
    for (const write of filings) {
      if (!filingMatches(write)) return { ok: false, conflict: 'filing', receipt: write.filing.receipt };
    }
    let version = 0;
    if (request.data === null) {
      sql.deleteSession.run(rowKey);
    } else {
      version = request.expectedVersion + 1;
      sql.upsertSession.run(rowKey, version, toEnvelopeJson(request.data), now + request.sessionTtlMs);
    }
    for (const write of filings) sql.upsertFiling.run(toFilingParams(write.filing, now));
    for (const entry of request.audit ?? []) sql.insertAudit.run(toEnvelopeJson(entry));
    if (request.outbox !== undefined) inbox.writeOutbox(request.outbox);
    if (request.inboxEntry !== undefined) inbox.ackInTransaction(request.inboxEntry);
    if (delivery !== undefined) claimDelivery(delivery.id, delivery.dedupeTtlMs, now);
    return { ok: true, version };
  });

  const store: Store = {
    begin: (input) =>
      call('begin', () => {
        const now = nowMs();
        const rowKey = toSessionRowKey(input.key);
        if (input.deliveryId === undefined) return { duplicate: false, session: loadSession(rowKey, now) };
        requireCount('sqlite', input.dedupeTtlMs, 'dedupeTtlMs', 1);
        return beginTx.immediate(input.deliveryId, rowKey, now);
      }),

    commit: (request) =>
      call('commit', () => {
        checkCommitRequest('sqlite', request);
        return commitTx.immediate(request, nowMs());
      }),

    getFiling: (receipt) =>
      call('getFiling', () => {
        const row = sql.getFiling.get(receipt);
        return row === undefined ? undefined : parseFilingEnvelope(row.envelope);
      }),

    listFilings: (filter) =>
      call('listFilings', () => {
        const rows = sql.listFilings.all({
          eventId: filter.eventId,
          ownerKey: filter.ownerKey ?? null,
          formId: filter.formId ?? null,
          district: filter.district ?? null,
          includeWithdrawn: filter.includeWithdrawn === true ? 1 : 0,
        });
        return rows.flatMap((row): Filing[] => {
          const filing = parseFilingEnvelope(row.envelope);
          return filing === undefined ? [] : [filing];
        });
      }),

    listAudit: (limit) =>
      call('listAudit', () => {
        requireCount('sqlite', limit, 'limit', 0);
        return sql.listAudit.all(limit).flatMap((row): AuditEntry[] => {
          const entry = parseAuditEnvelope(row.envelope);
          return entry === undefined ? [] : [entry];
        });
      }),

    ...createSqliteSideTables({ db, sql, call, nowMs, reminderLogLimit }),

    ...createSqlitePurge({ db, call }),

    ...inbox.methods,

    ping: () =>
      call('ping', () => {
        sql.ping.get();
      }),

    close: () => {
      if (closed) return Promise.resolve();
      const result = call('close', () => {
        db.close();
      });
      closed = true;
      return result;
    },
  };

  return store;
}
