/**
 * The side tables of the embedded Store: group bindings, unreachable chats, "nothing to file"
 * declarations, named claims and the reminder log. Kept apart from sqlite-store.ts (sessions,
 * filings, audit and the store's lifecycle) so each file stays one concern; the methods are built
 * from the owning store's statements and `call` wrapper and spread into its Store object.
 */
import type Database from 'better-sqlite3';
import {
  compareDeclarations,
  compareGroups,
  compareUnreachable,
  parseDeclarationEnvelope,
  parseGroupEnvelope,
  parseReminderEnvelope,
  parseUnreachableEnvelope,
  toDeclarationEnvelopeJson,
  toGroupEnvelopeJson,
  toReminderEnvelopeJson,
  toUnreachableEnvelopeJson,
} from './envelope.js';
import { checkClaimArgs, requireCount } from './commit-request.js';
import { chatField, declarationField } from './keys.js';
import type { ChatRow, Statements } from './sqlite-schema.js';
import type { Declaration, GroupBinding, ReminderOutcome, UnreachableChat } from '../domain/records.js';
import type { SideTableMethods } from './store.js';

/** The Store methods {@link createSqliteSideTables} builds. */
export type SqliteSideTables = SideTableMethods;

/** The owning store's `call`: refuses after close and wraps every driver error in a StoreError. */
export type SqliteCall = <T>(operation: string, fn: () => T) => Promise<T>;

/** What {@link createSqliteSideTables} needs from the store that owns the side tables. */
export interface SqliteSideTablesContext {
  /** The open database (the reminder log is appended and trimmed in one transaction on it). */
  db: Database.Database;
  /** The store's prepared statements. */
  sql: Statements;
  /** The store's error and after-close wrapper; every method runs through it. */
  call: SqliteCall;
  /** The time that decides claim expiry (ms since the epoch). */
  nowMs: () => number;
  /** How many reminder outcomes are kept (the newest); already checked by the store. */
  reminderLogLimit: number;
}

/** Parses every readable row (an unreadable one is skipped) and sorts them with `compare`. */
function readRows<T>(
  rows: ChatRow[],
  parse: (text: string, key: string) => T | undefined,
  compare: (a: T, b: T) => number,
): T[] {
  return rows
    .flatMap((row): T[] => {
      const value = parse(row.envelope, row.key);
      return value === undefined ? [] : [value];
    })
    .sort(compare);
}

/**
 * Builds the side-table methods of the embedded store, so that createSqliteStore can spread them into
 * its Store object and sqlite-store.ts stays within the project's file-size limit. Same semantics as
 * the Redis side tables (see redis-side-tables.ts).
 */
export function createSqliteSideTables(context: SqliteSideTablesContext): SqliteSideTables {
  const { db, sql, call, nowMs, reminderLogLimit } = context;

  /** Appends a reminder outcome and drops all but the newest `reminderLogLimit`, in one transaction. */
  const recordReminderTx = db.transaction((envelope: string): void => {
    const id = Number(sql.insertReminder.run(envelope).lastInsertRowid);
    sql.trimReminders.run(id - reminderLogLimit);
  });

  return {
    putGroup: (binding) =>
      call('putGroup', () => {
        const envelope = toGroupEnvelopeJson('sqlite', binding);
        sql.upsertGroup.run(chatField(binding.platform, binding.chatId), envelope);
      }),

    removeGroup: (platform, chatId) =>
      call('removeGroup', () => sql.deleteGroup.run(chatField(platform, chatId)).changes > 0),

    getGroup: (platform, chatId) =>
      call('getGroup', () => {
        const key = chatField(platform, chatId);
        const row = sql.getGroup.get(key);
        return row === undefined ? undefined : parseGroupEnvelope(row.envelope, key);
      }),

    listGroups: () =>
      call('listGroups', (): GroupBinding[] => readRows(sql.listGroups.all(), parseGroupEnvelope, compareGroups)),

    markUnreachable: (record) =>
      call('markUnreachable', () => {
        const envelope = toUnreachableEnvelopeJson('sqlite', record);
        sql.upsertUnreachable.run(chatField(record.platform, record.chatId), envelope);
      }),

    clearUnreachable: (platform, chatId) =>
      call('clearUnreachable', () => sql.deleteUnreachable.run(chatField(platform, chatId)).changes > 0),

    listUnreachable: () =>
      call('listUnreachable', (): UnreachableChat[] =>
        readRows(sql.listUnreachable.all(), parseUnreachableEnvelope, compareUnreachable),
      ),

    putDeclaration: (declaration) =>
      call('putDeclaration', () => {
        const envelope = toDeclarationEnvelopeJson('sqlite', declaration);
        sql.upsertDeclaration.run(declaration.eventId, declaration.district, declaration.formId, envelope);
      }),

    removeDeclaration: (eventId, district, formId) =>
      call('removeDeclaration', () => sql.deleteDeclaration.run(eventId, district, formId).changes > 0),

    listDeclarations: (eventId) =>
      call('listDeclarations', (): Declaration[] => {
        const rows = sql.listDeclarations
          .all(eventId)
          .map((row): ChatRow => ({ key: declarationField(row.district, row.formId), envelope: row.envelope }));
        return readRows(rows, (text, field) => parseDeclarationEnvelope(text, eventId, field), compareDeclarations);
      }),

    claim: (name, owner, ttlMs) =>
      call('claim', () => {
        checkClaimArgs('sqlite', name, owner, ttlMs);
        const now = nowMs();
        return sql.takeClaim.run(name, owner, now + ttlMs, now).changes > 0;
      }),

    renewClaim: (name, owner, ttlMs) =>
      call('renewClaim', () => {
        checkClaimArgs('sqlite', name, owner, ttlMs);
        const now = nowMs();
        return sql.renewClaim.run(now + ttlMs, name, owner, now).changes > 0;
      }),

    releaseClaim: (name, owner) =>
      call('releaseClaim', () => {
        checkClaimArgs('sqlite', name, owner);
        return sql.releaseClaim.run(name, owner, nowMs()).changes > 0;
      }),

    recordReminder: (outcome) =>
      call('recordReminder', () => {
        recordReminderTx.immediate(toReminderEnvelopeJson('sqlite', outcome));
      }),

    listReminders: (limit) =>
      call('listReminders', () => {
        requireCount('sqlite', limit, 'limit', 0);
        return sql.listReminders.all(limit).flatMap((row): ReminderOutcome[] => {
          const outcome = parseReminderEnvelope(row.envelope);
          return outcome === undefined ? [] : [outcome];
        });
      }),
  };
}
