/**
 * Replies for the asker's eyes only, for every platform: what is answered in a chat goes there in
 * order, and a private reply's content goes to the user's private chat at its place in that order,
 * followed in the chat by the note that it was sent — or, when the platform will not let the bot
 * write to the user, by the note saying how to open the private chat. Its content never reaches the
 * chat it was asked in.
 */
import type { SendOutcome } from '../../domain/platform.js';
import type { ChatReply, Reply } from '../../domain/reply.js';

/** How a platform sends: to the chat the answer belongs to, and to a user's private chat. */
export interface PrivateAwareSend {
  here(replies: readonly ChatReply[]): Promise<SendOutcome>;
  privately(userId: string, replies: readonly ChatReply[]): Promise<SendOutcome>;
}

/**
 * Sends `replies`, each private reply to its user. Resolves `unreachable` when the chat itself refused
 * the bot (the rest is dropped, as a chat's send does); rejects when a send failed for good.
 */
export async function sendKeepingPrivate(replies: readonly Reply[], send: PrivateAwareSend): Promise<SendOutcome> {
  let pending: ChatReply[] = [];
  for (const reply of replies) {
    if (reply.kind !== 'private') {
      pending.push(reply);
      continue;
    }
    if (pending.length > 0 && (await send.here(pending)) === 'unreachable') return 'unreachable';
    const outcome = reply.replies.length === 0 ? 'sent' : await send.privately(reply.userId, reply.replies);
    pending = [...(outcome === 'sent' ? reply.sent : reply.refused)];
  }
  return pending.length === 0 ? 'sent' : send.here(pending);
}
