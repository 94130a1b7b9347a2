/**
 * The waiting inbox and outbox entries in a Redis purge; which of them go is decided in
 * purge-scope.ts. An inbox stream keeps a deleted entry's bytes: XDEL only flags the entry inside its
 * node (a listpack of up to a hundred entries), the node is freed once every entry in it is deleted,
 * and a snapshot or an AOF rewrite writes a node as it is. So after its entries are deleted, each
 * stream that still holds entries is rebuilt from its live entries in one script — its consumer
 * groups, their positions and pending entries, and the stream's last id kept — which also drops the
 * bytes of updates acknowledged long ago that a waiting entry's node kept. Outbox entries are removed
 * from their chat's list by value; the chat leaves the outbox-chats set once its list is empty.
 */
import type { Redis } from 'ioredis';
import { parseJsonSafely } from '../kernel/json.js';
import type { RedisKeys } from './keys.js';
import type { QueuedReply, QueueScope } from './purge-scope.js';

/** Entries read or removed per round trip. */
const BATCH = 200;

/**
 * KEYS = a stream. Rebuilds it from its live entries (deleted entries leave no bytes behind), keeping
 * its last id and counters, its groups with their last-delivered id and entries-read, and every
 * pending entry with its consumer, idle time and delivery count. Atomic, so a worker sees the stream
 * before or after, never between. Returns how many entries it holds.
 */
const REBUILD_STREAM_LUA = `
local key = KEYS[1]
if redis.call('XLEN', key) == 0 then return 0 end
local function field(reply, name)
  for i = 1, #reply - 1, 2 do if reply[i] == name then return reply[i + 1] end end
  return nil
end
local info = redis.call('XINFO', 'STREAM', key)
local groups = {}
for _, g in ipairs(redis.call('XINFO', 'GROUPS', key)) do
  local name, pending = field(g, 'name'), {}
  if field(g, 'pending') > 0 then pending = redis.call('XPENDING', key, name, '-', '+', field(g, 'pending')) end
  groups[#groups + 1] = { name = name, last = field(g, 'last-delivered-id'), read = field(g, 'entries-read'), pending = pending }
end
local entries = redis.call('XRANGE', key, '-', '+')
redis.call('DEL', key)
for _, entry in ipairs(entries) do redis.call('XADD', key, entry[1], unpack(entry[2])) end
local setid = { 'XSETID', key, field(info, 'last-generated-id') }
local added, maxDeleted = field(info, 'entries-added'), field(info, 'max-deleted-entry-id')
if added then setid[#setid + 1] = 'ENTRIESADDED'; setid[#setid + 1] = added end
if maxDeleted then setid[#setid + 1] = 'MAXDELETEDID'; setid[#setid + 1] = maxDeleted end
redis.call(unpack(setid))
for _, g in ipairs(groups) do
  local create = { 'XGROUP', 'CREATE', key, g.name, g.last }
  if g.read then create[#create + 1] = 'ENTRIESREAD'; create[#create + 1] = g.read end
  redis.call(unpack(create))
  for _, p in ipairs(g.pending) do
    redis.call('XCLAIM', key, g.name, p[2], 0, p[1], 'IDLE', p[3], 'RETRYCOUNT', p[4], 'FORCE', 'JUSTID')
  end
end
return #entries
`;

/**
 * KEYS = the outbox-chats set, a chat's list; ARGV = the chat's member of the set, then the entries to
 * remove (one occurrence each). Drops the chat from the set once its list is empty; returns how many
 * entries were removed.
 */
const REMOVE_OUTBOX_ENTRIES_LUA = `
local removed = 0
for i = 2, #ARGV do removed = removed + redis.call('LREM', KEYS[2], 1, ARGV[i]) end
if redis.call('LLEN', KEYS[2]) == 0 then redis.call('SREM', KEYS[1], ARGV[1]) end
return removed
`;

/** What the queue purge needs from the store. */
export interface RedisQueuePurgeContext {
  redis: Redis;
  keys: RedisKeys;
}

/** The waiting entries that belong to the event, and every stream that holds entries. */
interface Found {
  /** Each inbox stream with entries, and the ids of those that go. */
  streams: Map<string, string[]>;
  /** Each outbox list with entries that go: its chat's member of the outbox-chats set and the entries. */
  lists: Map<string, { member: string; entries: string[] }>;
}

/** Every key matching `pattern` of `type`, walked with SCAN. */
async function scanKeys(redis: Redis, pattern: string, type: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', BATCH, 'TYPE', type);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return [...new Set(found)];
}

/** An outbox entry as the scope reads it; a damaged one is looked at as raw text. */
function readReply(text: string): QueuedReply {
  let value: unknown;
  try {
    value = parseJsonSafely(text);
  } catch {
    value = undefined;
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const stringField = (name: string): string => {
    const value = record[name];
    return typeof value === 'string' ? value : '';
  };
  const body = stringField('body');
  return { platform: stringField('platform'), chatId: stringField('chatId'), body: body === '' ? text : body, route: stringField('route') };
}

/** Finds the waiting entries that go: the inbox first (see {@link QueueScope}), then the outbox. */
async function findQueued(context: RedisQueuePurgeContext, scope: QueueScope): Promise<Found> {
  const { redis, keys } = context;
  const found: Found = { streams: new Map(), lists: new Map() };
  for (const stream of await scanKeys(redis, keys.inboxPattern(), 'stream')) {
    const ids: string[] = [];
    let seen = false;
    for (let start = '-'; ; ) {
      const page = await redis.xrange(stream, start, '+', 'COUNT', BATCH);
      for (const [id, fields] of page) {
        seen = true;
        const at = fields.indexOf('b');
        const body = at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? '') : fields.join('\n');
        if (scope.inboxEntry(body)) ids.push(id);
      }
      const last = page.at(-1);
      if (last === undefined || page.length < BATCH) break;
      start = `(${last[0]}`;
    }
    if (seen) found.streams.set(stream, ids);
  }
  const listPrefix = `${keys.prefix}outbox:`;
  for (const list of await scanKeys(redis, keys.outboxPattern(), 'list')) {
    const entries = (await redis.lrange(list, 0, -1)).filter((text) => scope.outboxEntry(readReply(text)));
    // The list's key ends with its chat's member of the outbox-chats set (keys.ts).
    if (entries.length > 0) found.lists.set(list, { member: list.slice(listPrefix.length), entries });
  }
  return found;
}

/** How many waiting entries a purge with `scope` would remove. */
export async function countQueued(context: RedisQueuePurgeContext, scope: QueueScope): Promise<{ inboxEntries: number; outboxEntries: number }> {
  const found = await findQueued(context, scope);
  let inboxEntries = 0;
  for (const ids of found.streams.values()) inboxEntries += ids.length;
  let outboxEntries = 0;
  for (const { entries } of found.lists.values()) outboxEntries += entries.length;
  return { inboxEntries, outboxEntries };
}

/** Removes the waiting entries that go and rebuilds every inbox stream that still holds entries. */
export async function purgeQueued(context: RedisQueuePurgeContext, scope: QueueScope): Promise<{ inboxEntries: number; outboxEntries: number }> {
  const { redis, keys } = context;
  const found = await findQueued(context, scope);
  let inboxEntries = 0;
  for (const [stream, ids] of found.streams) {
    for (let start = 0; start < ids.length; start += BATCH) inboxEntries += await redis.xdel(stream, ...ids.slice(start, start + BATCH));
    await redis.eval(REBUILD_STREAM_LUA, 1, stream);
  }
  let outboxEntries = 0;
  for (const [list, { member, entries }] of found.lists) {
    for (let start = 0; start < entries.length; start += BATCH) {
      const removed: unknown = await redis.eval(REMOVE_OUTBOX_ENTRIES_LUA, 2, keys.outboxChats(), list, member, ...entries.slice(start, start + BATCH));
      outboxEntries += typeof removed === 'number' ? removed : 0;
    }
  }
  return { inboxEntries, outboxEntries };
}
