/**
 * The typed callers of the Redis store's Lua scripts (the Lua itself is in redis-lua.ts). Each store
 * operation that must be atomic is one script, so it costs one round trip (ioredis sends EVALSHA and
 * falls back to EVAL on NOSCRIPT).
 */
import type { Redis } from 'ioredis';
import { StoreError } from '../kernel/errors.js';
import { checkCommitRequest } from './commit-request.js';
import { toEnvelopeJson } from './envelope.js';
import { chatField, INBOX_GROUP, type RedisKeys } from './keys.js';
import type { CommitRequest, OutboxWrite } from './store.js';
import {
  BEGIN_LUA,
  CLAIM_LUA,
  COMMIT_LUA,
  INBOX_TAKE_LUA,
  OUTBOX_DONE_MANY_LUA,
  INBOX_APPEND_AND_TAKE_LUA,
  RECORD_REMINDER_LUA,
  RELEASE_CLAIM_LUA,
  RENEW_CLAIM_LUA,
} from './redis-lua.js';

/** How much longer than the logical TTL a key is kept by Redis itself: cleanup only, never the truth. */
export function toCleanupMs(ttlMs: number): number {
  return ttlMs + Math.max(ttlMs, 60_000);
}

/** What the begin script answers. */
export interface BeginReply {
  duplicate: boolean;
  /** The live session version; 0 when there is none (or it expired). */
  version: number;
  envelope: string;
  /** The token of the live session's last write ('' when none). */
  token: string;
}

/** What the commit script answers; `session-at-zero` lets the store replace an unreadable session. */
export type CommitReply =
  | { kind: 'ok'; version: number }
  /** The session moved on: the live one (version 0: none) comes along. */
  | { kind: 'session'; live?: { version: number; envelope: string; token: string } }
  | { kind: 'session-at-zero'; liveVersion: number; envelope: string }
  | { kind: 'filing'; receipt: string }
  | { kind: 'duplicate' };

/** What the inbox-take script answers: the entries taken, oldest first, or where each stream's group stands. */
export interface InboxTakeReply {
  /** The entries taken: the index of their stream in the call's keys, their id and body. */
  entries: Array<{ stream: number; id: string; body: string }>;
  /** When nothing was taken: each stream's last-delivered id (a blocking XREAD waits for what comes after). */
  lastDelivered: string[];
}

/** The stored text of an outbox entry: its JSON, the id first (see {@link outboxIdPrefix}). */
export function toOutboxJson(write: OutboxWrite): string {
  return JSON.stringify({ id: write.id, platform: write.platform, chatId: write.chatId, body: write.body, route: write.route });
}

/** What the stored text of every outbox entry with this id starts with (and no other entry's does). */
export function outboxIdPrefix(id: string): string {
  return `{"id":${JSON.stringify(id)},`;
}

/** The keys and arguments of one commit script call. */
export interface CommitCall {
  keys: string[];
  args: string[];
}

/** The scripts, registered on one client, with their replies decoded. */
export interface StoreScripts {
  /** `held`: the session write the caller has cached; when still live, its envelope is not sent. */
  begin(keys: { session: string; delivery: string | undefined }, nowMs: number, held: { version: number; token: string } | undefined): Promise<BeginReply>;
  commit(call: CommitCall): Promise<CommitReply>;
  claim(key: string, owner: string, nowMs: number, ttlMs: number): Promise<boolean>;
  renewClaim(key: string, owner: string, nowMs: number, ttlMs: number): Promise<boolean>;
  releaseClaim(key: string, owner: string, nowMs: number): Promise<boolean>;
  recordReminder(key: string, envelope: string, keep: number): Promise<void>;
  /** Takes up to `max` never-delivered entries of the streams for `consumer` in group `group`. */
  inboxTake(streams: readonly string[], group: string, consumer: string, max: number): Promise<InboxTakeReply>;
  /** Appends to a stream and takes its never-delivered entries: the new id and the (id, body) taken. */
  inboxAppendAndTake(stream: string, body: string, group: string, consumer: string, max: number): Promise<{ id: string; taken: { id: string; body: string }[] }>;
  /** Removes outbox entries by id from their chats' lists (and a chat from the set when empty); returns how many were there. */
  outboxDoneMany(chats: string, entries: readonly { list: string; member: string; id: string }[]): Promise<number>;
}

/**
 * Checks a commit request (StoreError on a programming error) and builds its script call.
 * `session` is the session's Redis key (already known to the caller), the token of this write and the
 * token the expected version was written with ('' when unknown). `replaceVersion` is the raw version
 * of a live session whose envelope could not be read, to be overwritten by a save at version 0.
 */
export function toCommitCall(
  keys: RedisKeys,
  request: CommitRequest,
  nowMs: number,
  session: { key: string; write: string; expected: string },
  replaceVersion?: number,
): CommitCall {
  checkCommitRequest('redis', request);
  const filings = request.filings ?? [];
  const delivery = request.delivery;
  const callKeys = [session.key, keys.audit()];
  const args = [
    String(nowMs),
    String(request.expectedVersion),
    replaceVersion === undefined ? '' : String(replaceVersion),
    request.data === null ? 'delete' : 'set',
    request.data === null ? '' : toEnvelopeJson(request.data),
    String(nowMs + request.sessionTtlMs),
    String(toCleanupMs(request.sessionTtlMs)),
    String(filings.length),
    delivery === undefined ? '' : String(nowMs + delivery.dedupeTtlMs),
    delivery === undefined ? '' : String(toCleanupMs(delivery.dedupeTtlMs)),
    session.write,
    session.expected,
    request.outbox === undefined ? '' : toOutboxJson(request.outbox),
    request.outbox === undefined ? '' : chatField(request.outbox.platform, request.outbox.chatId),
    request.inboxEntry === undefined ? '' : request.inboxEntry.id,
    INBOX_GROUP,
  ];
  for (const { filing, expectedVersion } of filings) {
    const indexes = keys.filingIndexes(filing);
    const createdAtMs = Date.parse(filing.createdAt);
    callKeys.push(keys.filing(filing.receipt), ...indexes);
    args.push(filing.receipt, String(expectedVersion), String(filing.version), toEnvelopeJson(filing));
    args.push(String(Number.isFinite(createdAtMs) ? createdAtMs : nowMs), String(indexes.length));
  }
  for (const entry of request.audit ?? []) args.push(toEnvelopeJson(entry));
  if (request.outbox !== undefined) callKeys.push(keys.outbox(request.outbox.platform, request.outbox.chatId), keys.outboxChats());
  if (request.inboxEntry !== undefined) callKeys.push(keys.inbox(request.inboxEntry.partition));
  if (delivery !== undefined) callKeys.push(keys.delivery(delivery.id));
  return { keys: callKeys, args };
}

function badReply(script: string, reply: unknown): StoreError {
  const shown = JSON.stringify(reply)?.slice(0, 200) ?? String(reply);
  return new StoreError(`redis store: unexpected reply from the ${script} script: ${shown}`);
}

function decodeBegin(reply: unknown): BeginReply {
  if (!Array.isArray(reply)) throw badReply('begin', reply);
  const items: unknown[] = reply;
  const [duplicate, version, envelope, token] = items;
  if (typeof duplicate !== 'number' || typeof version !== 'number' || typeof envelope !== 'string' || typeof token !== 'string') {
    throw badReply('begin', reply);
  }
  return { duplicate: duplicate === 1, version, envelope, token };
}

function decodeCommit(reply: unknown): CommitReply {
  if (!Array.isArray(reply)) throw badReply('commit', reply);
  const items: unknown[] = reply;
  const [kind, first, second] = items;
  if (kind === 'ok' && typeof first === 'number') return { kind: 'ok', version: first };
  if (kind === 'session') {
    const [, , , token] = items;
    return typeof first === 'number' && typeof second === 'string' && typeof token === 'string'
      ? { kind: 'session', live: { version: first, envelope: second, token } }
      : { kind: 'session' };
  }
  if (kind === 'duplicate') return { kind: 'duplicate' };
  if (kind === 'session0' && typeof first === 'number' && typeof second === 'string') {
    return { kind: 'session-at-zero', liveVersion: first, envelope: second };
  }
  if (kind === 'filing' && typeof first === 'string') return { kind: 'filing', receipt: first };
  throw badReply('commit', reply);
}

/** Decodes the inbox-take script's answer. */
function decodeInboxTake(reply: unknown): InboxTakeReply {
  if (!Array.isArray(reply)) throw badReply('inboxTake', reply);
  const parts: unknown[] = reply;
  const [flat, after] = parts;
  if (!Array.isArray(flat) || !Array.isArray(after) || flat.length % 3 !== 0) throw badReply('inboxTake', reply);
  const items: unknown[] = flat;
  const entries: InboxTakeReply['entries'] = [];
  for (let i = 0; i < items.length; i += 3) {
    const [stream, id, body] = [items[i], items[i + 1], items[i + 2]];
    if (typeof stream !== 'number' || typeof id !== 'string' || typeof body !== 'string') throw badReply('inboxTake', reply);
    entries.push({ stream: stream - 1, id, body });
  }
  const lastDelivered = after.map((id: unknown) => {
    if (typeof id !== 'string') throw badReply('inboxTake', reply);
    return id;
  });
  return { entries, lastDelivered };
}

/** Decodes the 0|1 answer of a script. */
function decodeFlag(script: string, reply: unknown): boolean {
  if (reply !== 0 && reply !== 1) throw badReply(script, reply);
  return reply === 1;
}

/** Defines one script on the client and returns a caller whose reply is `unknown` until decoded. */
function defineScript(redis: Redis, name: string, lua: string, numberOfKeys?: number) {
  redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { lua, numberOfKeys });
  const command: unknown = Reflect.get(redis, name);
  if (typeof command !== 'function') throw new StoreError(`redis store: cannot define the ${name} script`);
  return async (...args: Array<string | number>): Promise<unknown> => {
    const reply: unknown = await Reflect.apply(command, redis, args);
    return reply;
  };
}

/**
 * Registers the scripts on `redis` with ioredis `defineCommand` (idempotent: defining again replaces
 * the same script) and returns their typed callers. Errors propagate as ioredis errors; the store
 * wraps them.
 */
export function registerStoreScripts(redis: Redis): StoreScripts {
  const begin = defineScript(redis, 'sciweekBegin', BEGIN_LUA);
  const commit = defineScript(redis, 'sciweekCommit', COMMIT_LUA);
  const claim = defineScript(redis, 'sciweekClaim', CLAIM_LUA, 1);
  const renewClaim = defineScript(redis, 'sciweekRenewClaim', RENEW_CLAIM_LUA, 1);
  const releaseClaim = defineScript(redis, 'sciweekReleaseClaim', RELEASE_CLAIM_LUA, 1);
  const recordReminder = defineScript(redis, 'sciweekRecordReminder', RECORD_REMINDER_LUA, 1);
  const inboxTake = defineScript(redis, 'sciweekInboxTake', INBOX_TAKE_LUA);
  const outboxDoneMany = defineScript(redis, 'sciweekOutboxDoneMany', OUTBOX_DONE_MANY_LUA);
  const appendAndTake = defineScript(redis, 'sciweekInboxAppendAndTake', INBOX_APPEND_AND_TAKE_LUA, 1);
  return {
    begin: async (keys, nowMs, held) => {
      const scriptKeys = keys.delivery === undefined ? [keys.session] : [keys.session, keys.delivery];
      return decodeBegin(await begin(scriptKeys.length, ...scriptKeys, String(nowMs), String(held?.version ?? 0), held?.token ?? ''));
    },
    commit: (call) => commit(call.keys.length, ...call.keys, ...call.args).then(decodeCommit),
    claim: async (key, owner, nowMs, ttlMs) => {
      const reply = await claim(key, String(nowMs), owner, String(nowMs + ttlMs), String(toCleanupMs(ttlMs)));
      return decodeFlag('claim', reply);
    },
    renewClaim: async (key, owner, nowMs, ttlMs) => {
      const reply = await renewClaim(key, String(nowMs), owner, String(nowMs + ttlMs), String(toCleanupMs(ttlMs)));
      return decodeFlag('renewClaim', reply);
    },
    releaseClaim: async (key, owner, nowMs) => decodeFlag('releaseClaim', await releaseClaim(key, String(nowMs), owner)),
    recordReminder: async (key, envelope, keep) => {
      decodeFlag('recordReminder', await recordReminder(key, envelope, String(keep)));
    },
    inboxTake: async (streams, group, consumer, max) =>
      decodeInboxTake(await inboxTake(streams.length, ...streams, group, consumer, String(max))),
    inboxAppendAndTake: async (stream, body, group, consumer, max) => {
      const reply = await appendAndTake(stream, body, group, consumer, String(max));
      const [id, flat] = Array.isArray(reply) ? (reply as unknown[]) : [];
      if (typeof id !== 'string' || !Array.isArray(flat) || flat.length % 2 !== 0) throw badReply('inboxAppendAndTake', reply);
      const items: unknown[] = flat;
      const taken: { id: string; body: string }[] = [];
      for (let i = 0; i < items.length; i += 2) {
        const [takenId, takenBody] = [items[i], items[i + 1]];
        if (typeof takenId !== 'string' || typeof takenBody !== 'string') throw badReply('inboxAppendAndTake', reply);
        taken.push({ id: takenId, body: takenBody });
      }
      return { id, taken };
    },
    outboxDoneMany: async (chats, entries) => {
      const reply = await outboxDoneMany(entries.length + 1, chats, ...entries.map((e) => e.list), ...entries.flatMap((e) => [outboxIdPrefix(e.id), e.member]));
      if (typeof reply !== 'number') throw badReply('outboxDoneMany', reply);
      return reply;
    },
  };
}
