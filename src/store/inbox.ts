/**
 * The store interfaces of the durable path: the inbox platform updates are kept in before the platform
 * hears they arrived, and the outbox a message's replies are committed to with its session.
 */

/** One message's replies for a chat's outbox; `body` and `route` are opaque to the store. */
export interface OutboxWrite {
  /** Unique among the chat's entries (the delivery id, or a random id). */
  id: string;
  platform: string;
  chatId: string;
  /** The encoded replies (domain/wire.ts). */
  body: string;
  /** How the platform's adapter addresses the answer (a thread, a pressed keyboard), encoded; '' for none. */
  route: string;
}

/** An outbox entry as read back: what was written, in the chat's order. */
export type OutboxEntry = OutboxWrite;

/** An entry of the durable inbox: one platform update, encoded, in its partition's order. */
export interface InboxEntry {
  /** The store's id of the entry, increasing within its partition. */
  id: string;
  partition: number;
  /** The encoded update (domain/wire.ts); opaque to the store. */
  body: string;
}

/**
 * The durable inbox: platform updates written before the platform is told they arrived, read by the
 * worker that holds their partition, and removed only once handled. Partitions keep one chat's
 * updates in order (a chat always hashes to the same partition) and let instances share the work.
 */
export interface Inbox {
  /** Appends an update to a partition; resolves once it is stored (durably on SQLite). Returns its id. */
  inboxAppend(partition: number, body: string): Promise<string>;
  /**
   * Appends an update to a partition and, in the same atomic step, takes for `consumer` up to `max`
   * entries of that partition never taken before (the new one among them, unless older ones fill
   * `max`): what the partition's holder does with an update it receives itself, saving a read.
   */
  inboxAppendAndTake(consumer: string, partition: number, body: string, max: number): Promise<{ id: string; entries: InboxEntry[] }>;
  /**
   * Takes up to `max` entries never taken before from the given partitions for `consumer`, oldest
   * first within each partition; waits up to `waitMs` for one when there is none (0: answers at once).
   */
  inboxTake(consumer: string, partitions: readonly number[], max: number, waitMs: number): Promise<InboxEntry[]>;
  /**
   * Every entry of the partition taken before by any consumer (a worker that died or lost the
   * partition) and not acknowledged, now taken by `consumer`, oldest first.
   */
  inboxReclaim(consumer: string, partition: number): Promise<InboxEntry[]>;
  /** Acknowledges handled entries: they are removed and never taken again. */
  inboxAck(entries: readonly Pick<InboxEntry, 'id' | 'partition'>[]): Promise<void>;
  /** How many entries wait in each partition (taken or not, not acknowledged). */
  inboxDepth(partitions: number): Promise<number[]>;
}

/**
 * The transactional outbox: replies written by a session commit ({@link CommitRequest.outbox}) and
 * removed by the sender once the platform took them. Per chat, entries keep their commit order.
 */
export interface Outbox {
  /** The chats with entries waiting, at most `limit`. */
  outboxChats(limit: number): Promise<{ platform: string; chatId: string }[]>;
  /** The chat's oldest entries, at most `limit`, in commit order. */
  outboxPeek(platform: string, chatId: string, limit: number): Promise<OutboxEntry[]>;
  /** Removes a delivered entry; false when it was not there (delivered and removed before). */
  outboxDone(platform: string, chatId: string, id: string): Promise<boolean>;
  /** Removes delivered entries of any chats at once (as {@link Outbox.outboxDone} each); returns how many were there. */
  outboxDoneMany(entries: readonly { platform: string; chatId: string; id: string }[]): Promise<number>;
}

