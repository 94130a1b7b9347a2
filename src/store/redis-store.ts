/**
 * The Redis Store (ioredis): production and multi-instance. `begin` and `commit` are one Lua script
 * each, so an update costs two round trips; values are the same versioned envelopes as the SQLite
 * store, parsed with zod on read. Every session write carries a token, so the session cache
 * (session-cache.ts) can have a copy it holds checked in Redis instead of sent again: the stamped
 * begin and commit. Expiry follows the injected clock (see redis-scripts.ts). The durable inbox (one
 * stream per partition) is in redis-inbox.ts, the outbox the commit script writes in redis-outbox.ts.
 * During a Redis outage every call fails fast with a StoreError, and the client reconnects by itself.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StoreError } from '../kernel/errors.js';
import type { Filing } from '../domain/filing.js';
import { silentLogger, type Logger } from '../kernel/logger.js';
import { parseAuditEnvelope, parseFilingEnvelope, parseSessionEnvelope, REMINDER_LOG_LIMIT } from './envelope.js';
import { createRedisKeys } from './keys.js';
import { createRedisClient, describeRedisUrl, waitForReady } from './redis-client.js';
import { requireCount } from './commit-request.js';
import { registerStoreScripts, toCommitCall, type BeginReply, type CommitReply } from './redis-scripts.js';
import { createRedisSideTables } from './redis-side-tables.js';
import type { SessionStamp, StampedCommitResult, StampedSession, StampedSessionStore } from './session-cache.js';
import { createRedisPurge } from './redis-purge.js';
import { createRedisInbox } from './redis-inbox.js';
import { createRedisOutbox } from './redis-outbox.js';
import type { AuditEntry } from '../domain/records.js';
import type { BeginRequest, CommitRequest, CommitResult, FilingFilter, Store } from './store.js';

/** The Redis store: the Store, and the stamped session calls the session cache is built on. */
export interface RedisStore extends Store, StampedSessionStore {}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`); unused when `redis` is given. */
  url: string;
  /** Prefix of every key (default `sciweek:`). */
  prefix?: string;
  /** The time that decides TTL expiry (ms since the epoch); tests move it. Defaults to Date.now. */
  nowMs?: () => number;
  /** An existing client (e.g. wrapped by a test); the store then leaves closing it to the caller. */
  redis?: Redis;
  /** How many reminder outcomes are kept (the newest); default {@link REMINDER_LOG_LIMIT}. */
  reminderLogLimit?: number;
}

/** Options of {@link connectRedisStore}: the store's, plus how to report and bound the first connection. */
export interface ConnectRedisStoreOptions extends RedisStoreOptions {
  log?: Logger;
  /** Give up (StoreError) when Redis has not answered within this long; default one minute. */
  maxWaitMs?: number;
}

const DEFAULT_MAX_WAIT_MS = 60_000;


function toCommitResult(reply: CommitReply): CommitResult {
  if (reply.kind === 'ok') return { ok: true, version: reply.version };
  if (reply.kind === 'filing') return { ok: false, conflict: 'filing', receipt: reply.receipt };
  if (reply.kind === 'duplicate') return { ok: false, conflict: 'duplicate' };
  return { ok: false, conflict: 'session' };
}

/** The live session a script reply carries, parsed; undefined when there is none or it cannot be read. */
function readLive(live: { version: number; envelope: string; token: string } | undefined): StampedSession | undefined {
  if (live === undefined || live.version === 0) return undefined;
  const data = parseSessionEnvelope(live.envelope);
  return data === undefined ? undefined : { version: live.version, token: live.token, data };
}

/** Like {@link toCommitResult}, naming the write made (`token`) or the live session that refused it. */
function toStampedResult(reply: CommitReply, token: string): StampedCommitResult {
  if (reply.kind === 'ok') return { ok: true, version: reply.version, token };
  if (reply.kind === 'filing') return { ok: false, conflict: 'filing', receipt: reply.receipt };
  if (reply.kind === 'duplicate') return { ok: false, conflict: 'duplicate' };
  return { ok: false, conflict: 'session', live: reply.kind === 'session' ? readLive(reply.live) : undefined };
}

function matchesFilter(filing: Filing, filter: FilingFilter): boolean {
  return (
    filing.eventId === filter.eventId &&
    (filter.ownerKey === undefined || filing.ownerKey === filter.ownerKey) &&
    (filter.formId === undefined || filing.formId === filter.formId) &&
    (filter.district === undefined || filing.district === filter.district) &&
    (filter.includeWithdrawn === true || filing.status !== 'withdrawn')
  );
}

function openRedisStore(options: RedisStoreOptions): { store: RedisStore; redis: Redis } {
  const nowMs = options.nowMs ?? Date.now;
  const reminderLogLimit = options.reminderLogLimit ?? REMINDER_LOG_LIMIT;
  requireCount('redis', reminderLogLimit, 'reminderLogLimit', 1);
  const keys = createRedisKeys(options.prefix);
  const owned = options.redis === undefined;
  const redis = options.redis ?? createRedisClient(options.url);
  const scripts = registerStoreScripts(redis);
  let closed = false;

  /** A token no other write has: this process's random id and a counter. */
  const writer = randomBytes(6).toString('base64url');
  let writes = 0;
  const nextToken = (): string => `${writer}.${(writes += 1).toString(36)}`;

  /**
   * Runs one operation: refuses after close and wraps every client error in a StoreError. Written
   * without async/await: it is on every message's path, and each await is promise hops.
   */
  function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const wrap = (error: unknown): never => {
      if (error instanceof StoreError) throw error;
      throw new StoreError(`redis store: ${operation} failed`, { cause: error });
    };
    if (closed) return Promise.reject(new StoreError(`redis store: ${operation} after close`));
    try {
      return fn().catch(wrap);
    } catch (error) {
      return Promise.reject(error instanceof StoreError ? error : new StoreError(`redis store: ${operation} failed`, { cause: error }));
    }
  }

  /** The narrowest index for the filter; the parsed filings are then checked against all of it. */
  function indexFor(filter: FilingFilter): string {
    if (filter.ownerKey !== undefined) return keys.filingsByOwner(filter.eventId, filter.ownerKey);
    if (filter.district !== undefined) return keys.filingsByDistrict(filter.eventId, filter.district);
    if (filter.formId !== undefined) return keys.filingsByForm(filter.eventId, filter.formId);
    return keys.filingsByEvent(filter.eventId);
  }

  /** Runs the begin script, telling it the write the caller holds (if any). */
  function beginReply(input: BeginRequest, held: SessionStamp | undefined): Promise<BeginReply> {
    const delivery = input.deliveryId === undefined ? undefined : keys.delivery(input.deliveryId);
    if (delivery !== undefined) requireCount('redis', input.dedupeTtlMs, 'dedupeTtlMs', 1);
    return scripts.begin({ session: keys.session(input.key), delivery }, nowMs(), held);
  }

  /** Runs the commit script on top of the write `expected` names ('' when unknown); says which token it wrote. */
  function commitReply(request: CommitRequest, expected: string): Promise<{ reply: CommitReply; token: string }> {
    const now = nowMs();
    const sessionKey = keys.session(request.key);
    const token = nextToken();
    return scripts.commit(toCommitCall(keys, request, now, { key: sessionKey, write: token, expected })).then((reply) => {
      if (reply.kind !== 'session-at-zero') return { reply, token };
      if (parseSessionEnvelope(reply.envelope) !== undefined) return { reply: { kind: 'session' } as const, token };
      // The live session cannot be read: like a miss, so a save at 0 replaces it (CAS on its raw version).
      return scripts
        .commit(toCommitCall(keys, request, now, { key: sessionKey, write: token, expected: '' }, reply.liveVersion))
        .then((again) => ({ reply: again, token }));
    });
  }

  const inbox = createRedisInbox({ redis, keys, scripts, call });

  const store: RedisStore = {
    begin: (input) =>
      call('begin', async () => {
        const reply = await beginReply(input, undefined);
        const live = readLive(reply);
        return { duplicate: reply.duplicate, session: live === undefined ? undefined : { version: live.version, data: live.data } };
      }),

    // Redis leaves the envelope out when the caller's write is still the live one (same version and token).
    beginStamped: (input, held) =>
      call('begin', () =>
        beginReply(input, held).then((reply) => {
          const unchanged = reply.envelope === '' && held !== undefined && held.version === reply.version && held.token === reply.token;
          return { duplicate: reply.duplicate, session: unchanged ? ('held' as const) : readLive(reply) };
        }),
      ),

    commit: (request) => call('commit', () => commitReply(request, '').then(({ reply }) => toCommitResult(reply))),

    commitStamped: (request, expectedToken) =>
      call('commit', () => commitReply(request, expectedToken ?? '').then(({ reply, token }) => toStampedResult(reply, token))),

    getFiling: (receipt) =>
      call('getFiling', async () => {
        const envelope = await redis.hget(keys.filing(receipt), 'e');
        return envelope === null ? undefined : parseFilingEnvelope(envelope);
      }),

    listFilings: (filter) =>
      call('listFilings', async () => {
        const receipts = await redis.zrange(indexFor(filter), 0, '-1');
        if (receipts.length === 0) return [];
        const pipeline = redis.pipeline();
        for (const receipt of receipts) pipeline.hget(keys.filing(receipt), 'e');
        const replies = (await pipeline.exec()) ?? [];
        return replies.flatMap(([error, envelope]): Filing[] => {
          if (error !== null) throw error;
          const filing = typeof envelope === 'string' ? parseFilingEnvelope(envelope) : undefined;
          return filing !== undefined && matchesFilter(filing, filter) ? [filing] : [];
        });
      }),

    listAudit: (limit) =>
      call('listAudit', async () => {
        requireCount('redis', limit, 'limit', 0);
        if (limit === 0) return [];
        const envelopes = await redis.lrange(keys.audit(), 0, limit - 1);
        return envelopes.flatMap((envelope): AuditEntry[] => {
          const entry = parseAuditEnvelope(envelope);
          return entry === undefined ? [] : [entry];
        });
      }),

    ...createRedisSideTables({ redis, keys, scripts, call, nowMs, reminderLogLimit }),

    ...createRedisPurge({ redis, keys, call }),

    ...inbox.methods,

    ...createRedisOutbox({ redis, keys, scripts, call }),

    ping: () =>
      call('ping', async () => {
        await redis.ping();
      }),

    close: async () => {
      if (closed) return;
      closed = true;
      inbox.close();
      if (owned && redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else if (owned) redis.disconnect();
    },
  };
  return { store, redis };
}

/**
 * Opens the Redis store. The client connects in the background; until the first connection a call
 * waits for it (at most one connect attempt), afterwards calls fail fast while Redis is unreachable.
 * `close` quits the client it created (idempotent); every other call after it rejects.
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  return openRedisStore(options).store;
}

/**
 * The start-up path: opens the Redis store and waits for the first connection, retrying with capped
 * exponential backoff and logging one line per failed attempt (password masked). Rejects with a
 * StoreError, after closing what it opened, when Redis has not answered within `maxWaitMs`.
 */
export async function connectRedisStore(options: ConnectRedisStoreOptions): Promise<RedisStore> {
  const log = (options.log ?? silentLogger).child({ module: 'redis-store' });
  const target = describeRedisUrl(options.url);
  const { store, redis } = openRedisStore(options);
  try {
    await waitForReady(redis, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS, (attempt, retryInMs, err) => {
      log.warn({ redis: target, attempt, retryInMs, err }, 'redis not reachable yet, retrying');
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  log.info({ redis: target }, 'redis store connected');
  return store;
}

