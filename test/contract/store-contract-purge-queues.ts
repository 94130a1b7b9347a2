/**
 * Purge cases of the Store contract for what waits in the durable inbox and the outbox: of another
 * event than the served one, the updates sent by its filers (a Slack DM learnt from them), the replies
 * to its filers' private chats, and any entry that holds one of its receipts or answers go, and
 * nothing else; an update taken by a worker and still pending stays pending; with `servedEvent` every
 * waiting entry goes.
 */
import { expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import type { OutboxWrite, Store } from '../../src/store/store.js';
import type { Harness } from '../support/store-fixtures.js';
import { makeFiling, SESSION_TTL_MS, uniqueId, uniqueKey } from '../support/store-fixtures.js';
import { replyTo, updateBody, type Sender } from '../support/purge-queue-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

const NONE = { filings: 0, auditEntries: 0, declarations: 0, sessions: 0, reminderOutcomes: 0 };

/** Writes filings, and each outbox entry in a commit of its own. */
async function seedQueued(store: Store, filings: Filing[], replies: OutboxWrite[]): Promise<void> {
  const key = uniqueKey('purge-queues');
  const base = { key, expectedVersion: 0, data: null, sessionTtlMs: SESSION_TTL_MS };
  expect((await store.commit({ ...base, filings: filings.map((filing) => ({ filing, expectedVersion: 0 })) })).ok).toBe(true);
  for (const outbox of replies) expect((await store.commit({ ...base, outbox })).ok).toBe(true);
}

/** The bodies of a chat's waiting replies, decoded to their text. */
async function repliesOf(store: Store, platform: string, chatId: string): Promise<string[]> {
  return (await store.outboxPeek(platform, chatId, 10)).map((entry) => entry.body);
}

/** Registers the inbox and outbox purge cases inside the current describe block. */
export function registerPurgeQueueCases(run: Run): void {
  it('takes the waiting updates and replies tied to the event\'s filings, keeps the rest, and keeps a pending update pending', () =>
    run(async ({ store }) => {
      const [eventA, eventB] = [uniqueId('purge-q-a'), uniqueId('purge-q-b')];
      const a1 = makeFiling({ eventId: eventA, ownerKey: 'telegram:5001', ownerName: '赵海燕', values: { contactPerson: '孙立群', phone: '13912345678', summary: '第一行简介\n海洋牧场开放日' } });
      const a2 = makeFiling({ eventId: eventA, ownerKey: 'slack:U5002', ownerName: 'Grace Purgeworth', values: { phone: '0532-88776655' } });
      const b1 = makeFiling({ eventId: eventB, ownerKey: 'telegram:6001', ownerName: '钱多多', values: { contactPerson: '周明远', phone: '13700001111' } });
      const filerA: Sender = { platform: 'telegram', userId: '5001', chatId: '5001' };
      const slackFilerA: Sender = { platform: 'slack', userId: 'U5002', chatId: 'D5002' };
      const staff: Sender = { platform: 'telegram', userId: '9001', chatId: '9001' };
      const stranger: Sender = { platform: 'telegram', userId: '7001', chatId: '-100777', kind: 'group' };
      const filerB: Sender = { platform: 'telegram', userId: '6001', chatId: '6001' };
      const other: Sender = { platform: 'telegram', userId: '7002', chatId: '7002' };
      // Partition 0 waits untaken; partition 1 is taken by a worker (pending) before the purge.
      const p0 = [updateBody(filerA, '/my'), updateBody(slackFilerA, 'hello'), updateBody(staff, `/show ${a1.receipt}`), updateBody(other, '你好')];
      const p1 = [updateBody(stranger, '联系人电话 13912345678'), updateBody(filerB, '电话 13700001111')];
      for (const body of p0) await store.inboxAppend(0, body);
      for (const body of p1) await store.inboxAppend(1, body);
      expect(await store.inboxTake('worker-1', [1], 10, 0)).toHaveLength(2);
      const keptReplies = [replyTo('telegram', '6001', `回执号：${b1.receipt}`), replyTo('telegram', '7002', '你好！')];
      await seedQueued(store, [a1, a2, b1], [
        replyTo('telegram', '5001', '已提交'),
        replyTo('slack', 'D5002', 'Thanks'),
        replyTo('telegram', '9001', '联系人：孙立群\n简介：海洋牧场开放日'),
        replyTo('telegram', '7003', `回执号：${a2.receipt}`),
        ...keptReplies,
      ]);

      const expected = { ...NONE, filings: 2, inboxEntries: 4, outboxEntries: 4 };
      expect(await store.countEvent(eventA)).toEqual(expected);
      expect(await store.purgeEvent(eventA)).toEqual(expected);
      // What stays: the update of another user and the other event's filer's, untouched.
      expect((await store.inboxTake('worker-2', [0], 10, 0)).map((entry) => entry.body)).toEqual([p0[3]]);
      expect((await store.inboxReclaim('worker-2', 1)).map((entry) => entry.body)).toEqual([p1[1]]);
      expect(await store.inboxDepth(2)).toEqual([1, 1]);
      for (const chat of ['5001', '9001', '7003']) expect(await repliesOf(store, 'telegram', chat)).toEqual([]);
      expect(await repliesOf(store, 'slack', 'D5002')).toEqual([]);
      expect(await repliesOf(store, 'telegram', '6001')).toEqual([keptReplies[0]?.body]);
      expect(await repliesOf(store, 'telegram', '7002')).toEqual([keptReplies[1]?.body]);
      expect((await store.outboxChats(10)).map((chat) => chat.chatId).sort()).toEqual(['6001', '7002']);
      expect(await store.getFiling(b1.receipt)).toEqual(b1);

      expect(await store.countEvent(eventA)).toEqual({ ...NONE, inboxEntries: 0, outboxEntries: 0 });
      expect(await store.countEvent(eventB)).toEqual({ ...NONE, filings: 1, inboxEntries: 1, outboxEntries: 1 });
      // The served event takes every waiting entry, whoever it is from.
      expect(await store.purgeEvent(eventB, { servedEvent: true })).toEqual({ ...NONE, filings: 1, inboxEntries: 2, outboxEntries: 2 });
      expect(await store.inboxDepth(2)).toEqual([0, 0]);
      expect(await store.outboxChats(10)).toEqual([]);
    }));
}
