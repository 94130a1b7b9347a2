/**
 * Filing, audit and dedupe cases of the Store contract: filings written in the same atomic step as
 * the session (all or nothing), listed with filters, audit newest first, delivery ids committed once.
 */
import { expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import type { Filing } from '../../src/domain/filing.js';
import type { SessionKey } from '../../src/domain/session.js';
import type { CommitResult, FilingFilter, FilingWrite, Store } from '../../src/store/store.js';
import type { Harness } from '../support/store-fixtures.js';
import {
  DEDUPE_TTL_MS,
  makeAudit,
  makeFiling,
  makeSessionData,
  SESSION_TTL_MS,
  uniqueId,
  uniqueKey,
} from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

/** A commit of an empty session at `expectedVersion` that carries `filings`. */
function commitFilings(store: Store, key: SessionKey, expectedVersion: number, filings: FilingWrite[]) {
  return store.commit({ key, expectedVersion, data: {}, sessionTtlMs: SESSION_TTL_MS, filings });
}

/** A filing write: create when `expectedVersion` is 0. */
function write(filing: Filing, expectedVersion = filing.version - 1): FilingWrite {
  return { filing, expectedVersion };
}

function withoutDistrict(filing: Filing): Filing {
  const copy = { ...filing };
  delete copy.district;
  return copy;
}

const OK_1: CommitResult = { ok: true, version: 1 };

/** Registers the filing, audit and dedupe cases inside the current describe block. */
export function registerFilingCases(run: Run): void {
  it('creates a filing with the session and reads it back; an unknown receipt is undefined', () =>
    run(async ({ store }) => {
      const filing = makeFiling({ values: { projectName: '海洋科普 🐙', contacts: [{ phone: '13800138000' }] } });
      expect(await commitFilings(store, uniqueKey('filing-create'), 0, [write(filing)])).toEqual(OK_1);
      expect(await store.getFiling(filing.receipt)).toEqual(filing);
      expect(await store.getFiling(uniqueId('missing'))).toBeUndefined();
    }));

  it('lists filings of one event oldest first, filtered by owner, form and district', () =>
    run(async ({ store }) => {
      const eventId = uniqueId('event');
      const a = makeFiling({ eventId, ownerKey: 'o1', createdAt: '2025-05-20T02:00:00.000Z' });
      const b = makeFiling({
        eventId,
        ownerKey: 'o2',
        formId: 'exhibitor',
        district: '崂山区',
        createdAt: '2025-05-20T01:00:00.000Z',
      });
      const c = withoutDistrict(
        makeFiling({
          eventId,
          ownerKey: 'o1',
          formId: 'exhibitor',
          status: 'withdrawn',
          createdAt: '2025-05-20T03:00:00.000Z',
        }),
      );
      const tieAt = '2025-05-21T00:00:00.000Z';
      const tieLate = makeFiling({ eventId, receipt: `${uniqueId('tie')}-2`, createdAt: tieAt });
      const tieEarly = makeFiling({ eventId, receipt: `${tieLate.receipt.slice(0, -2)}-1`, createdAt: tieAt });
      const elsewhere = makeFiling({ eventId: uniqueId('other-event'), ownerKey: 'o1' });
      const all = [c, a, tieLate, elsewhere, b, tieEarly].map((filing) => write(filing));
      expect(await commitFilings(store, uniqueKey('filing-list'), 0, all)).toEqual(OK_1);
      const receipts = async (filter: FilingFilter) => (await store.listFilings(filter)).map((f) => f.receipt);
      expect(await receipts({ eventId })).toEqual([b, a, tieEarly, tieLate].map((f) => f.receipt));
      expect(await store.listFilings({ eventId, includeWithdrawn: true })).toEqual([b, a, c, tieEarly, tieLate]);
      expect(await receipts({ eventId, ownerKey: 'o1' })).toEqual([a.receipt]);
      expect(await receipts({ eventId, ownerKey: 'o1', includeWithdrawn: true })).toEqual([a.receipt, c.receipt]);
      expect(await receipts({ eventId, formId: 'exhibitor' })).toEqual([b.receipt]);
      expect(await receipts({ eventId, district: '崂山区' })).toEqual([b.receipt]);
      expect(await receipts({ eventId, ownerKey: 'o1', formId: 'key-project' })).toEqual([a.receipt]);
      expect(await receipts({ eventId, ownerKey: 'o2', district: '市南区' })).toEqual([]);
      expect(await receipts({ eventId: uniqueId('no-such-event') })).toEqual([]);
    }));

  it('updates a filing at the right version and refuses stale or duplicate writes', () =>
    run(async ({ store }) => {
      const key = uniqueKey('filing-update');
      const v1 = makeFiling();
      expect(await commitFilings(store, key, 0, [write(v1)])).toEqual(OK_1);
      const v2: Filing = {
        ...v1,
        values: { ...v1.values, expectedVisitors: 500 },
        version: 2,
        updatedAt: '2025-05-21T00:00:00.000Z',
      };
      expect(await commitFilings(store, key, 1, [write(v2)])).toEqual({ ok: true, version: 2 });
      expect(await store.getFiling(v1.receipt)).toEqual(v2);
      const conflict = { ok: false, conflict: 'filing', receipt: v1.receipt };
      expect(await commitFilings(store, key, 2, [write(v2, 1)])).toEqual(conflict);
      expect(await commitFilings(store, key, 2, [write(v1, 0)])).toEqual(conflict);
      const v3: Filing = { ...v2, status: 'withdrawn', version: 3 };
      expect(await commitFilings(store, key, 2, [write(v3)])).toEqual({ ok: true, version: 3 });
      expect(await store.listFilings({ eventId: v1.eventId, ownerKey: v1.ownerKey })).not.toContainEqual(v3);
      expect(await store.getFiling(v1.receipt)).toEqual(v3);
    }));

  it('throws a StoreError when a filing version is not expectedVersion + 1, writing nothing', () =>
    run(async ({ store }) => {
      const key = uniqueKey('filing-bad-version');
      const filing = makeFiling({ version: 3 });
      await expect(commitFilings(store, key, 0, [write(filing, 0)])).rejects.toBeInstanceOf(StoreError);
      expect(await store.getFiling(filing.receipt)).toBeUndefined();
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toBeUndefined();
    }));

  it('rolls back everything on a filing conflict: session, other filings and audit', () =>
    run(async ({ store }) => {
      const key = uniqueKey('filing-atomic');
      const before = makeSessionData({ district: '市南区' });
      const taken = makeFiling();
      const filings = [write(taken)];
      await store.commit({ key, expectedVersion: 0, data: before, sessionTtlMs: SESSION_TTL_MS, filings });
      const fresh = makeFiling();
      const result = await store.commit({
        key,
        expectedVersion: 1,
        data: makeSessionData({ district: '崂山区' }),
        sessionTtlMs: SESSION_TTL_MS,
        filings: [write(fresh), write({ ...taken, ownerName: 'someone else' }, 0)],
        audit: [makeAudit(fresh.receipt, 'filing.submitted', '2025-05-20T01:00:00.000Z')],
      });
      expect(result).toEqual({ ok: false, conflict: 'filing', receipt: taken.receipt });
      const after = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key });
      expect(after.session).toEqual({ version: 1, data: before });
      expect(await store.getFiling(fresh.receipt)).toBeUndefined();
      expect(await store.getFiling(taken.receipt)).toEqual(taken);
      expect(await store.listAudit(10)).toEqual([]);
      expect(await commitFilings(store, key, 0, [write(fresh)])).toEqual({ ok: false, conflict: 'session' });
      expect(await store.getFiling(fresh.receipt)).toBeUndefined();
    }));

  it('lists audit entries newest first, up to the limit', () =>
    run(async ({ store }) => {
      const key = uniqueKey('audit');
      const receipt = uniqueId('R');
      const first = makeAudit(receipt, 'filing.submitted', '2025-05-20T01:00:00.000Z');
      const second = makeAudit(receipt, 'filing.updated', '2025-05-20T02:00:00.000Z');
      const third = { ...makeAudit(receipt, 'filing.withdrawn', '2025-05-20T03:00:00.000Z'), actor: 'slack:U123 👀' };
      await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, audit: [first, second] });
      await store.commit({ key, expectedVersion: 1, data: {}, sessionTtlMs: SESSION_TTL_MS, audit: [third] });
      expect(await store.listAudit(10)).toEqual([third, second, first]);
      expect(await store.listAudit(2)).toEqual([third, second]);
      expect(await store.listAudit(0)).toEqual([]);
    }));

  it('marks a delivery with the commit that answers it: begin sees it until its TTL has passed', () =>
    run(async ({ store, clock }) => {
      const key = uniqueKey('dedupe');
      const deliveryId = uniqueId('update');
      const begin = (id: string | undefined) => store.begin({ deliveryId: id, dedupeTtlMs: DEDUPE_TTL_MS, key });
      const delivery = { id: deliveryId, dedupeTtlMs: DEDUPE_TTL_MS };
      await store.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: DEDUPE_TTL_MS * 2 });
      // begin only reads: a delivery whose commit never came (a crash) is handled again.
      expect(await begin(deliveryId)).toEqual({ duplicate: false, session: { version: 1, data: { locale: 'en' } } });
      expect((await begin(deliveryId)).duplicate).toBe(false);
      expect(await store.commit({ key, expectedVersion: 1, data: { locale: 'zh-CN' }, sessionTtlMs: DEDUPE_TTL_MS * 2, delivery })).toEqual({ ok: true, version: 2 });
      expect((await begin(deliveryId)).duplicate).toBe(true);
      expect((await begin(uniqueId('other'))).duplicate).toBe(false);
      expect((await begin(undefined)).duplicate).toBe(false);
      clock.advance(DEDUPE_TTL_MS - 1000);
      expect((await begin(deliveryId)).duplicate).toBe(true);
      clock.advance(2000);
      expect((await begin(deliveryId)).duplicate).toBe(false);
    }));

  it('refuses a second commit of the same delivery, writing nothing (two instances, one re-delivery)', () =>
    run(async ({ store }) => {
      const key = uniqueKey('dedupe-commit');
      const delivery = { id: uniqueId('update'), dedupeTtlMs: DEDUPE_TTL_MS };
      const filing = makeFiling({ eventId: uniqueId('dedupe-event') });
      // Both instances began before either committed; the first commit wins.
      expect(await store.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: SESSION_TTL_MS, delivery })).toEqual({ ok: true, version: 1 });
      const second = await store.commit({
        key: uniqueKey('dedupe-other-session'),
        expectedVersion: 0,
        data: { locale: 'zh-CN' },
        sessionTtlMs: SESSION_TTL_MS,
        filings: [{ filing, expectedVersion: 0 }],
        audit: [makeAudit(filing.receipt, 'filing.submitted', '2025-05-20T01:00:00.000Z')],
        delivery,
      });
      expect(second).toEqual({ ok: false, conflict: 'duplicate' });
      expect(await store.getFiling(filing.receipt)).toBeUndefined();
      expect(await store.listFilings({ eventId: filing.eventId })).toEqual([]);
      // A commit that failed on a conflict marks nothing: its rerun still commits.
      const other = { id: uniqueId('update'), dedupeTtlMs: DEDUPE_TTL_MS };
      expect(await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, delivery: other })).toEqual({ ok: false, conflict: 'session' });
      expect((await store.begin({ deliveryId: other.id, dedupeTtlMs: DEDUPE_TTL_MS, key })).duplicate).toBe(false);
      expect(await store.commit({ key, expectedVersion: 1, data: {}, sessionTtlMs: SESSION_TTL_MS, delivery: other })).toEqual({ ok: true, version: 2 });
    }));

  it('commits a delivery once: of two concurrent commits of it one wins, and after its TTL it is new again', () =>
    run(async ({ store, clock }) => {
      const delivery = { id: uniqueId('delivery'), dedupeTtlMs: 10_000 };
      const commit = (label: string) =>
        store.commit({ key: uniqueKey(label), expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, delivery });
      const begin = () => store.begin({ deliveryId: delivery.id, dedupeTtlMs: delivery.dedupeTtlMs, key: uniqueKey('nx') });
      const both = await Promise.all([commit('nx-left'), commit('nx-right')]);
      expect(both.filter((result) => result.ok)).toEqual([OK_1]);
      expect(both.filter((result) => !result.ok)).toEqual([{ ok: false, conflict: 'duplicate' }]);
      expect((await begin()).duplicate).toBe(true);
      clock.advance(11_000);
      expect((await begin()).duplicate).toBe(false);
      expect(await commit('nx-later')).toEqual(OK_1);
      expect(await commit('nx-again')).toEqual({ ok: false, conflict: 'duplicate' });
    }));
}
