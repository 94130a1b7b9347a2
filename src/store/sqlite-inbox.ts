/**
 * The durable inbox and the outbox of the embedded Store, with the same semantics as the Redis ones
 * (redis-inbox.ts; the contract suite holds both to them). The inbox is one table for every partition:
 * a row is never taken while `taken_by` is NULL, taken by the consumer it names afterwards, and deleted
 * when acknowledged. A take is one IMMEDIATE transaction (select and mark), so two processes on one
 * file never take a row twice; SQLite cannot block, so a take that may wait polls every
 * {@link POLL_INTERVAL_MS} on timers, never holding the event loop. The outbox is one table, written
 * by the commit's transaction through {@link SqliteInbox.writeOutbox}, its `seq` the commit order.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { StoreError } from '../kernel/errors.js';
import { requireCount, requireName } from './commit-request.js';
import type { SqliteCall } from './sqlite-side-tables.js';
import type { Inbox, InboxEntry, Outbox, OutboxWrite } from './store.js';

/** How often a waiting take looks for new rows. */
export const POLL_INTERVAL_MS = 25;

/** What {@link createSqliteInbox} needs from the store that owns the database. */
export interface SqliteInboxContext {
  /** The open database (the inbox and outbox tables exist once the store opened it). */
  db: Database.Database;
  /** The store's error and after-close wrapper; every method runs through it. */
  call: SqliteCall;
}

/** The inbox and outbox methods, and the outbox write the commit transaction makes. */
export interface SqliteInbox {
  methods: Inbox & Outbox;
  /** Inserts an outbox entry; run inside the commit's transaction, once the commit is known to succeed. */
  writeOutbox(write: OutboxWrite): void;
  /** Removes an acknowledged inbox entry; run inside the commit's transaction, once it is known to succeed. */
  ackInTransaction(entry: Pick<InboxEntry, 'id' | 'partition'>): void;
}

/** An inbox row as read. */
interface InboxRow {
  id: number;
  partition: number;
  body: string;
}

/** The statements of the inbox and the outbox, prepared on first use. */
function prepareStatements(db: Database.Database) {
  return {
    append: db.prepare<[number, string]>('INSERT INTO inbox (partition, body) VALUES (?, ?)'),
    /** The oldest never-taken rows of the partitions (a JSON array): (partitions, limit). */
    untaken: db.prepare<[string, number], InboxRow>(
      `SELECT id, partition, body FROM inbox
       WHERE taken_by IS NULL AND partition IN (SELECT value FROM json_each(?))
       ORDER BY id LIMIT ?`,
    ),
    markTaken: db.prepare<[string, number]>('UPDATE inbox SET taken_by = ? WHERE id = ?'),
    taken: db.prepare<[number], InboxRow>(
      'SELECT id, partition, body FROM inbox WHERE partition = ? AND taken_by IS NOT NULL ORDER BY id',
    ),
    retake: db.prepare<[string, number]>('UPDATE inbox SET taken_by = ? WHERE partition = ? AND taken_by IS NOT NULL'),
    ack: db.prepare<[number, number]>('DELETE FROM inbox WHERE id = ? AND partition = ?'),
    depth: db.prepare<[number], { partition: number; n: number }>(
      'SELECT partition, COUNT(*) AS n FROM inbox WHERE partition < ? GROUP BY partition',
    ),
    insertOutbox: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO outbox (platform, chat_id, entry_id, body, route) VALUES (?, ?, ?, ?, ?)',
    ),
    /** The chats with entries, the one waiting longest first. */
    chats: db.prepare<[number], { platform: string; chatId: string }>(
      'SELECT platform, chat_id AS chatId FROM outbox GROUP BY platform, chat_id ORDER BY MIN(seq) LIMIT ?',
    ),
    peek: db.prepare<[string, string, number], { id: string; body: string; route: string }>(
      'SELECT entry_id AS id, body, route FROM outbox WHERE platform = ? AND chat_id = ? ORDER BY seq LIMIT ?',
    ),
    /** Removes the chat's oldest entry with that id (ids are unique per chat; Redis removes one too). */
    done: db.prepare<[string, string, string]>(
      'DELETE FROM outbox WHERE seq = (SELECT MIN(seq) FROM outbox WHERE platform = ? AND chat_id = ? AND entry_id = ?)',
    ),
  };
}

type InboxStatements = ReturnType<typeof prepareStatements>;

function toEntry(row: InboxRow): InboxEntry {
  return { id: String(row.id), partition: row.partition, body: row.body };
}

/** The row id an entry id names; a StoreError when it names none this store could have given. */
function toRowId(id: string): number {
  const rowId = /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isSafeInteger(rowId)) throw new StoreError(`sqlite store: ${JSON.stringify(id)} is not an inbox entry id`);
  return rowId;
}

/** Builds the inbox and outbox methods of the embedded store; see the file comment. */
export function createSqliteInbox(context: SqliteInboxContext): SqliteInbox {
  const { db, call } = context;
  let statements: InboxStatements | undefined;
  const sql = (): InboxStatements => (statements ??= prepareStatements(db));

  const takeTx = db.transaction((consumer: string, partitions: string, max: number): InboxEntry[] => {
    const rows = sql().untaken.all(partitions, max);
    for (const row of rows) sql().markTaken.run(consumer, row.id);
    return rows.map(toEntry);
  });

  const appendAndTakeTx = db.transaction((consumer: string, partition: number, body: string, max: number): { id: string; entries: InboxEntry[] } => {
    const id = String(sql().append.run(partition, body).lastInsertRowid);
    return { id, entries: takeTx(consumer, JSON.stringify([partition]), max) };
  });

  const reclaimTx = db.transaction((consumer: string, partition: number): InboxEntry[] => {
    const rows = sql().taken.all(partition);
    sql().retake.run(consumer, partition);
    return rows.map(toEntry);
  });

  const doneManyTx = db.transaction((entries: readonly { platform: string; chatId: string; id: string }[]): number => {
    let removed = 0;
    for (const { platform, chatId, id } of entries) removed += sql().done.run(platform, chatId, id).changes;
    return removed;
  });

  const ackTx = db.transaction((rows: Array<{ rowId: number; partition: number }>): void => {
    for (const { rowId, partition } of rows) sql().ack.run(rowId, partition);
  });

  /** Takes waiting in this process, woken at once by an append in it (appends of other processes are polled for). */
  let appended: (() => void)[] = [];
  const wakeTakers = (): void => {
    const waiters = appended;
    appended = [];
    for (const wake of waiters) wake();
  };
  const nextAppend = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      appended.push(resolve);
      void sleep(ms).then(resolve);
    });

  /** Takes at once, then again on an append here or every poll interval until something is there or `waitMs` is over. */
  async function take(consumer: string, partitions: readonly number[], max: number, waitMs: number): Promise<InboxEntry[]> {
    const json = JSON.stringify([...new Set(partitions)]);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const entries = await call('inboxTake', () => takeTx.immediate(consumer, json, max));
      const left = deadline - Date.now();
      if (entries.length > 0 || left <= 0) return entries;
      await nextAppend(Math.min(POLL_INTERVAL_MS, left));
    }
  }

  const methods: Inbox & Outbox = {
    inboxAppendAndTake: (consumer, partition, body, max) =>
      call('inboxAppendAndTake', () => {
        requireName('sqlite', consumer, 'consumer');
        requireCount('sqlite', partition, 'partition', 0);
        requireCount('sqlite', max, 'max', 1);
        return appendAndTakeTx.immediate(consumer, partition, body, max);
      }),

    inboxAppend: (partition, body) =>
      call('inboxAppend', () => {
        requireCount('sqlite', partition, 'partition', 0);
        const id = String(sql().append.run(partition, body).lastInsertRowid);
        wakeTakers();
        return id;
      }),

    inboxTake: (consumer, partitions, max, waitMs) =>
      call('inboxTake', () => {
        requireName('sqlite', consumer, 'consumer');
        for (const partition of partitions) requireCount('sqlite', partition, 'partition', 0);
        requireCount('sqlite', max, 'max', 1);
        requireCount('sqlite', waitMs, 'waitMs', 0);
      }).then(() => (partitions.length === 0 ? [] : take(consumer, partitions, max, waitMs))),

    inboxReclaim: (consumer, partition) =>
      call('inboxReclaim', () => {
        requireName('sqlite', consumer, 'consumer');
        requireCount('sqlite', partition, 'partition', 0);
        return reclaimTx.immediate(consumer, partition);
      }),

    inboxAck: (entries) =>
      call('inboxAck', () => {
        const rows = entries.map(({ id, partition }) => {
          requireCount('sqlite', partition, 'partition', 0);
          return { rowId: toRowId(id), partition };
        });
        if (rows.length > 0) ackTx.immediate(rows);
      }),

    inboxDepth: (partitions) =>
      call('inboxDepth', () => {
        requireCount('sqlite', partitions, 'partitions', 0);
        const depths = Array.from({ length: partitions }, () => 0);
        for (const { partition, n } of sql().depth.all(partitions)) {
          if (partition >= 0) depths[partition] = n;
        }
        return depths;
      }),

    outboxChats: (limit) =>
      call('outboxChats', () => {
        requireCount('sqlite', limit, 'limit', 0);
        return sql().chats.all(limit);
      }),

    outboxPeek: (platform, chatId, limit) =>
      call('outboxPeek', () => {
        requireName('sqlite', platform, 'platform');
        requireName('sqlite', chatId, 'chatId');
        requireCount('sqlite', limit, 'limit', 0);
        return sql()
          .peek.all(platform, chatId, limit)
          .map((row) => ({ id: row.id, platform, chatId, body: row.body, route: row.route }));
      }),

    outboxDone: (platform, chatId, id) =>
      call('outboxDone', () => {
        requireName('sqlite', platform, 'platform');
        requireName('sqlite', chatId, 'chatId');
        requireName('sqlite', id, 'outbox id');
        return sql().done.run(platform, chatId, id).changes > 0;
      }),

    outboxDoneMany: (entries) =>
      call('outboxDoneMany', () => {
        for (const { platform, chatId, id } of entries) {
          requireName('sqlite', platform, 'platform');
          requireName('sqlite', chatId, 'chatId');
          requireName('sqlite', id, 'outbox id');
        }
        return entries.length === 0 ? 0 : doneManyTx.immediate(entries);
      }),
  };

  return {
    methods,
    writeOutbox: (write) => {
      sql().insertOutbox.run(write.platform, write.chatId, write.id, write.body, write.route);
    },
    ackInTransaction: ({ id, partition }) => {
      sql().ack.run(toRowId(id), partition);
    },
  };
}
