/**
 * The outbox of the Redis Store: one list per chat (oldest entry at the head), written by the commit
 * script (redis-lua.ts) together with a set of the chats that have entries; an entry is the JSON of
 * its OutboxWrite, id first, so the removal script can find it by a prefix of its text. A delivered
 * entry is removed by one script (one or many entries at a time), which drops the chat from the set
 * once its list is empty.
 */
import { parseJsonSafely } from '../kernel/json.js';
import { requireCount, requireName } from './commit-request.js';
import { chatField } from './keys.js';
import type { RedisInboxContext } from './redis-inbox.js';
import type { Outbox, OutboxEntry } from './store.js';

/** What {@link createRedisOutbox} needs from the store: the same as the inbox. */
export type RedisOutboxContext = RedisInboxContext;

/** An outbox entry read back, or undefined when the stored text is not one. */
function parseOutboxEntry(text: string): OutboxEntry | undefined {
  let value: unknown;
  try {
    value = parseJsonSafely(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, platform, chatId, body, route } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof platform !== 'string' || typeof chatId !== 'string') return undefined;
  if (typeof body !== 'string' || typeof route !== 'string') return undefined;
  return { id, platform, chatId, body, route };
}

/** A chat named by a member of the outbox-chats set, or undefined when the member is not one. */
function parseChat(member: string): { platform: string; chatId: string } | undefined {
  let value: unknown;
  try {
    value = parseJsonSafely(member);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const parts: unknown[] = value;
  const [platform, chatId] = parts;
  return typeof platform === 'string' && typeof chatId === 'string' ? { platform, chatId } : undefined;
}

/** Builds the outbox methods of the Redis store; see the file comment. */
export function createRedisOutbox(context: RedisOutboxContext): Outbox {
  const { redis, keys, scripts, call } = context;
  const methods: Omit<Outbox, 'outboxDone'> = {
    outboxChats: (limit) =>
      call('outboxChats', async () => {
        requireCount('redis', limit, 'limit', 0);
        if (limit === 0) return [];
        // Distinct members, picked at random: with more chats than `limit`, every chat gets its turn.
        const members = await redis.srandmember(keys.outboxChats(), limit);
        return members.flatMap((member) => parseChat(member) ?? []);
      }),

    outboxPeek: (platform, chatId, limit) =>
      call('outboxPeek', async () => {
        requireName('redis', platform, 'platform');
        requireName('redis', chatId, 'chatId');
        requireCount('redis', limit, 'limit', 0);
        if (limit === 0) return [];
        const texts = await redis.lrange(keys.outbox(platform, chatId), 0, limit - 1);
        return texts.flatMap((text) => parseOutboxEntry(text) ?? []);
      }),

    outboxDoneMany: (entries) =>
      call('outboxDoneMany', async () => {
        for (const { platform, chatId, id } of entries) {
          requireName('redis', platform, 'platform');
          requireName('redis', chatId, 'chatId');
          requireName('redis', id, 'outbox id');
        }
        if (entries.length === 0) return 0;
        const calls = entries.map(({ platform, chatId, id }) => ({ list: keys.outbox(platform, chatId), member: chatField(platform, chatId), id }));
        return scripts.outboxDoneMany(keys.outboxChats(), calls);
      }),
  };
  return { ...methods, outboxDone: async (platform, chatId, id) => (await methods.outboxDoneMany([{ platform, chatId, id }])) > 0 };
}
