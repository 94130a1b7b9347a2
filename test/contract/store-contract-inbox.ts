/**
 * Durable-inbox cases of the Store contract: entries are taken oldest first within each partition, at
 * most `max` at a time and never twice; an entry taken and not acknowledged is reclaimed by the
 * partition's next consumer (and only by a reclaim); an acknowledgement removes it for good; a take
 * that may wait answers as soon as an entry comes; encoded updates round-trip exactly; entries
 * survive a reopen; invalid arguments and calls after close are refused with a StoreError.
 */
import { expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import type { Inbound } from '../../src/domain/inbound.js';
import { decodeUpdate, encodeUpdate } from '../../src/domain/wire.js';
import type { InboxEntry, Store } from '../../src/store/store.js';
import type { Harness } from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

/** A Telegram text message as an adapter would hand it to the inbox: Chinese, emoji, quotes, an RTL mark. */
export function makeTelegramInbound(text: string, updateId = 804_112_233): Inbound {
  return {
    platform: 'telegram',
    chat: { id: '5566778899', kind: 'private' },
    user: { id: '5566778899', displayName: '王磊 🔬 «Wáng» \u202Eלוי', localeHint: 'zh-hans' },
    text,
    deliveryId: String(updateId),
    receivedAt: new Date('2025-05-20T01:02:03.456Z'),
  };
}

/** The bodies of the entries of one partition, in the order they were returned. */
function bodiesOf(entries: readonly InboxEntry[], partition: number): string[] {
  return entries.filter((entry) => entry.partition === partition).map((entry) => entry.body);
}

/** Appends `bodies` to a partition one after another; returns the entries as the store named them. */
async function appendAll(store: Store, partition: number, bodies: readonly string[]): Promise<InboxEntry[]> {
  const entries: InboxEntry[] = [];
  for (const body of bodies) entries.push({ id: await store.inboxAppend(partition, body), partition, body });
  return entries;
}

/** Registers the inbox cases inside the current describe block. */
export function registerInboxCases(run: Run): void {
  it('takes the entries of a partition oldest first, and those of two partitions each in its order', () =>
    run(async ({ store }) => {
      for (const [partition, body] of [[0, 'a0'], [1, 'b0'], [0, 'a1'], [1, 'b1'], [0, 'a2']] as const) {
        await store.inboxAppend(partition, body);
      }
      expect(await store.inboxDepth(3)).toEqual([3, 2, 0]);
      const first = await store.inboxTake('worker-a', [0, 1], 3, 0);
      expect(first).toHaveLength(3);
      const second = await store.inboxTake('worker-a', [0, 1], 3, 0);
      expect(second).toHaveLength(2);
      const all = [...first, ...second];
      expect(bodiesOf(all, 0)).toEqual(['a0', 'a1', 'a2']);
      expect(bodiesOf(all, 1)).toEqual(['b0', 'b1']);
      // The first take holds the oldest of each partition: a prefix of what was appended there.
      expect(['a0', 'a1', 'a2'].slice(0, bodiesOf(first, 0).length)).toEqual(bodiesOf(first, 0));
      expect(['b0', 'b1'].slice(0, bodiesOf(first, 1).length)).toEqual(bodiesOf(first, 1));
      expect(new Set(all.map((entry) => `${entry.partition}/${entry.id}`)).size).toBe(5);
      expect(await store.inboxTake('worker-a', [0, 1], 3, 0)).toEqual([]);
      // Taken is still waiting until acknowledged.
      expect(await store.inboxDepth(2)).toEqual([3, 2]);
    }));

  it('takes only from the partitions asked for, and at most max', () =>
    run(async ({ store }) => {
      const appended = await appendAll(store, 2, ['c0', 'c1', 'c2']);
      await store.inboxAppend(3, 'd0');
      expect(await store.inboxTake('worker-a', [], 10, 0)).toEqual([]);
      expect(await store.inboxTake('worker-a', [0, 1], 10, 0)).toEqual([]);
      expect(await store.inboxTake('worker-a', [2], 2, 0)).toEqual(appended.slice(0, 2));
      expect(await store.inboxTake('worker-b', [2, 2], 5, 0)).toEqual(appended.slice(2));
      expect(bodiesOf(await store.inboxTake('worker-b', [3, 2], 5, 0), 3)).toEqual(['d0']);
    }));

  it('never gives an entry to two consumers taking at the same time', () =>
    run(async ({ store }) => {
      const bodies = Array.from({ length: 30 }, (_, i) => `update-${i}`);
      for (const [i, body] of bodies.entries()) await store.inboxAppend(i % 3, body);
      const taken: InboxEntry[] = [];
      await Promise.all(
        ['w1', 'w2', 'w3', 'w4'].map(async (consumer) => {
          for (;;) {
            const batch = await store.inboxTake(consumer, [0, 1, 2], 4, 0);
            if (batch.length === 0) return;
            taken.push(...batch);
          }
        }),
      );
      expect(taken.map((entry) => entry.body).sort()).toEqual([...bodies].sort());
      for (const partition of [0, 1, 2]) {
        const mine = bodies.filter((_, i) => i % 3 === partition);
        expect(taken.filter((entry) => entry.partition === partition).map((entry) => entry.body).sort()).toEqual(mine.sort());
      }
    }));

  it('gives the entries a consumer took and never acknowledged to the one that reclaims the partition', () =>
    run(async ({ store }) => {
      const zero = await appendAll(store, 0, ['e0', 'e1']);
      const one = await appendAll(store, 1, ['f0']);
      expect(await store.inboxTake('worker-a', [0, 1], 10, 0)).toHaveLength(3);
      const late = await appendAll(store, 0, ['e2']);
      expect(await store.inboxReclaim('worker-b', 0)).toEqual(zero);
      // Reclaimed entries are not taken again; the entry never taken is.
      expect(await store.inboxTake('worker-c', [0, 1], 10, 0)).toEqual(late);
      expect(await store.inboxReclaim('worker-b', 1)).toEqual(one);
      // Still unacknowledged: a later owner of the partition gets them all back, oldest first.
      expect(await store.inboxReclaim('worker-d', 0)).toEqual([...zero, ...late]);
      expect(await store.inboxReclaim('worker-d', 2)).toEqual([]);
      expect(await store.inboxTake('worker-c', [0, 1], 10, 0)).toEqual([]);
    }));

  it('removes acknowledged entries: the depth goes down and no reclaim returns them', () =>
    run(async ({ store }) => {
      const zero = await appendAll(store, 0, ['g0', 'g1', 'g2']);
      const one = await appendAll(store, 1, ['h0']);
      await store.inboxTake('worker-a', [0, 1], 10, 0);
      expect(await store.inboxDepth(2)).toEqual([3, 1]);
      await store.inboxAck([zero[1] as InboxEntry]);
      expect(await store.inboxDepth(2)).toEqual([2, 1]);
      expect(await store.inboxReclaim('worker-b', 0)).toEqual([zero[0], zero[2]]);
      await store.inboxAck([zero[0] as InboxEntry, ...one, zero[2] as InboxEntry]);
      expect(await store.inboxDepth(2)).toEqual([0, 0]);
      expect(await store.inboxReclaim('worker-b', 0)).toEqual([]);
      expect(await store.inboxReclaim('worker-b', 1)).toEqual([]);
      // Acknowledging again, or nothing, is harmless.
      await store.inboxAck(zero);
      await store.inboxAck([]);
      expect(await store.inboxTake('worker-b', [0, 1], 10, 0)).toEqual([]);
      const next = await appendAll(store, 0, ['g3']);
      expect(await store.inboxTake('worker-b', [0, 1], 10, 0)).toEqual(next);
    }));

  it('answers a waiting take with an entry appended while it waits', () =>
    run(async ({ store }) => {
      const appended = new Promise<string>((resolve, reject) => {
        setTimeout(() => void store.inboxAppend(1, 'late').then(resolve, reject), 50);
      });
      const taken = await store.inboxTake('worker-a', [0, 1], 5, 2_000);
      expect(taken).toEqual([{ id: await appended, partition: 1, body: 'late' }]);
      // An entry of a partition not asked for does not end the wait, nor is it taken.
      setTimeout(() => void store.inboxAppend(4, 'elsewhere'), 20);
      expect(await store.inboxTake('worker-a', [0, 1], 5, 200)).toEqual([]);
      expect(await store.inboxDepth(5)).toEqual([0, 1, 0, 0, 1]);
    }));

  it('round-trips an encoded update byte for byte', () =>
    run(async ({ store }) => {
      const text = '青岛科技周 🔬🧪 报名：海洋科普进社区\n"引号" \\ 反斜杠 \u0000 e\u0301 👨‍👩‍👧 ' + '字'.repeat(150);
      const update = { inbound: makeTelegramInbound(text), route: '{"thread":null}' };
      const body = encodeUpdate(update);
      const id = await store.inboxAppend(0, body);
      const [taken] = await store.inboxTake('worker-a', [0], 1, 0);
      expect(taken).toEqual({ id, partition: 0, body });
      expect(Buffer.from(taken?.body ?? '').equals(Buffer.from(body))).toBe(true);
      expect(decodeUpdate(taken?.body ?? '')).toEqual(update);
      expect(await store.inboxReclaim('worker-b', 0)).toEqual([{ id, partition: 0, body }]);
    }));

  it('keeps waiting and taken entries across close and reopen', ({ skip }) =>
    run(async ({ store, reopen }) => {
      if (reopen === undefined) {
        skip('this store does not persist');
        return;
      }
      const taken = await appendAll(store, 0, ['p0', 'p1']);
      await store.inboxTake('worker-a', [0], 2, 0);
      const waiting = await appendAll(store, 0, ['p2']);
      await store.close();
      const again = await reopen();
      expect(await again.inboxDepth(1)).toEqual([3]);
      expect(await again.inboxTake('worker-b', [0], 10, 0)).toEqual(waiting);
      expect(await again.inboxReclaim('worker-b', 0)).toEqual([...taken, ...waiting]);
    }));

  it('refuses invalid inbox arguments with a StoreError, and every inbox call after close', () =>
    run(async ({ store }) => {
      const refused: Array<() => Promise<unknown>> = [
        () => store.inboxAppend(-1, 'x'),
        () => store.inboxAppend(1.5, 'x'),
        () => store.inboxTake('', [0], 1, 0),
        () => store.inboxTake('worker-a', [-1], 1, 0),
        () => store.inboxTake('worker-a', [0], 0, 0),
        () => store.inboxTake('worker-a', [0], 1, -5),
        () => store.inboxReclaim('', 0),
        () => store.inboxReclaim('worker-a', Number.NaN),
        () => store.inboxAck([{ id: '', partition: 0 }]),
        () => store.inboxDepth(-1),
      ];
      for (const call of refused) await expect(call()).rejects.toBeInstanceOf(StoreError);
      expect(await store.inboxDepth(1)).toEqual([0]);
      await store.close();
      const afterClose: Array<() => Promise<unknown>> = [
        () => store.inboxAppend(0, 'x'),
        () => store.inboxTake('worker-a', [0], 1, 0),
        () => store.inboxTake('worker-a', [0], 1, 100),
        () => store.inboxReclaim('worker-a', 0),
        () => store.inboxAck([]),
        () => store.inboxDepth(1),
      ];
      for (const call of afterClose) await expect(call()).rejects.toBeInstanceOf(StoreError);
    }));
}
