/**
 * Purge cases of the Store contract (`purgeEvent`, `countEvent`): an event's filings (withdrawn ones
 * too), the audit entries about them, its declarations and the sessions whose draft edits its filings
 * are counted, then removed, with the counts right; another event's data is untouched; with
 * `servedEvent` every session and the reminder log go too, while group bindings, unreachable chats and
 * claims stay; a second purge removes 0; the store keeps working afterwards; more records than one
 * batch are all found; an empty event id and a closed store are refused with a StoreError.
 */
import { expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import type { Filing } from '../../src/domain/filing.js';
import type { SessionKey } from '../../src/domain/session.js';
import type { AuditEntry, PurgeCounts, ReminderOutcome, Store, UnreachableChat } from '../../src/store/store.js';
import type { Harness } from '../support/store-fixtures.js';
import { GROUP, makeAudit, makeFiling, makeFlowState, makeSessionData, SESSION_TTL_MS, uniqueId, uniqueKey } from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

const ZERO: PurgeCounts = { filings: 0, auditEntries: 0, declarations: 0, sessions: 0, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 };


const UNREACHABLE: UnreachableChat = { platform: 'slack', chatId: 'D042', reason: 'account_inactive', at: '2025-05-20T01:00:00.000Z' };

function makeReminder(i: number): ReminderOutcome {
  return { at: '2025-05-20T01:00:00.000Z', ruleId: `forms-t${i}`, platform: 'telegram', chatId: GROUP.chatId, district: '市南区', outcome: 'sent' };
}

/** Writes a session (and any filings and audit entries) at version 0 through `commit`. */
async function seed(store: Store, key: SessionKey, data: Parameters<Store['commit']>[0]['data'], filings: Filing[] = [], audit: AuditEntry[] = []) {
  const result = await store.commit({
    key,
    expectedVersion: 0,
    data,
    sessionTtlMs: SESSION_TTL_MS,
    filings: filings.map((filing) => ({ filing, expectedVersion: filing.version - 1 })),
    audit,
  });
  expect(result.ok).toBe(true);
}

/** A session whose draft edits the filing `receipt`. */
function editing(receipt: string) {
  return makeSessionData({ flow: makeFlowState({ target: { kind: 'edit', receipt, filingVersion: 1 } }) });
}

/** Two events side by side: A (three filings, one withdrawn) and B (one filing), each with audit, declarations and sessions. */
async function seedTwoEvents(store: Store) {
  const eventA = uniqueId('purge-a');
  const eventB = uniqueId('purge-b');
  const a1 = makeFiling({ eventId: eventA });
  const a2 = makeFiling({ eventId: eventA, ownerKey: 'slack:U042', district: '崂山区' });
  const a3: Filing = makeFiling({ eventId: eventA, formId: 'summary-report', ownerKey: 'console:local' });
  delete a3.district;
  const b1 = makeFiling({ eventId: eventB });
  const at = '2025-05-20T01:00:00.000Z';
  const a2Updated = { ...makeAudit(a2.receipt, 'filing.updated', at), changes: [{ field: 'phone', from: '0532-85911893', to: '13800138000' }] };
  const keys = { seed: uniqueKey('purge-seed'), fresh: uniqueKey('purge-fresh'), editA: uniqueKey('purge-edit-a'), editB: uniqueKey('purge-edit-b') };
  await seed(store, keys.seed, null, [a1, a2, a3, b1], [
    makeAudit(a1.receipt, 'filing.submitted', at),
    makeAudit(a2.receipt, 'filing.submitted', at),
    makeAudit(b1.receipt, 'filing.submitted', at),
  ]);
  // a2 withdrawn (version 2), with its audit entries: withdrawn filings are the event's data too.
  await seed(store, uniqueKey('purge-withdraw'), null, [{ ...a2, status: 'withdrawn', version: 2 }], [
    a2Updated,
    makeAudit(a2.receipt, 'filing.withdrawn', at),
  ]);
  await seed(store, keys.fresh, makeSessionData());
  await seed(store, keys.editA, editing(a1.receipt));
  await seed(store, keys.editB, editing(b1.receipt));
  for (const [eventId, district, formId] of [[eventA, '市南区', 'exhibitor'], [eventA, '崂山区', 'open-institutions'], [eventB, '市南区', 'exhibitor']] as const) {
    await store.putDeclaration({ eventId, district, formId, declaredBy: 'telegram:1001', at });
  }
  await store.putGroup(GROUP);
  await store.markUnreachable(UNREACHABLE);
  await store.recordReminder(makeReminder(7));
  await store.recordReminder(makeReminder(3));
  return { eventA, eventB, a1, b1, keys, bAudit: makeAudit(b1.receipt, 'filing.submitted', at) };
}

async function sessionOf(store: Store, key: SessionKey) {
  return (await store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key })).session;
}

/** Registers the purge cases inside the current describe block. */
export function registerPurgeCases(run: Run): void {
  it('counts, then purges one event: filings, their audit, declarations and drafts editing them; the other event is untouched', () =>
    run(async ({ store }) => {
      const { eventA, eventB, a1, b1, keys, bAudit } = await seedTwoEvents(store);
      const expected: PurgeCounts = { filings: 3, auditEntries: 4, declarations: 2, sessions: 1, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 };
      expect(await store.countEvent(eventA)).toEqual(expected);
      // Counting removed nothing.
      expect(await store.listFilings({ eventId: eventA, includeWithdrawn: true })).toHaveLength(3);
      expect(await store.purgeEvent(eventA)).toEqual(expected);

      expect(await store.listFilings({ eventId: eventA, includeWithdrawn: true })).toEqual([]);
      expect(await store.listFilings({ eventId: eventA, ownerKey: a1.ownerKey, includeWithdrawn: true })).toEqual([]);
      expect(await store.listFilings({ eventId: eventA, district: '崂山区', includeWithdrawn: true })).toEqual([]);
      expect(await store.getFiling(a1.receipt)).toBeUndefined();
      expect(await store.listDeclarations(eventA)).toEqual([]);
      expect(await store.listAudit(100)).toEqual([bAudit]);
      expect(await sessionOf(store, keys.editA)).toBeUndefined();
      // Not the served event: drafts that name no filing of it, and the reminder log, stay.
      expect((await sessionOf(store, keys.fresh))?.data).toEqual(makeSessionData());
      expect((await sessionOf(store, keys.editB))?.data).toEqual(editing(b1.receipt));
      expect(await store.listReminders(10)).toHaveLength(2);
      expect(await store.listFilings({ eventId: eventB })).toEqual([b1]);
      expect(await store.listDeclarations(eventB)).toHaveLength(1);
      expect(await store.listGroups()).toEqual([GROUP]);
      expect(await store.listUnreachable()).toEqual([UNREACHABLE]);

      expect(await store.countEvent(eventA)).toEqual(ZERO);
      expect(await store.purgeEvent(eventA)).toEqual(ZERO);
      expect(await store.countEvent(eventB)).toEqual({ filings: 1, auditEntries: 1, declarations: 1, sessions: 1, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 });
    }));

  it('with servedEvent takes every session and the reminder log too, and keeps groups, unreachable chats and claims', () =>
    run(async ({ store }) => {
      const { eventA, eventB, b1, keys } = await seedTwoEvents(store);
      const noDraft = uniqueKey('purge-no-draft');
      await seed(store, noDraft, { locale: 'en', district: '市南区' });
      expect(await store.claim('reminder:forms-t3:x', 'instance-a', 60_000)).toBe(true);
      const expected: PurgeCounts = { filings: 3, auditEntries: 4, declarations: 2, sessions: 4, reminderOutcomes: 2, inboxEntries: 0, outboxEntries: 0 };
      expect(await store.countEvent(eventA, { servedEvent: true })).toEqual(expected);
      expect(await store.purgeEvent(eventA, { servedEvent: true })).toEqual(expected);
      for (const key of [keys.fresh, keys.editA, keys.editB, noDraft]) expect(await sessionOf(store, key)).toBeUndefined();
      expect(await store.listReminders(10)).toEqual([]);
      expect(await store.listGroups()).toEqual([GROUP]);
      expect(await store.listUnreachable()).toEqual([UNREACHABLE]);
      expect(await store.claim('reminder:forms-t3:x', 'instance-b', 60_000)).toBe(false);
      expect(await store.listFilings({ eventId: eventB })).toEqual([b1]);
      expect(await store.purgeEvent(eventA, { servedEvent: true })).toEqual(ZERO);
    }));

  it('keeps working after a purge: the same receipts, sessions and logs can be written again', () =>
    run(async ({ store }) => {
      const { eventA, a1, keys } = await seedTwoEvents(store);
      await store.purgeEvent(eventA, { servedEvent: true });
      const again = makeFiling({ eventId: eventA, receipt: a1.receipt });
      await seed(store, keys.editA, makeSessionData(), [again], [makeAudit(a1.receipt, 'filing.submitted', again.createdAt)]);
      expect(await store.listFilings({ eventId: eventA })).toEqual([again]);
      expect((await sessionOf(store, keys.editA))?.version).toBe(1);
      await store.recordReminder(makeReminder(1));
      expect(await store.listReminders(10)).toEqual([makeReminder(1)]);
      expect(await store.countEvent(eventA)).toEqual({ filings: 1, auditEntries: 1, declarations: 0, sessions: 0, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 });
    }));

  it('finds every record when there are more than one batch of them', () =>
    run(async ({ store }) => {
      const eventA = uniqueId('purge-many');
      const eventB = uniqueId('purge-many-other');
      const filings = Array.from({ length: 450 }, (_, i) => makeFiling({ eventId: i % 10 === 0 ? eventB : eventA }));
      const audit = filings.map((f) => makeAudit(f.receipt, 'filing.submitted', f.createdAt));
      await seed(store, uniqueKey('purge-many'), null, filings, audit);
      const mine = filings.filter((f) => f.eventId === eventA);
      for (const [i, filing] of mine.slice(0, 230).entries()) await seed(store, uniqueKey(`purge-many-${i}`), editing(filing.receipt));
      const expected: PurgeCounts = { filings: 405, auditEntries: 405, declarations: 0, sessions: 230, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 };
      expect(await store.countEvent(eventA)).toEqual(expected);
      expect(await store.purgeEvent(eventA)).toEqual(expected);
      expect(await store.listFilings({ eventId: eventA })).toEqual([]);
      expect(await store.listFilings({ eventId: eventB })).toHaveLength(45);
      expect(await store.listAudit(1000)).toHaveLength(45);
      expect(await store.countEvent(eventA)).toEqual(ZERO);
    }));

  it('counts and purges 0 of everything for an event with no data', () =>
    run(async ({ store }) => {
      const { eventA } = await seedTwoEvents(store);
      const unknown = uniqueId('purge-unknown');
      expect(await store.countEvent(unknown)).toEqual(ZERO);
      expect(await store.purgeEvent(unknown)).toEqual(ZERO);
      expect(await store.countEvent(eventA)).toEqual({ filings: 3, auditEntries: 4, declarations: 2, sessions: 1, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 });
    }));

  it('refuses an empty event id, and every purge call after close, with a StoreError', () =>
    run(async ({ store }) => {
      const { eventA } = await seedTwoEvents(store);
      await expect(store.purgeEvent('')).rejects.toBeInstanceOf(StoreError);
      await expect(store.countEvent('')).rejects.toBeInstanceOf(StoreError);
      expect((await store.countEvent(eventA)).filings).toBe(3);
      await store.close();
      await expect(store.purgeEvent(eventA)).rejects.toBeInstanceOf(StoreError);
      await expect(store.countEvent(eventA)).rejects.toBeInstanceOf(StoreError);
    }));
}
