/**
 * The sessions this process wrote or read last, by key: data, compare-and-set version and the
 * token of the write (unique per write, across instances). `begin` tells Redis the write it holds;
 * when that write is still the live one, Redis answers without the envelope and the session comes
 * from here: no transfer, no JSON parse, no validation. Any other write (by another instance, after
 * an expiry or a purge — even one that restarted the versions) is read and checked as usual, so the
 * cache can only save work, never answer with something Redis no longer holds.
 *
 * Cached data is deep-frozen: the engine and the flows treat a session as an immutable value, and a
 * change in place (a bug) then throws at once instead of silently diverging from what Redis holds.
 */
import type { SessionData } from '../domain/session.js';

/** A cached session: the data of one write. */
export interface HeldSession {
  version: number;
  token: string;
  data: SessionData;
}

/** How many sessions a process keeps by default (a few MB: a session is a few hundred bytes of JSON). */
export const SESSION_CACHE_SIZE = 10_000;

/** Sessions by key; the oldest entry goes first when full. */
export interface SessionCache {
  get(key: string): HeldSession | undefined;
  /** Remembers `data` as written at `version` with `token` (freezing it); `null` data forgets the key. */
  set(key: string, version: number, token: string, data: SessionData | null): HeldSession | undefined;
  delete(key: string): void;
  size(): number;
}

/** Freezes a JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}

/** Creates a cache of at most `capacity` sessions (0: a cache that keeps nothing). */
export function createSessionCache(capacity = SESSION_CACHE_SIZE): SessionCache {
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
    size: () => entries.size,
  };
}
