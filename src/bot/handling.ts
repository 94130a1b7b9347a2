/**
 * What handling a message means to those who hand messages to the engine: the plain handler (the
 * console chat, a Slack modal's verdict) and the durable inbox's handler, with how a message ended.
 */
import type { Inbound } from '../domain/inbound.js';
import type { Reply } from '../domain/reply.js';
import type { InboxEntry } from '../store/store.js';

/** The function an adapter is given: a message in, the replies out. Never rejects. */
export type MessageHandler = (inbound: Inbound) => Promise<Reply[]>;

/** How a message ended, for metrics. */
export type HandleOutcome = 'ok' | 'duplicate' | 'conflict' | 'store_error' | 'error' | 'limited';

/** How a message taken from the durable inbox ended. */
export interface HandleResult {
  outcome: HandleOutcome;
  /**
   * The message's replies. With `outboxId` they were committed to the chat's outbox with the session
   * (a sender delivers them); without it they were not stored (an apology, a refusal) and go at once.
   */
  replies: Reply[];
  outboxId?: string;
  /** Said at once, before the replies, and not stored (the rate limit's note of messages not read). */
  notices?: Reply[];
  /** The store failed and the outcome is unknown: keep the message and handle it again later. */
  retry?: boolean;
  /** The inbox entry was acknowledged by the message's commit. */
  acknowledged?: boolean;
}

/** The inbox entry a message came from, acknowledged by its commit. */
export type InboxRef = Pick<InboxEntry, 'id' | 'partition'>;

/**
 * The handler of the durable inbox: a message and its adapter's route (kept with the outbox entry) in,
 * how it ended out. Never rejects.
 */
export type DurableHandler = (inbound: Inbound, route: string, entry?: InboxRef) => Promise<HandleResult>;
