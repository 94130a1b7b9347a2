/**
 * The session cache: a session store wrapped so that this process keeps the sessions it wrote or read
 * last, by key — data, compare-and-set version and the token of the write (unique per write, across
 * instances). `begin` tells the store beneath the write it holds; when that write is still the live
 * one, the store answers without the session and it comes from here: no transfer, no JSON parse, no
 * validation. Any other write (by another instance, after an expiry or a purge — even one that
 * restarted the versions) is read and checked as usual, so the cache can only save work, never answer
 * with something the store no longer holds. `commit` names the write its expected version was read
 * from, so a copy of a session deleted and made again at the same version is refused, not built on.
 *
 * `held(key)` gives the engine that copy with no I/O at all: an answer in a draft then goes straight to
 * the commit (one Redis round trip), which refuses it when the copy was out of date or the delivery a
 * duplicate. Only a store that keeps write tokens ({@link StampedSessionStore}: the Redis store) can
 * be wrapped.
 *
 * Cached data is deep-frozen: the engine and the flows treat a session as an immutable value, and a
 * change in place (a bug) then throws at once instead of silently diverging from what the store holds.
 */
import type { SessionData, SessionKey, StoredSession } from '../domain/session.js';
import type { BeginRequest, CommitRequest, CommitResult, SessionStore } from './store.js';

/** One write of a session: its compare-and-set version and the token of the write. */
export interface SessionStamp {
  version: number;
  token: string;
}

/** A session as one write left it. */
export interface StampedSession extends StoredSession {
  token: string;
}

/** What {@link StampedSessionStore.beginStamped} returns; `'held'`: the caller's write is the live session. */
export interface StampedBeginResult {
  duplicate: boolean;
  session: StampedSession | 'held' | undefined;
}

/**
 * What {@link StampedSessionStore.commitStamped} returns: a {@link CommitResult} that also names the
 * write made, or the live session (when readable) that refused the commit.
 */
export type StampedCommitResult =
  | { ok: true; version: number; token: string }
  | { ok: false; conflict: 'session'; live: StampedSession | undefined }
  | Extract<CommitResult, { conflict: 'filing' | 'duplicate' }>;

/**
 * A session store whose every write carries a token no other write has, so a caller holding a copy
 * can have it checked where the session lives instead of having it sent again.
 */
export interface StampedSessionStore {
  /** `begin`, told the write the caller holds (if any): while that write is live, its session is not sent. */
  beginStamped(input: BeginRequest, held: SessionStamp | undefined): Promise<StampedBeginResult>;
  /**
   * `commit` over the write `expectedToken` names (undefined: unknown, the version alone decides): a
   * live session at the expected version but of another write refuses it.
   */
  commitStamped(request: CommitRequest, expectedToken: string | undefined): Promise<StampedCommitResult>;
}

/** A session store that also hands out the copies of sessions it holds. */
export interface CachedSessionStore extends SessionStore {
  /**
   * The session as this process last wrote or read it, without asking the store (no I/O); it may be
   * out of date: only a commit at its version proves it current.
   */
  held(key: SessionKey): StoredSession | undefined;
}

/** How many sessions a process keeps by default (a few MB: a session is a few hundred bytes of JSON). */
export const SESSION_CACHE_SIZE = 10_000;

/** A cached session: the data of one write. */
interface HeldSession extends SessionStamp {
  data: SessionData;
}

/** Sessions by key; the oldest entry goes first when full. */
interface SessionCache {
  get(key: string): HeldSession | undefined;
  /** Remembers `data` as written at `version` with `token` (freezing it); `null` data forgets the key. */
  set(key: string, version: number, token: string, data: SessionData | null): HeldSession | undefined;
  delete(key: string): void;
}

/** Freezes a JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}

/** Creates a cache of at most `capacity` sessions (0: a cache that keeps nothing). */
function createSessionCache(capacity: number): SessionCache {
  const entries = new Map<string, HeldSession>();
  return {
    get: (key) => entries.get(key),
    set(key, version, token, data) {
      entries.delete(key);
      if (data === null) return undefined;
      const held = { version, token, data: deepFreeze(data) };
      if (capacity === 0) return held;
      entries.set(key, held);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      return held;
    },
    delete: (key) => void entries.delete(key),
  };
}

/** Encodes a session key unambiguously (ids may contain any separator). */
function cacheKey(key: SessionKey): string {
  return JSON.stringify([key.platform, key.chatId, key.userId]);
}

/**
 * Wraps `store` in a cache of at most `capacity` sessions (0: none kept, every call goes through as
 * it is). Give each store one wrapper: copies held by two wrappers of one store are not told apart.
 */
export function withSessionCache(store: StampedSessionStore, capacity = SESSION_CACHE_SIZE): CachedSessionStore {
  const sessions = createSessionCache(capacity);

  /** Remembers a session read in full (or forgets the key when there is none). */
  function remember(key: string, session: StampedSession | undefined): StoredSession | undefined {
    if (session === undefined) {
      sessions.delete(key);
      return undefined;
    }
    return { version: session.version, data: sessions.set(key, session.version, session.token, session.data)?.data ?? session.data };
  }

  return {
    held: (key) => {
      const held = sessions.get(cacheKey(key));
      return held === undefined ? undefined : { version: held.version, data: held.data };
    },

    begin: async (input) => {
      const key = cacheKey(input.key);
      const held = sessions.get(key);
      const stamp = held === undefined ? undefined : { version: held.version, token: held.token };
      const begun = await store.beginStamped(input, stamp);
      if (begun.session === 'held' && held !== undefined) return { duplicate: begun.duplicate, session: { version: held.version, data: held.data } };
      return { duplicate: begun.duplicate, session: remember(key, begun.session === 'held' ? undefined : begun.session) };
    },

    commit: (request) => {
      const key = cacheKey(request.key);
      // The write the expected version was read from, when known: a session made again elsewhere at
      // the same version is then a conflict, not a base.
      const held = sessions.get(key);
      return store.commitStamped(request, held?.version === request.expectedVersion ? held.token : undefined).then((result): CommitResult => {
        if (result.ok) {
          sessions.set(key, result.version, result.token, request.data);
          return { ok: true, version: result.version };
        }
        if (result.conflict === 'session') {
          // The live session came back with the refusal: held, so the rerun needs no read of its own.
          remember(key, result.live);
          return { ok: false, conflict: 'session' };
        }
        return result;
      });
    },
  };
}
