/**
 * Claim and reminder-outcome cases of the Store contract: a named claim is taken once (SET NX PX) and
 * expires by the store's clock, only its holder renews or releases it, and of many owners racing for
 * one name exactly one wins; reminder outcomes are listed newest first up to a limit. Both are kept
 * across reopen, isolated per open, and invalid arguments are refused with a StoreError before any write.
 */
import { expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import type { ReminderOutcome, Store } from '../../src/store/store.js';
import type { Harness, OpenStore } from '../support/store-fixtures.js';
import { createTestClock, uniqueId } from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

/** One minute: what the cases claim for unless they say otherwise. */
const CLAIM_TTL_MS = 60_000;

/** A reminder of the exhibitor deadline, sent to 市南区's Telegram group. */
function makeReminder(overrides: Partial<ReminderOutcome> = {}): ReminderOutcome {
  return {
    at: '2025-05-20T01:00:00.000Z',
    ruleId: 'exhibitor-deadline-3d',
    platform: 'telegram',
    chatId: '-1001234567890',
    district: '市南区',
    outcome: 'sent',
    ...overrides,
  };
}

/** The claim name of one reminder rule sent to one group, as the dispatcher would build it. */
function reminderClaim(label: string): string {
  return `reminder:${uniqueId(label)}:telegram:-1001234567890`;
}

/** Every claim and reminder call, each expected to reject on a closed store. */
function claimCalls(store: Store): Array<() => Promise<unknown>> {
  return [
    () => store.claim('reminder:x', 'instance-a', CLAIM_TTL_MS),
    () => store.renewClaim('reminder:x', 'instance-a', CLAIM_TTL_MS),
    () => store.releaseClaim('reminder:x', 'instance-a'),
    () => store.recordReminder(makeReminder()),
    () => store.listReminders(10),
  ];
}

/** Registers the claim and reminder-outcome cases inside the current describe block. */
export function registerClaimCases(run: Run, open: OpenStore): void {
  it('takes a claim once: a second owner, and the holder itself, are refused while it is live', () =>
    run(async ({ store }) => {
      const name = reminderClaim('claim-once');
      expect(await store.claim(name, 'instance-a', CLAIM_TTL_MS)).toBe(true);
      expect(await store.claim(name, 'instance-b', CLAIM_TTL_MS)).toBe(false);
      expect(await store.claim(name, 'instance-a', CLAIM_TTL_MS)).toBe(false);
      // Another name is another claim.
      expect(await store.claim(`${name}:2`, 'instance-b', CLAIM_TTL_MS)).toBe(true);
    }));

  it('lets a claim expire by the store clock, after which another owner wins it', () =>
    run(async ({ store, clock }) => {
      const name = reminderClaim('claim-expiry');
      expect(await store.claim(name, 'instance-a', 1_000)).toBe(true);
      clock.advance(999);
      expect(await store.claim(name, 'instance-b', 1_000)).toBe(false);
      clock.advance(1);
      expect(await store.claim(name, 'instance-b', 1_000)).toBe(true);
      // The old holder has lost it: it can neither renew nor release it, nor take it back.
      expect(await store.renewClaim(name, 'instance-a', 1_000)).toBe(false);
      expect(await store.releaseClaim(name, 'instance-a')).toBe(false);
      expect(await store.claim(name, 'instance-a', 1_000)).toBe(false);
    }));

  it('renews a claim for its holder: it stays held past the old expiry, until the new one', () =>
    run(async ({ store, clock }) => {
      const name = `lease:${uniqueId('dispatcher')}`;
      expect(await store.claim(name, 'instance-a', 10_000)).toBe(true);
      clock.advance(8_000);
      expect(await store.renewClaim(name, 'instance-a', 10_000)).toBe(true);
      clock.advance(5_000);
      // 13 s after the claim: past the old expiry (10 s), before the new one (18 s).
      expect(await store.claim(name, 'instance-b', 10_000)).toBe(false);
      expect(await store.renewClaim(name, 'instance-a', 10_000)).toBe(true);
      clock.advance(9_999);
      expect(await store.claim(name, 'instance-b', 10_000)).toBe(false);
      clock.advance(1);
      expect(await store.claim(name, 'instance-b', 10_000)).toBe(true);
    }));

  it('refuses to renew a claim held by another owner, or one that is gone, and leaves it as it was', () =>
    run(async ({ store, clock }) => {
      const name = `lease:${uniqueId('renew-other')}`;
      expect(await store.renewClaim(name, 'instance-a', CLAIM_TTL_MS)).toBe(false);
      // A refused renewal does not take the claim either.
      expect(await store.claim(name, 'instance-a', 1_000)).toBe(true);
      expect(await store.renewClaim(name, 'instance-b', CLAIM_TTL_MS)).toBe(false);
      clock.advance(1_000);
      // Had instance-b's renewal counted, the claim would still be live; it expired on time.
      expect(await store.claim(name, 'instance-c', 1_000)).toBe(true);
      expect(await store.renewClaim(name, 'instance-b', CLAIM_TTL_MS)).toBe(false);
      expect(await store.renewClaim(name, 'instance-c', CLAIM_TTL_MS)).toBe(true);
    }));

  it('releases a claim for its holder, so another owner may take it (a failed send is tried again)', () =>
    run(async ({ store }) => {
      const name = reminderClaim('release');
      expect(await store.claim(name, 'instance-a', CLAIM_TTL_MS)).toBe(true);
      expect(await store.releaseClaim(name, 'instance-a')).toBe(true);
      expect(await store.releaseClaim(name, 'instance-a')).toBe(false);
      expect(await store.renewClaim(name, 'instance-a', CLAIM_TTL_MS)).toBe(false);
      expect(await store.claim(name, 'instance-b', CLAIM_TTL_MS)).toBe(true);
      expect(await store.claim(name, 'instance-a', CLAIM_TTL_MS)).toBe(false);
    }));

  it('refuses to release a claim held by another owner, or one never taken, and keeps it held', () =>
    run(async ({ store }) => {
      const name = reminderClaim('release-other');
      expect(await store.releaseClaim(name, 'instance-a')).toBe(false);
      expect(await store.claim(name, 'instance-a', CLAIM_TTL_MS)).toBe(true);
      expect(await store.releaseClaim(name, 'instance-b')).toBe(false);
      expect(await store.claim(name, 'instance-b', CLAIM_TTL_MS)).toBe(false);
      expect(await store.renewClaim(name, 'instance-a', CLAIM_TTL_MS)).toBe(true);
      expect(await store.releaseClaim(name, 'instance-a')).toBe(true);
    }));

  it('gives a claim to exactly one of 50 owners racing for it', () =>
    run(async ({ store }) => {
      const name = reminderClaim('race');
      const owners = Array.from({ length: 50 }, (_, i) => `instance-${i}`);
      const results = await Promise.all(owners.map((owner) => store.claim(name, owner, CLAIM_TTL_MS)));
      expect(results.filter((won) => won)).toHaveLength(1);
      const winner = owners[results.indexOf(true)] ?? '';
      // Only the winner holds it: every loser's renewal and release is refused, the winner's is not.
      const renewals = await Promise.all(owners.map((owner) => store.renewClaim(name, owner, CLAIM_TTL_MS)));
      expect(renewals).toEqual(owners.map((owner) => owner === winner));
      const releases = await Promise.all(owners.map((owner) => store.releaseClaim(name, owner)));
      expect(releases).toEqual(owners.map((owner) => owner === winner));
    }));

  it('keeps claim names apart exactly, whatever characters they hold', () =>
    run(async ({ store }) => {
      const base = uniqueId('names');
      const names = [
        `${base}:a:b`,
        `${base}:a`,
        `${base}:a*`,
        `${base}:a?[x]\\`,
        `${base}:青岛 🔬`,
        `${base}:e\u0301`,
        `${base}:é`,
      ];
      for (const name of names) expect(await store.claim(name, `owner of ${name}`, CLAIM_TTL_MS)).toBe(true);
      for (const name of names) expect(await store.claim(name, 'someone-else', CLAIM_TTL_MS)).toBe(false);
      // Owners are compared exactly, too.
      expect(await store.releaseClaim(names[0] ?? '', `owner of ${names[1] ?? ''}`)).toBe(false);
      expect(await store.releaseClaim(names[0] ?? '', `owner of ${names[0] ?? ''} `)).toBe(false);
      for (const name of names) expect(await store.releaseClaim(name, `owner of ${name}`)).toBe(true);
    }));

  it('records reminder outcomes and lists them newest first, up to the limit', () =>
    run(async ({ store }) => {
      expect(await store.listReminders(10)).toEqual([]);
      const sent = makeReminder();
      const unreachable = makeReminder({
        at: '2025-05-20T01:00:01.000Z',
        platform: 'slack',
        chatId: 'C042',
        district: '崂山区',
        outcome: 'unreachable',
        detail: 'not_in_channel',
      });
      const failed = makeReminder({
        at: '2025-05-20T09:00:02.5+08:00',
        chatId: '-100:777',
        outcome: 'failed',
        detail: '429 Too Many Requests: retry after 3 «重试» "quoted" \\ \u0000 🐙',
      });
      const stale = makeReminder({ at: '2025-05-20T01:00:03.000Z', ruleId: 'key-project-deadline-1d', outcome: 'stale' });
      for (const outcome of [sent, unreachable, failed, stale]) await store.recordReminder(outcome);
      expect(await store.listReminders(10)).toEqual([stale, failed, unreachable, sent]);
      expect(await store.listReminders(2)).toEqual([stale, failed]);
      expect(await store.listReminders(0)).toEqual([]);
      const listed = await store.listReminders(4);
      expect(listed[3] !== undefined && 'detail' in listed[3]).toBe(false);
      // The same outcome recorded twice is two entries: it is a log, not a set.
      await store.recordReminder(sent);
      expect(await store.listReminders(2)).toEqual([sent, stale]);
    }));

  it('rejects invalid claims and reminder outcomes with a StoreError and writes nothing', () =>
    run(async ({ store }) => {
      const name = reminderClaim('invalid');
      const badClaims: Array<[string, string, number]> = [
        ['', 'instance-a', CLAIM_TTL_MS],
        [name, '', CLAIM_TTL_MS],
        [name, 'instance-a', 0],
        [name, 'instance-a', -1_000],
        [name, 'instance-a', 1.5],
        [name, 'instance-a', Number.NaN],
        [name, 'instance-a', Number.POSITIVE_INFINITY],
      ];
      for (const [claimName, owner, ttlMs] of badClaims) {
        await expect(store.claim(claimName, owner, ttlMs)).rejects.toBeInstanceOf(StoreError);
        await expect(store.renewClaim(claimName, owner, ttlMs)).rejects.toBeInstanceOf(StoreError);
      }
      await expect(store.releaseClaim('', 'instance-a')).rejects.toBeInstanceOf(StoreError);
      await expect(store.releaseClaim(name, '')).rejects.toBeInstanceOf(StoreError);
      const badOutcomes = [
        makeReminder({ at: 'yesterday' }),
        makeReminder({ at: '2025-05-20 09:00' }),
        makeReminder({ ruleId: '' }),
        makeReminder({ chatId: '' }),
        { ...makeReminder(), outcome: 'lost' } as unknown as ReminderOutcome,
        { ...makeReminder(), detail: 42 } as unknown as ReminderOutcome,
      ];
      for (const outcome of badOutcomes) {
        await expect(store.recordReminder(outcome)).rejects.toBeInstanceOf(StoreError);
      }
      for (const limit of [-1, 1.5, Number.NaN]) {
        await expect(store.listReminders(limit)).rejects.toBeInstanceOf(StoreError);
      }
      expect(await store.listReminders(10)).toEqual([]);
      // Nothing was claimed: the name is still free.
      expect(await store.claim(name, 'instance-b', CLAIM_TTL_MS)).toBe(true);
    }));

  it('keeps claims and reminder outcomes across close and reopen', ({ skip }) =>
    run(async ({ store, reopen, clock }) => {
      if (reopen === undefined) {
        skip('this store does not persist');
        return;
      }
      const held = reminderClaim('persist-held');
      const released = reminderClaim('persist-released');
      const outcomes = [
        makeReminder(),
        makeReminder({ at: '2025-05-20T01:05:00.000Z', outcome: 'failed', detail: 'timeout' }),
      ];
      expect(await store.claim(held, 'instance-a', 10_000)).toBe(true);
      expect(await store.claim(released, 'instance-a', 10_000)).toBe(true);
      expect(await store.releaseClaim(released, 'instance-a')).toBe(true);
      for (const outcome of outcomes) await store.recordReminder(outcome);
      await store.close();
      const again = await reopen();
      clock.advance(5_000);
      expect(await again.claim(held, 'instance-b', 10_000)).toBe(false);
      expect(await again.claim(released, 'instance-b', 10_000)).toBe(true);
      expect(await again.renewClaim(held, 'instance-a', 10_000)).toBe(true);
      expect(await again.listReminders(10)).toEqual([...outcomes].reverse());
      clock.advance(10_000);
      expect(await again.claim(held, 'instance-b', 10_000)).toBe(true);
    }));

  it('isolates the claims and reminder outcomes of each open', async () => {
    const left = await open({ nowMs: createTestClock().nowMs });
    try {
      const right = await open({ nowMs: createTestClock().nowMs });
      try {
        const name = reminderClaim('isolated');
        expect(await left.store.claim(name, 'instance-a', CLAIM_TTL_MS)).toBe(true);
        await left.store.recordReminder(makeReminder());
        expect(await right.store.listReminders(10)).toEqual([]);
        expect(await right.store.releaseClaim(name, 'instance-a')).toBe(false);
        expect(await right.store.renewClaim(name, 'instance-a', CLAIM_TTL_MS)).toBe(false);
        expect(await right.store.claim(name, 'instance-b', CLAIM_TTL_MS)).toBe(true);
        expect(await left.store.claim(name, 'instance-b', CLAIM_TTL_MS)).toBe(false);
        expect(await left.store.releaseClaim(name, 'instance-a')).toBe(true);
        expect(await left.store.listReminders(10)).toEqual([makeReminder()]);
      } finally {
        await right.cleanup();
      }
    } finally {
      await left.cleanup();
    }
  });

  it('rejects every claim and reminder call after close with a StoreError', () =>
    run(async ({ store }) => {
      await store.close();
      for (const call of claimCalls(store)) await expect(call()).rejects.toBeInstanceOf(StoreError);
    }));
}
