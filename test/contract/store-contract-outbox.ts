/**
 * Outbox cases of the Store contract: a commit with an outbox entry writes it in the same atomic step,
 * a refused commit (a session or filing conflict, a duplicate delivery) writes none; a chat's entries
 * are peeked in commit order; `outboxDone` removes exactly the entry named and the chat leaves
 * `outboxChats` once it has none; encoded replies round-trip exactly and survive a reopen.
 */
import { expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import { textReply } from '../../src/domain/reply.js';
import { decodeReplies, encodeReplies } from '../../src/domain/wire.js';
import type { CommitRequest, OutboxWrite, Store } from '../../src/store/store.js';
import type { Harness } from '../support/store-fixtures.js';
import { DEDUPE_TTL_MS, makeAudit, makeFiling, makeSessionData, SESSION_TTL_MS, uniqueId, uniqueKey } from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

/** One message's replies for a chat, with an id no other case uses. */
function makeOutbox(chatId: string, text: string, overrides: Partial<OutboxWrite> = {}): OutboxWrite {
  return { id: uniqueId('reply'), platform: 'telegram', chatId, body: encodeReplies([textReply(text)]), route: '', ...overrides };
}

/** The chats `outboxChats` names, as `platform/chatId`, sorted. */
async function chatsOf(store: Store): Promise<string[]> {
  return (await store.outboxChats(100)).map((chat) => JSON.stringify([chat.platform, chat.chatId])).sort();
}

/** Registers the outbox cases inside the current describe block. */
export function registerOutboxCases(run: Run): void {
  it('removes delivered entries of several chats in one call, each as outboxDone would', () =>
    run(async ({ store }) => {
      const [a, b] = [uniqueKey('outbox-many-a'), uniqueKey('outbox-many-b')];
      const base = { data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS, expectedVersion: 0 };
      const [a1, a2, b1] = [makeOutbox(a.chatId, 'a1'), makeOutbox(a.chatId, 'a2'), makeOutbox(b.chatId, 'b1')];
      await store.commit({ ...base, key: a, outbox: a1 });
      await store.commit({ ...base, key: a, expectedVersion: 1, outbox: a2 });
      await store.commit({ ...base, key: b, outbox: b1 });
      const many = (entries: OutboxWrite[]) => store.outboxDoneMany(entries.map(({ platform, chatId, id }) => ({ platform, chatId, id })));
      // The second entry of a, out of order, and b's only one; an unknown id counts for nothing.
      expect(await many([a2, b1, { ...b1, id: uniqueId('missing') }])).toBe(2);
      expect(await store.outboxPeek('telegram', a.chatId, 10)).toEqual([a1]);
      expect(await chatsOf(store)).toEqual([JSON.stringify(['telegram', a.chatId])]);
      expect(await many([a1, a1])).toBe(1);
      expect(await chatsOf(store)).toEqual([]);
      expect(await many([])).toBe(0);
    }));

  it('writes the outbox entry of a commit that succeeds, and none of a refused commit', () =>
    run(async ({ store }) => {
      const key = uniqueKey('outbox-atomic');
      const chat = key.chatId;
      const base = { key, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS };
      const first = makeOutbox(chat, '欢迎！请选择表单 🔬');
      expect(await store.commit({ ...base, expectedVersion: 0, outbox: first })).toEqual({ ok: true, version: 1 });
      // A stale version, and a version ahead, are refused with their entries.
      expect(await store.commit({ ...base, expectedVersion: 0, outbox: makeOutbox(chat, 'stale') })).toEqual({ ok: false, conflict: 'session' });
      expect(await store.commit({ ...base, expectedVersion: 5, outbox: makeOutbox(chat, 'ahead') })).toEqual({ ok: false, conflict: 'session' });
      // A duplicate delivery is refused with its entry.
      const delivery = { id: uniqueId('update'), dedupeTtlMs: DEDUPE_TTL_MS };
      const second = makeOutbox(chat, '已保存', { id: delivery.id, route: '{"reply_to":42}' });
      expect(await store.commit({ ...base, expectedVersion: 1, delivery, outbox: second })).toEqual({ ok: true, version: 2 });
      const again: CommitRequest = { ...base, expectedVersion: 2, delivery, outbox: makeOutbox(chat, 'again', { id: delivery.id }) };
      expect(await store.commit(again)).toEqual({ ok: false, conflict: 'duplicate' });
      // A filing conflict is refused with its entry.
      const filing = makeFiling();
      expect(await store.commit({ ...base, expectedVersion: 2, filings: [{ filing, expectedVersion: 0 }] })).toEqual({ ok: true, version: 3 });
      const clash: CommitRequest = { ...base, expectedVersion: 3, filings: [{ filing, expectedVersion: 0 }], outbox: makeOutbox(chat, 'clash') };
      expect(await store.commit(clash)).toEqual({ ok: false, conflict: 'filing', receipt: filing.receipt });
      expect(await store.outboxPeek('telegram', chat, 10)).toEqual([first, second]);
      expect(await chatsOf(store)).toEqual([JSON.stringify(['telegram', chat])]);
      // A commit without an entry leaves the outbox as it is.
      expect(await store.commit({ ...base, expectedVersion: 3, data: null })).toEqual({ ok: true, version: 0 });
      expect(await store.outboxPeek('telegram', chat, 10)).toEqual([first, second]);
    }));

  it('writes filings, audit entries, the outbox entry and the delivery mark of one commit together', () =>
    run(async ({ store }) => {
      const key = uniqueKey('outbox-everything');
      const filings = [makeFiling(), makeFiling({ district: '崂山区' })];
      const audit = filings.map((filing) => makeAudit(filing.receipt, 'filing.submitted', filing.createdAt));
      const delivery = { id: uniqueId('update'), dedupeTtlMs: DEDUPE_TTL_MS };
      const outbox = makeOutbox(key.chatId, '已提交两份表单', { id: delivery.id });
      const request: CommitRequest = {
        key,
        expectedVersion: 0,
        data: makeSessionData(),
        sessionTtlMs: SESSION_TTL_MS,
        filings: filings.map((filing) => ({ filing, expectedVersion: 0 })),
        audit,
        delivery,
        outbox,
      };
      expect(await store.commit(request)).toEqual({ ok: true, version: 1 });
      expect(await store.getFiling(filings[1]?.receipt ?? '')).toEqual(filings[1]);
      expect(await store.listAudit(2)).toEqual([...audit].reverse());
      expect(await store.outboxPeek('telegram', key.chatId, 10)).toEqual([outbox]);
      expect((await store.begin({ deliveryId: delivery.id, dedupeTtlMs: DEDUPE_TTL_MS, key })).duplicate).toBe(true);
    }));

  it('keeps a chat\'s entries in commit order and removes exactly the one delivered', () =>
    run(async ({ store }) => {
      const group = uniqueKey('outbox-group').chatId;
      const other = `${group}:other`;
      const writes = [makeOutbox(group, 'one'), makeOutbox(group, 'two'), makeOutbox(group, 'three'), makeOutbox(group, 'four')];
      // Two members of one group chat (two sessions) answer into the same outbox.
      for (const [i, outbox] of writes.entries()) {
        const key = { platform: 'telegram', chatId: group, userId: `member-${i % 2}` };
        const result = await store.commit({ key, expectedVersion: i < 2 ? 0 : 1, data: { locale: 'en' }, sessionTtlMs: SESSION_TTL_MS, outbox });
        expect(result.ok).toBe(true);
      }
      const elsewhere = makeOutbox(other, 'other chat');
      await store.commit({ key: uniqueKey('outbox-other'), expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, outbox: elsewhere });
      expect(await store.outboxPeek('telegram', group, 10)).toEqual(writes);
      expect(await store.outboxPeek('telegram', group, 2)).toEqual(writes.slice(0, 2));
      expect(await store.outboxPeek('telegram', group, 0)).toEqual([]);
      expect(await chatsOf(store)).toEqual([JSON.stringify(['telegram', group]), JSON.stringify(['telegram', other])].sort());
      expect(await store.outboxChats(1)).toHaveLength(1);
      const [one, two, three, four] = writes as [OutboxWrite, OutboxWrite, OutboxWrite, OutboxWrite];
      // Not the head: only that entry goes.
      expect(await store.outboxDone('telegram', group, three.id)).toBe(true);
      expect(await store.outboxDone('telegram', group, three.id)).toBe(false);
      expect(await store.outboxPeek('telegram', group, 10)).toEqual([one, two, four]);
      // The head, as a sender removes it, and ids of another chat or platform are not this chat's.
      expect(await store.outboxDone('telegram', group, one.id)).toBe(true);
      expect(await store.outboxDone('telegram', other, two.id)).toBe(false);
      expect(await store.outboxDone('slack', group, two.id)).toBe(false);
      expect(await store.outboxDone('telegram', group, elsewhere.id)).toBe(false);
      expect(await store.outboxPeek('telegram', group, 10)).toEqual([two, four]);
      expect(await store.outboxDone('telegram', group, two.id)).toBe(true);
      expect(await store.outboxDone('telegram', group, four.id)).toBe(true);
      expect(await store.outboxPeek('telegram', group, 10)).toEqual([]);
      expect(await chatsOf(store)).toEqual([JSON.stringify(['telegram', other])]);
      expect(await store.outboxDone('telegram', other, elsewhere.id)).toBe(true);
      expect(await store.outboxChats(10)).toEqual([]);
      expect(await store.outboxDone('telegram', other, elsewhere.id)).toBe(false);
    }));

  it('keeps the outboxes of chats apart whatever characters their ids hold', () =>
    run(async ({ store }) => {
      const base = uniqueKey('outbox-ids').chatId;
      const chats = [`${base}:a`, `${base}`, `${base}*`, `${base}["x"]`, `${base} 青岛 🔬`];
      for (const chatId of chats) {
        const key = { platform: 'telegram', chatId, userId: 'u' };
        await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, outbox: makeOutbox(chatId, chatId, { id: 'same-id' }) });
      }
      expect(await chatsOf(store)).toEqual(chats.map((chatId) => JSON.stringify(['telegram', chatId])).sort());
      for (const chatId of chats) {
        const [entry] = await store.outboxPeek('telegram', chatId, 10);
        expect(entry?.chatId).toBe(chatId);
        expect(decodeReplies(entry?.body ?? '')).toEqual([textReply(chatId)]);
      }
      expect(await store.outboxDone('telegram', chats[0] ?? '', 'same-id')).toBe(true);
      expect(await store.outboxPeek('telegram', chats[1] ?? '', 10)).toHaveLength(1);
    }));

  it('round-trips encoded replies byte for byte, and keeps them across close and reopen', () =>
    run(async ({ store, reopen }) => {
      const key = uniqueKey('outbox-bytes');
      const text = '回执号：R-2025-0001 ✅ 「海洋科普进社区」\n"quoted" \\ back\u0000slash e\u0301 👩🏽‍🔬 ' + '科'.repeat(200);
      const outbox = makeOutbox(key.chatId, text, { route: '{"thread":"1716.0042","menu":"菜单"}' });
      await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, outbox });
      const [read] = await store.outboxPeek('telegram', key.chatId, 1);
      expect(read).toEqual(outbox);
      expect(Buffer.from(read?.body ?? '').equals(Buffer.from(outbox.body))).toBe(true);
      expect(decodeReplies(read?.body ?? '')).toEqual([textReply(text)]);
      if (reopen === undefined) return;
      await store.close();
      const again = await reopen();
      expect(await again.outboxPeek('telegram', key.chatId, 10)).toEqual([outbox]);
      expect(await again.outboxChats(10)).toEqual([{ platform: 'telegram', chatId: key.chatId }]);
      expect(await again.outboxDone('telegram', key.chatId, outbox.id)).toBe(true);
    }));

  it('refuses an invalid outbox entry or argument with a StoreError and writes nothing', () =>
    run(async ({ store }) => {
      const key = uniqueKey('outbox-invalid');
      const bad: OutboxWrite[] = [
        makeOutbox(key.chatId, 'x', { id: '' }),
        makeOutbox(key.chatId, 'x', { platform: '' }),
        makeOutbox('', 'x'),
        { ...makeOutbox(key.chatId, 'x'), body: 42 } as unknown as OutboxWrite,
      ];
      for (const outbox of bad) {
        await expect(store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS, outbox })).rejects.toBeInstanceOf(StoreError);
      }
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toBeUndefined();
      await expect(store.outboxChats(-1)).rejects.toBeInstanceOf(StoreError);
      await expect(store.outboxPeek('telegram', key.chatId, 1.5)).rejects.toBeInstanceOf(StoreError);
      await expect(store.outboxDone('telegram', key.chatId, '')).rejects.toBeInstanceOf(StoreError);
      expect(await store.outboxChats(10)).toEqual([]);
      await store.close();
      await expect(store.outboxChats(10)).rejects.toBeInstanceOf(StoreError);
      await expect(store.outboxPeek('telegram', key.chatId, 10)).rejects.toBeInstanceOf(StoreError);
      await expect(store.outboxDone('telegram', key.chatId, 'x')).rejects.toBeInstanceOf(StoreError);
    }));
}
