/**
 * What the composition root needs from a platform adapter: start taking updates, stop taking them
 * (finishing what is in flight), send replies to a chat on its own (reminders), and say who
 * administers a group (for the bot's admin port). Adapters only
 * translate; they get the engine's handler function, never the engine.
 */
import type { Reply } from './reply.js';
import type { InboxUpdate } from './wire.js';

/**
 * Hands a platform update to the bot to keep: resolves once it is stored durably (only then may the
 * platform be told it arrived), rejects when it could not be stored (the platform should deliver it
 * again: a 503 to a webhook, no offset confirmed to a poll).
 */
export type AcceptUpdate = (update: InboxUpdate) => Promise<void>;

/** A running platform connection. */
export interface PlatformAdapter {
  /** `telegram`, `slack`, … — the `platform` of the Inbound values it makes. */
  readonly platform: string;
  /** Starts polling, registers webhooks or opens sockets. Resolves once updates can arrive. */
  start(): Promise<void>;
  /** Stops taking updates and waits for the ones in flight. Idempotent. */
  stop(): Promise<void>;
  /**
   * Sends replies to a chat outside a conversation turn (reminders); order is kept. Resolves
   * `unreachable` when the platform says the bot cannot write there (blocked, removed); rejects when
   * the platform failed even after the adapter's retries.
   */
  send(chatId: string, replies: readonly Reply[]): Promise<SendOutcome>;
  /**
   * Sends the answer to an update taken through {@link AcceptUpdate}: `chatId` is the update's chat
   * and `route` what the adapter put in the update to address the answer ('' for none). Order per
   * chat is kept; resolves and rejects like `send`.
   */
  deliver(chatId: string, replies: readonly Reply[], route: string): Promise<SendOutcome>;
  /**
   * Whether the user administers the group chat, as the platform says (the bot lets group admins
   * bind a group); false when it cannot tell. Absent: the platform has no group admins to ask.
   */
  isChatAdmin?(chatId: string, userId: string): Promise<boolean>;
}

/** What became of a send. */
export type SendOutcome = 'sent' | 'unreachable';

