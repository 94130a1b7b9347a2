/**
 * Group-binding and unreachable-chat cases of the Store contract: bindings keyed by platform and chat
 * id (any characters), replaced on rebind, listed by platform then chat id; unreachable records
 * replaced per chat, cleared once, listed newest first; both kept across reopen and isolated per open.
 */
import { expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import type { GroupBinding, Store, UnreachableChat } from '../../src/store/store.js';
import type { Harness, OpenStore } from '../support/store-fixtures.js';
import { createTestClock, GROUP } from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

/** A Telegram group of 市南区, bound by a staff member during the science week. */
function makeGroup(overrides: Partial<GroupBinding> = {}): GroupBinding {
  return { ...GROUP, ...overrides };
}

/** A chat that blocked the bot. */
function makeUnreachable(overrides: Partial<UnreachableChat> = {}): UnreachableChat {
  return {
    platform: 'telegram',
    chatId: '1001',
    reason: '403 Forbidden: bot was blocked by the user',
    at: '2025-05-20T01:00:00.000Z',
    ...overrides,
  };
}

function withoutTitle(binding: GroupBinding): GroupBinding {
  const copy = { ...binding };
  delete copy.title;
  return copy;
}

/** Every group and unreachable-chat call, each expected to reject on a closed store. */
function groupCalls(store: Store): Array<() => Promise<unknown>> {
  return [
    () => store.putGroup(makeGroup()),
    () => store.removeGroup('telegram', '1'),
    () => store.getGroup('telegram', '1'),
    () => store.listGroups(),
    () => store.markUnreachable(makeUnreachable()),
    () => store.clearUnreachable('telegram', '1'),
    () => store.listUnreachable(),
  ];
}

/** Registers the group and unreachable-chat cases inside the current describe block. */
export function registerGroupCases(run: Run, open: OpenStore): void {
  it('puts, gets, lists and removes a group binding', () =>
    run(async ({ store }) => {
      const group = makeGroup();
      const untitled = withoutTitle(makeGroup({ chatId: '-1009876543210', district: '崂山区' }));
      expect(await store.listGroups()).toEqual([]);
      expect(await store.getGroup(group.platform, group.chatId)).toBeUndefined();
      await store.putGroup(group);
      await store.putGroup(untitled);
      expect(await store.getGroup(group.platform, group.chatId)).toEqual(group);
      const loaded = await store.getGroup(untitled.platform, untitled.chatId);
      expect(loaded).toEqual(untitled);
      expect(loaded !== undefined && 'title' in loaded).toBe(false);
      expect(await store.listGroups()).toEqual([group, untitled]);
      expect(await store.removeGroup(group.platform, group.chatId)).toBe(true);
      expect(await store.getGroup(group.platform, group.chatId)).toBeUndefined();
      expect(await store.listGroups()).toEqual([untitled]);
    }));

  it('replaces the binding when a chat is bound again, dropping what the new binding leaves out', () =>
    run(async ({ store }) => {
      const first = makeGroup();
      const rebound = withoutTitle(
        makeGroup({ district: '崂山区', boundBy: 'telegram:2002', boundAt: '2025-05-21T02:00:00.000Z' }),
      );
      await store.putGroup(first);
      await store.putGroup(rebound);
      expect(await store.getGroup(first.platform, first.chatId)).toEqual(rebound);
      expect(await store.listGroups()).toEqual([rebound]);
    }));

  it('keeps the same chat id on two platforms apart, and never confuses separators inside ids', () =>
    run(async ({ store }) => {
      const telegram = makeGroup({ platform: 'telegram', chatId: 'C042', district: '市南区' });
      const slack = makeGroup({ platform: 'slack', chatId: 'C042', district: '市北区' });
      // `a:b` + `c` and `a` + `b:c` are different chats, whatever a store uses as separator.
      const colonInPlatform = makeGroup({ platform: 'team:x', chatId: 'y', district: '黄岛区' });
      const colonInChat = makeGroup({ platform: 'team', chatId: 'x:y', district: '城阳区' });
      const quotes = makeGroup({ platform: 'team', chatId: 'x","y', district: '即墨区' });
      for (const group of [telegram, slack, colonInPlatform, colonInChat, quotes]) await store.putGroup(group);
      expect(await store.getGroup('telegram', 'C042')).toEqual(telegram);
      expect(await store.getGroup('slack', 'C042')).toEqual(slack);
      expect(await store.getGroup('team:x', 'y')).toEqual(colonInPlatform);
      expect(await store.getGroup('team', 'x:y')).toEqual(colonInChat);
      expect(await store.getGroup('team', 'x","y')).toEqual(quotes);
      expect(await store.getGroup('team:x:y', '')).toBeUndefined();
      expect(await store.removeGroup('slack', 'C042')).toBe(true);
      expect(await store.getGroup('telegram', 'C042')).toEqual(telegram);
      expect(await store.removeGroup('team', 'x:y')).toBe(true);
      expect(await store.getGroup('team:x', 'y')).toEqual(colonInPlatform);
      expect(await store.listGroups()).toHaveLength(3);
    }));

  it('round-trips chat ids with colons and unicode titles exactly', () =>
    run(async ({ store }) => {
      const slack = makeGroup({
        platform: 'slack',
        chatId: 'T0123:C0456:thread:1716170400.000100',
        district: '崂山区 🏔',
        title: '青岛科技周 🔬 筹备群 \u202Eevil\u202C «引号» "quotes" \\ back\u0000slash',
        boundBy: 'slack:U‮evil‬',
        boundAt: '2025-05-20T09:00:00.123+08:00',
      });
      const telegram = makeGroup({ chatId: '-100:1:2:🧪:频道', title: 'e\u0301 vs é, ﬁ, Ａ１２３' });
      await store.putGroup(slack);
      await store.putGroup(telegram);
      expect(await store.getGroup(slack.platform, slack.chatId)).toEqual(slack);
      expect(await store.getGroup(telegram.platform, telegram.chatId)).toEqual(telegram);
      expect(await store.getGroup('slack', 'T0123:C0456')).toBeUndefined();
      expect(await store.listGroups()).toEqual([slack, telegram]);
    }));

  it('lists groups by platform, then chat id, comparing code points', () =>
    run(async ({ store }) => {
      const ordered = [
        makeGroup({ platform: 'console', chatId: 'local' }),
        makeGroup({ platform: 'slack', chatId: 'C1' }),
        makeGroup({ platform: 'slack', chatId: 'C10' }),
        makeGroup({ platform: 'slack', chatId: 'C2' }),
        makeGroup({ platform: 'slack-enterprise', chatId: 'A0' }),
        makeGroup({ platform: 'telegram', chatId: '-100' }),
        makeGroup({ platform: 'telegram', chatId: '-99' }),
        makeGroup({ platform: 'telegram', chatId: 'Z' }),
        makeGroup({ platform: 'telegram', chatId: 'a' }),
        makeGroup({ platform: 'telegram', chatId: '市南' }),
        // U+FF01 before U+1F9EA: code point order (SQLite, Redis), not UTF-16 order (JavaScript's `<`).
        makeGroup({ platform: 'telegram', chatId: '！' }),
        makeGroup({ platform: 'telegram', chatId: '🧪' }),
      ];
      const shuffled = [5, 11, 0, 8, 2, 10, 4, 1, 9, 3, 7, 6].map((i) => ordered[i] ?? makeGroup());
      for (const group of shuffled) await store.putGroup(group);
      expect(await store.listGroups()).toEqual(ordered);
    }));

  it('answers false when removing a binding or clearing a record that is not there', () =>
    run(async ({ store }) => {
      expect(await store.removeGroup('telegram', 'never-bound')).toBe(false);
      expect(await store.clearUnreachable('telegram', 'never-recorded')).toBe(false);
      const group = makeGroup();
      await store.putGroup(group);
      // A record of the same chat in the other kind is not a binding, and the other way round.
      expect(await store.clearUnreachable(group.platform, group.chatId)).toBe(false);
      expect(await store.removeGroup(group.platform, group.chatId)).toBe(true);
      expect(await store.removeGroup(group.platform, group.chatId)).toBe(false);
      expect(await store.listGroups()).toEqual([]);
    }));

  it('replaces the unreachable record of a chat, clears it once, and lists newest first', () =>
    run(async ({ store }) => {
      const blocked = makeUnreachable({ chatId: '1001', at: '2025-05-20T01:00:00.000Z' });
      const left = makeUnreachable({
        platform: 'slack',
        chatId: 'C042',
        reason: 'not_in_channel',
        at: '2025-05-20T03:00:00.000Z',
      });
      // 09:30 in Qingdao is 01:30 UTC: between the two above, whatever the offset looks like.
      const kicked = makeUnreachable({
        chatId: '-100:777',
        reason: '403 Forbidden: bot was kicked from the group chat',
        at: '2025-05-20T09:30:00+08:00',
      });
      for (const record of [blocked, left, kicked]) await store.markUnreachable(record);
      expect(await store.listUnreachable()).toEqual([left, kicked, blocked]);
      const blockedAgain = { ...blocked, reason: '403 Forbidden: user is deactivated', at: '2025-05-21T01:00:00.000Z' };
      await store.markUnreachable(blockedAgain);
      expect(await store.listUnreachable()).toEqual([blockedAgain, left, kicked]);
      expect(await store.clearUnreachable(left.platform, left.chatId)).toBe(true);
      expect(await store.clearUnreachable(left.platform, left.chatId)).toBe(false);
      expect(await store.listUnreachable()).toEqual([blockedAgain, kicked]);
      expect(await store.clearUnreachable('slack', blocked.chatId)).toBe(false);
      expect(await store.listUnreachable()).toHaveLength(2);
    }));

  it('orders unreachable chats of the same instant by platform, then chat id', () =>
    run(async ({ store }) => {
      const at = '2025-05-20T01:00:00.000Z';
      const ordered = [
        makeUnreachable({ chatId: 'new', at: '2025-05-20T02:00:00.000Z' }),
        makeUnreachable({ platform: 'slack', chatId: 'C1', at }),
        makeUnreachable({ platform: 'telegram', chatId: '1', at: '2025-05-20T09:00:00+08:00' }),
        makeUnreachable({ platform: 'telegram', chatId: '2', at }),
        makeUnreachable({ chatId: 'old', at: '2025-05-19T23:59:59.999Z' }),
      ];
      for (const record of [...ordered].reverse()) await store.markUnreachable(record);
      expect(await store.listUnreachable()).toEqual(ordered);
    }));

  it('rejects an invalid binding or record with a StoreError and writes nothing', () =>
    run(async ({ store }) => {
      const badGroups = [
        makeGroup({ chatId: '' }),
        makeGroup({ district: '' }),
        makeGroup({ boundAt: 'yesterday' }),
        { ...makeGroup(), boundBy: 42 } as unknown as GroupBinding,
      ];
      for (const group of badGroups) await expect(store.putGroup(group)).rejects.toBeInstanceOf(StoreError);
      for (const record of [makeUnreachable({ platform: '' }), makeUnreachable({ at: '2025-05-20 09:00' })]) {
        await expect(store.markUnreachable(record)).rejects.toBeInstanceOf(StoreError);
      }
      expect(await store.listGroups()).toEqual([]);
      expect(await store.listUnreachable()).toEqual([]);
    }));

  it('keeps group bindings and unreachable chats across close and reopen', ({ skip }) =>
    run(async ({ store, reopen }) => {
      if (reopen === undefined) {
        skip('this store does not persist');
        return;
      }
      const groups = [makeGroup({ platform: 'slack', chatId: 'C042' }), makeGroup()];
      const record = makeUnreachable();
      for (const group of groups) await store.putGroup(group);
      await store.markUnreachable(record);
      await store.close();
      const again = await reopen();
      expect(await again.listGroups()).toEqual(groups);
      expect(await again.getGroup('telegram', groups[1]?.chatId ?? '')).toEqual(groups[1]);
      expect(await again.listUnreachable()).toEqual([record]);
      expect(await again.clearUnreachable(record.platform, record.chatId)).toBe(true);
    }));

  it('isolates the groups and unreachable chats of each open', async () => {
    const left = await open({ nowMs: createTestClock().nowMs });
    try {
      const right = await open({ nowMs: createTestClock().nowMs });
      try {
        const group = makeGroup();
        await left.store.putGroup(group);
        await left.store.markUnreachable(makeUnreachable());
        expect(await right.store.listGroups()).toEqual([]);
        expect(await right.store.getGroup(group.platform, group.chatId)).toBeUndefined();
        expect(await right.store.listUnreachable()).toEqual([]);
        expect(await right.store.removeGroup(group.platform, group.chatId)).toBe(false);
        await right.store.putGroup({ ...group, district: '崂山区' });
        expect(await left.store.getGroup(group.platform, group.chatId)).toEqual(group);
      } finally {
        await right.cleanup();
      }
    } finally {
      await left.cleanup();
    }
  });

  it('rejects every group and unreachable-chat call after close with a StoreError', () =>
    run(async ({ store }) => {
      await store.close();
      for (const call of groupCalls(store)) await expect(call()).rejects.toBeInstanceOf(StoreError);
    }));
}
