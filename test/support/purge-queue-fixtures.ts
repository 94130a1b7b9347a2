/**
 * Waiting inbox updates and outbox replies for the purge tests: encoded exactly as the adapters and the
 * engine store them (domain/wire.ts), from a given user in a given chat.
 */
import { textReply } from '../../src/domain/reply.js';
import { encodeReplies, encodeUpdate } from '../../src/domain/wire.js';
import type { OutboxWrite } from '../../src/store/store.js';
import { uniqueId } from './store-fixtures.js';

/** Who sent an update, and where. */
export interface Sender {
  platform: string;
  userId: string;
  chatId: string;
  kind?: 'private' | 'group';
  name?: string;
}

/** The inbox body of a text message from `sender`. */
export function updateBody(sender: Sender, text: string): string {
  return encodeUpdate({
    route: '',
    inbound: {
      platform: sender.platform,
      chat: { id: sender.chatId, kind: sender.kind ?? 'private' },
      user: { id: sender.userId, displayName: sender.name ?? '用户' },
      text,
      deliveryId: uniqueId('update'),
      receivedAt: new Date('2025-05-20T01:00:00.000Z'),
    },
  });
}

/** An outbox entry: a text reply to a chat. */
export function replyTo(platform: string, chatId: string, text: string): OutboxWrite {
  return { id: uniqueId('reply'), platform, chatId, body: encodeReplies([textReply(text)]), route: '' };
}
