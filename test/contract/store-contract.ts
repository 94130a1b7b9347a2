/**
 * The Store contract: one vitest suite every Store implementation must pass (SQLite and Redis), one
 * group of cases per interface of store.ts (sessions, filings and audit, groups and unreachable chats,
 * declarations, claims and the reminder log, purge, the durable inbox, the outbox, ping and close), so the engine can rely on the same
 * dedupe, compare-and-set, atomicity and TTL semantics whichever store is configured. Each case opens its own store with its own clock and uses its own
 * keys, so the suite is safe to run in parallel.
 */
import { describe, expect, it } from 'vitest';
import { registerClaimCases } from './store-contract-claims.js';
import { registerDeclarationCases } from './store-contract-declarations.js';
import { registerFilingCases } from './store-contract-filings.js';
import { registerGroupCases } from './store-contract-groups.js';
import { registerInboxCases } from './store-contract-inbox.js';
import { registerOutboxCases } from './store-contract-outbox.js';
import { registerPurgeCases } from './store-contract-purge.js';
import { registerPurgeQueueCases } from './store-contract-purge-queues.js';
import { registerSessionCases } from './store-contract-sessions.js';
import {
  createHarness,
  makeAudit,
  makeFiling,
  makeSessionData,
  SESSION_TTL_MS,
  uniqueId,
  uniqueKey,
} from '../support/store-fixtures.js';
import type { OpenStore } from '../support/store-fixtures.js';

export type { OpenedStore, OpenStore } from '../support/store-fixtures.js';

/**
 * Registers the contract suite for one implementation. `open` is called once per case with the
 * clock the case controls (pass it to the store as `nowMs`); it should give an isolated store (a
 * fresh file, a fresh key prefix) because audit listing is global. Give `reopen` when the store
 * persists: it must open the same data again after `store.close()`; give `writeRawDeclaration` when
 * the test can write past the store, so the unreadable-declaration case runs.
 */
export function describeStoreContract(name: string, open: OpenStore): void {
  const run = createHarness(open);

  describe(`Store contract: ${name}`, () => {
    it('answers ping', () =>
      run(async ({ store }) => {
        await expect(store.ping()).resolves.toBeUndefined();
      }));

    registerSessionCases(run);
    registerFilingCases(run);
    registerGroupCases(run, open);
    registerDeclarationCases(run, open);
    registerClaimCases(run, open);
    registerPurgeCases(run);
    registerPurgeQueueCases(run);
    registerInboxCases(run);
    registerOutboxCases(run);

    it('keeps sessions, filings, audit and delivery ids across close and reopen', ({ skip }) =>
      run(async ({ store, reopen, clock }) => {
        if (reopen === undefined) {
          skip('this store does not persist');
          return;
        }
        const key = uniqueKey('persist');
        const data = makeSessionData();
        const filing = makeFiling({ eventId: uniqueId('persist-event') });
        const audit = makeAudit(filing.receipt, 'filing.submitted', '2025-05-20T01:00:00.000Z');
        const deliveryId = uniqueId('persist-delivery');
        await store.begin({ deliveryId, dedupeTtlMs: 3_600_000, key });
        await store.commit({
          key,
          expectedVersion: 0,
          data,
          sessionTtlMs: SESSION_TTL_MS,
          filings: [{ filing, expectedVersion: 0 }],
          audit: [audit],
          delivery: { id: deliveryId, dedupeTtlMs: 3_600_000 },
        });
        await store.close();
        const again = await reopen();
        clock.advance(1000);
        const begun = await again.begin({ deliveryId, dedupeTtlMs: 3_600_000, key });
        expect(begun).toEqual({ duplicate: true, session: { version: 1, data } });
        expect(await again.getFiling(filing.receipt)).toEqual(filing);
        expect(await again.listFilings({ eventId: filing.eventId })).toEqual([filing]);
        expect(await again.listAudit(5)).toEqual([audit]);
        expect(await again.commit({ key, expectedVersion: 1, data: {}, sessionTtlMs: SESSION_TTL_MS })).toEqual({
          ok: true,
          version: 2,
        });
      }));
  });
}
