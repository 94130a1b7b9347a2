/**
 * Argument checks shared by every Store implementation: programming errors in a call (a negative
 * TTL, a filing whose version does not follow its expected version, a claim without a name or owner)
 * are thrown as StoreError before anything is read or written, the same way in every store.
 */
import { StoreError } from '../kernel/errors.js';
import type { CommitRequest } from './store.js';

/** Throws a StoreError unless `value` is a safe integer >= `min`. */
export function requireCount(store: string, value: number, what: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new StoreError(`${store} store: ${what} must be an integer >= ${min}, got ${String(value)}`);
  }
}

/** Throws a StoreError unless `value` is a non-empty string. */
export function requireName(store: string, value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new StoreError(`${store} store: ${what} must be a non-empty string`);
  }
}

/**
 * Checks the arguments of `claim`, `renewClaim` (both with a TTL) and `releaseClaim` (without one):
 * a non-empty name and owner, and a TTL that is an integer >= 1 ms.
 */
export function checkClaimArgs(store: string, name: string, owner: string, ttlMs?: number): void {
  requireName(store, name, 'claim name');
  requireName(store, owner, 'claim owner');
  if (ttlMs !== undefined) requireCount(store, ttlMs, 'ttlMs', 1);
}

/**
 * Checks a commit request: versions and TTLs are counts, each filing's version follows, no receipt
 * twice, an outbox entry names its id and chat.
 */
export function checkCommitRequest(store: string, request: CommitRequest): void {
  requireCount(store, request.expectedVersion, 'expectedVersion', 0);
  if (request.data !== null) requireCount(store, request.sessionTtlMs, 'sessionTtlMs', 1);
  if (request.delivery !== undefined) {
    requireName(store, request.delivery.id, 'delivery id');
    requireCount(store, request.delivery.dedupeTtlMs, 'dedupeTtlMs', 1);
  }
  if (request.outbox !== undefined) {
    const { id, platform, chatId, body, route } = request.outbox;
    requireName(store, id, 'outbox id');
    requireName(store, platform, 'outbox platform');
    requireName(store, chatId, 'outbox chatId');
    if (typeof body !== 'string' || typeof route !== 'string') {
      throw new StoreError(`${store} store: an outbox entry's body and route must be strings`);
    }
  }
  const receipts = new Set<string>();
  for (const { filing, expectedVersion } of request.filings ?? []) {
    requireCount(store, expectedVersion, `filing ${filing.receipt} expectedVersion`, 0);
    if (filing.version !== expectedVersion + 1) {
      throw new StoreError(
        `${store} store: filing ${filing.receipt} has version ${filing.version}, ` +
          `expected ${expectedVersion + 1} when written at version ${expectedVersion}`,
      );
    }
    if (receipts.has(filing.receipt)) {
      throw new StoreError(`${store} store: filing ${filing.receipt} is written twice in one commit`);
    }
    receipts.add(filing.receipt);
  }
}
