/**
 * The sessions this process wrote or read last, by key and compare-and-set version. `begin` tells
 * Redis the version it holds; when the live version is the same, Redis answers without the envelope
 * and the session comes from here: no transfer, no JSON parse, no validation. Any other version (a
 * write by another instance, an expiry, a purge) is read and checked as usual, so the cache can only
 * save work, never answer with something Redis no longer holds.
 *
 * Cached data is deep-frozen: the engine and the flows treat a session as an immutable value, and a
 * change in place (a bug) then throws at once instead of silently diverging from what Redis holds.
 */
import type { SessionData, StoredSession } from '../core/session.js';

/** How many sessions a process keeps by default (a few MB: a session is a few hundred bytes of JSON). */
export const SESSION_CACHE_SIZE = 10_000;

/** Sessions by key; the oldest entry goes first when full. */
export interface SessionCache {
  get(key: string): StoredSession | undefined;
  /** Remembers `data` at `version` (freezing it); `null` data forgets the key. */
  set(key: string, version: number, data: SessionData | null): void;
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
  const entries = new Map<string, StoredSession>();
  return {
    get: (key) => entries.get(key),
    set(key, version, data) {
      entries.delete(key);
      if (data === null || capacity === 0) return;
      entries.set(key, { version, data: deepFreeze(data) });
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
    delete: (key) => void entries.delete(key),
    size: () => entries.size,
  };
}
