/**
 * The store interfaces: everything the bot keeps between messages, as narrow interfaces (sessions,
 * filing queries, the audit log, groups, unreachable chats, declarations, claims, the reminder log,
 * purge, lifecycle) that each consumer takes one by one, and their intersection {@link Store}. Two
 * implementations pass one contract suite (test/contract): the embedded SQLite store and the Redis store.
 */
import type { Filing } from '../domain/filing.js';
import type {
  AuditEntry,
  Declaration,
  GroupBinding,
  ReminderOutcome,
  UnreachableChat,
} from '../domain/records.js';
import type { SessionData, SessionKey, StoredSession } from '../domain/session.js';
import type { Inbox, InboxEntry, Outbox, OutboxWrite } from './inbox.js';

export type { Inbox, InboxEntry, Outbox, OutboxEntry, OutboxWrite } from './inbox.js';

// The records are domain data; re-exported for the store's own users (implementations, contract tests).
export type {
  AuditEntry,
  Declaration,
  FieldChange,
  GroupBinding,
  ReminderOutcome,
  UnreachableChat,
} from '../domain/records.js';

/** A filing to write in a commit: created when `expectedVersion` is 0, else replaced at that version. */
export interface FilingWrite {
  filing: Filing;
  expectedVersion: number;
}

/** What {@link SessionStore.begin} returns. */
export interface BeginResult {
  /** True when a commit of this delivery id was made before: the message must be dropped silently. */
  duplicate: boolean;
  /** The session, or undefined when there is none (or it expired). */
  session: StoredSession | undefined;
}

/** What {@link SessionStore.commit} asks for. */
export interface CommitRequest {
  key: SessionKey;
  /** The version read by `begin` (0 when there was no session). */
  expectedVersion: number;
  /** The new session data; `null` deletes the session. */
  data: SessionData | null;
  sessionTtlMs: number;
  filings?: FilingWrite[];
  audit?: AuditEntry[];
  /**
   * The platform delivery this commit answers, marked as done in the same atomic step (for
   * `dedupeTtlMs`): a delivery whose commit never happened (a crash, a store failure) is not
   * marked, so the platform's re-delivery is handled. Already marked: nothing is written.
   */
  delivery?: { id: string; dedupeTtlMs: number };
  /**
   * The replies of this message, put in the chat's outbox in the same atomic step (so a crash after
   * the commit never loses them: a sender delivers what the outbox holds). Not written when the
   * commit is refused.
   */
  outbox?: OutboxWrite;
  /**
   * The inbox entry this commit answers, acknowledged (removed) in the same atomic step, so an
   * entry is gone exactly when its commit happened. Not acknowledged when the commit is refused.
   */
  inboxEntry?: Pick<InboxEntry, 'id' | 'partition'>;
}

/** What {@link SessionStore.commit} returns: all of it was written, or none of it. */
export type CommitResult =
  | { ok: true; version: number }
  | { ok: false; conflict: 'session' }
  | { ok: false; conflict: 'filing'; receipt: string }
  /** The delivery was committed meanwhile (by another instance): drop this one. */
  | { ok: false; conflict: 'duplicate' };

/**
 * How many records of each kind {@link EventPurge.purgeEvent} removed (or {@link EventPurge.countEvent}
 * would remove). What belongs to an event is decided in purge-scope.ts.
 */
export interface PurgeCounts {
  filings: number;
  /** Audit entries about the event's filings (they hold field values and changes). */
  auditEntries: number;
  declarations: number;
  /** Chat sessions (drafts with their answers, the chosen district and language). */
  sessions: number;
  /** Reminder outcomes (chat ids and districts of the event's deadline reminders). */
  reminderOutcomes: number;
  /** Updates waiting in the durable inbox (a user's message, with the sender's name). */
  inboxEntries: number;
  /** Replies waiting in the outbox (a receipt, a summary of answers). */
  outboxEntries: number;
}

/** What {@link EventPurge.eraseRemnants} did to the files the store keeps. */
export type RemnantErasure =
  /** The files were rewritten from the live data: nothing deleted before is left in them. */
  | 'rewritten'
  /** The store keeps no files (a Redis without RDB save points or AOF). */
  | 'not-persisted'
  /** The rewrite was accepted but had not finished within the wait; it finishes in the background. */
  | 'pending'
  /**
   * The store could not rewrite its files, or not confirm it (commands not allowed, a rewrite failed,
   * a Redis too old to tell): the operator must rewrite them.
   */
  | 'manual';

/** What a purge takes beside the records that carry the event id. */
export interface PurgeOptions {
  /**
   * True when the event is the one this deployment serves (data/event.json): the records that carry no
   * event id — every chat session, the reminder log, and every entry waiting in the inbox and the
   * outbox — are then its records too. Otherwise only the sessions whose draft edits one of the event's
   * filings, and the waiting entries tied to its filings, go (purge-scope.ts).
   */
  servedEvent?: boolean;
}

/** Which filings to list. */
export interface FilingFilter {
  eventId: string;
  ownerKey?: string;
  formId?: string;
  district?: string;
  /** Withdrawn filings are left out unless this is true. */
  includeWithdrawn?: boolean;
}

/** What {@link SessionStore.begin} asks for. */
export interface BeginRequest {
  /** The platform delivery being handled (undefined: no dedupe, e.g. a read by a tool or a test). */
  deliveryId: string | undefined;
  dedupeTtlMs: number;
  key: SessionKey;
}

/**
 * Sessions: what the engine loads and saves around every message. Two calls an update — `begin`
 * (dedupe + load) and `commit` (compare-and-set save, with the filings, the audit entries and the
 * delivery mark written in the same atomic step) — so Redis costs at most two round trips.
 */
export interface SessionStore {
  /** Tells whether the delivery (when given) was committed already and loads the session, in one round trip. */
  begin(input: BeginRequest): Promise<BeginResult>;
  /** Compare-and-set save of the session with its filing writes and audit entries, atomically. */
  commit(request: CommitRequest): Promise<CommitResult>;
}

/** Filings, written only by a session commit: read one by receipt, or list them (handlers, staff, exports, reminders). */
export interface FilingQueries {
  /** One filing by receipt, or undefined. */
  getFiling(receipt: string): Promise<Filing | undefined>;
  /** Filings matching the filter, oldest first. */
  listFilings(filter: FilingFilter): Promise<Filing[]>;
}

/** The audit trail of filings, written only by a session commit. */
export interface AuditLog {
  /** The most recent audit entries, newest first. */
  listAudit(limit: number): Promise<AuditEntry[]>;
}

/** Which group chat speaks for which district (/bind, /unbind), for the district reminders. */
export interface GroupDirectory {
  /** Binds a group chat to a district (replacing an earlier binding of the same chat). */
  putGroup(binding: GroupBinding): Promise<void>;
  /** Removes a group's binding; false when it had none. */
  removeGroup(platform: string, chatId: string): Promise<boolean>;
  /** One group's binding, or undefined. */
  getGroup(platform: string, chatId: string): Promise<GroupBinding | undefined>;
  /** Every bound group, ordered by platform then chat id. */
  listGroups(): Promise<GroupBinding[]>;
}

/** The chats the bot can no longer write to, so reminders skip them and staff hear of them. */
export interface UnreachableChats {
  /** Records that a chat cannot be written to (replacing an earlier record of it). */
  markUnreachable(record: UnreachableChat): Promise<void>;
  /** Clears that record (the user wrote again, the bot was added back); false when there was none. */
  clearUnreachable(platform: string, chatId: string): Promise<boolean>;
  /** Every chat recorded as unreachable, newest first. */
  listUnreachable(): Promise<UnreachableChat[]>;
}

/** The districts' "nothing to file" declarations, which count as done in the status and the reminders. */
export interface DeclarationStore {
  /** Records a "nothing to file" declaration (replacing an earlier one for the same district and form). */
  putDeclaration(declaration: Declaration): Promise<void>;
  /** Removes it; false when there was none. */
  removeDeclaration(eventId: string, district: string, formId: string): Promise<boolean>;
  /** Every declaration of an event, ordered by district then form. */
  listDeclarations(eventId: string): Promise<Declaration[]>;
}

/**
 * Named claims with an owner and a TTL, shared by every instance: reminders claim each (rule, group)
 * once, and the dispatcher's leader lease is a claim it renews.
 */
export interface ClaimStore {
  /** Takes a named claim for `owner` for `ttlMs` (SET NX PX): true when it was free (or expired). */
  claim(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends (or re-sets) a claim still held by `owner`; false when another owner holds it or it is gone. */
  renewClaim(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Drops a claim held by `owner` (a failed send may then be tried again); false when not held by it. */
  releaseClaim(name: string, owner: string): Promise<boolean>;
}

/** What became of each reminder send, for /remind log and the preview (the newest kept). */
export interface ReminderLog {
  /** Records what became of a reminder send. */
  recordReminder(outcome: ReminderOutcome): Promise<void>;
  /** The most recent reminder outcomes, newest first. */
  listReminders(limit: number): Promise<ReminderOutcome[]>;
}

/** Deleting an event's personal data once it is over (`sciweek purge`). */
export interface EventPurge {
  /**
   * Deletes the event's personal data (see {@link PurgeCounts}) and says how much it removed. Safe
   * while the bot runs (batches, never a blocking scan); a second purge removes 0. What it deletes is
   * gone from the store's data; {@link EventPurge.eraseRemnants} then clears it from the files.
   */
  purgeEvent(eventId: string, options?: PurgeOptions): Promise<PurgeCounts>;
  /** What {@link EventPurge.purgeEvent} would remove now; removes nothing. */
  countEvent(eventId: string, options?: PurgeOptions): Promise<PurgeCounts>;
  /**
   * Rewrites the store's files so that no record deleted before (by a purge, or in normal running) is
   * left in them: on SQLite a VACUUM and an emptied write-ahead log, on Redis a new snapshot and an AOF
   * rewrite. Run it after {@link EventPurge.purgeEvent}; until then deleted bytes may stay on disk.
   */
  eraseRemnants(): Promise<RemnantErasure>;
}

/** The store's connection, for readiness and shutdown. */
export interface StoreLifecycle {
  /** Resolves when the store answers; throws a StoreError when it does not. */
  ping(): Promise<void>;
  /** Releases connections and file handles. */
  close(): Promise<void>;
}

/**
 * The whole persistence port: what the two implementations provide and the composition root (src/app)
 * holds. Everyone else takes only the narrow interfaces above that it uses. Every method either does
 * all it says or throws a StoreError.
 */
export interface Store
  extends SessionStore,
    FilingQueries,
    AuditLog,
    GroupDirectory,
    UnreachableChats,
    DeclarationStore,
    ClaimStore,
    ReminderLog,
    EventPurge,
    Inbox,
    Outbox,
    StoreLifecycle {}

/** The Store methods beside sessions, filings and purge, which each implementation builds in its side-tables file. */
export type SideTableMethods = GroupDirectory & UnreachableChats & DeclarationStore & ClaimStore & ReminderLog;
