/**
 * Acceptance — what the Bot API answers is honoured: a 429 with `retry_after: 1` on a group's
 * reminder is waited out and the message arrives once; a 403 group is marked unreachable in the store,
 * reported to staff (STAFF_IDS, in private), recorded as 'unreachable' and not tried again on the next
 * tick. The real Telegram adapter talks to the Bot API stand-in; the dispatcher and the Redis store's
 * claims run on a fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../src/domain/platform.js';
import type { WaveResult } from '../../src/reminders/dispatcher.js';
import {
  bindGroups,
  chatOf,
  deliveredCalls,
  fakeTime,
  groupBinding,
  messagesTo,
  openStore,
  reminderDispatcher,
  STAFF_USER_ID,
  telegramAdapterOn,
  zh,
  type FakeTime,
  type OpenedStore,
} from '../support/reminders-harness.js';
import { startBotApi, type BotApi } from '../support/telegram-bot-api.js';

const STAFF_CHAT = String(STAFF_USER_ID);

describe('reminder sends the Bot API refuses', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  interface Setup {
    api: BotApi;
    time: FakeTime;
    opened: OpenedStore;
    /** Chats the adapter itself reported unreachable (its onUnreachable hook). */
    unreachable: string[];
    tick: () => Promise<WaveResult>;
  }

  async function setup(): Promise<Setup> {
    const api = await startBotApi();
    cleanups.push(() => api.close());
    const time = fakeTime('2021-04-23 09:00');
    const opened = openStore('redis', time.nowMs);
    cleanups.push(() => opened.cleanup());
    const unreachable: string[] = [];
    const adapter = await telegramAdapterOn(api, (chatId) => unreachable.push(chatId));
    const adapters = new Map<string, Pick<PlatformAdapter, 'send'>>([['telegram', adapter]]);
    const dispatcher = reminderDispatcher({ store: opened.store, clock: time.clock, adapters });
    cleanups.push(() => dispatcher.stop());
    return { api, time, opened, unreachable, tick: () => dispatcher.tick() };
  }

  it('waits out a 429 retry_after of 1 s and delivers that group’s reminder once', async () => {
    const s = await setup();
    const limited = '-1004290001';
    const other = '-1004290002';
    await bindGroups(s.opened.store, [groupBinding('shinan', limited), groupBinding('licang', other)]);
    // The first sendMessage of the wave (groups go in chat id order: `limited` first) gets a 429.
    s.api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });

    expect(await s.tick()).toMatchObject({ due: 2, sent: 2, failed: 0, unreachable: 0 });

    const attempts = s.api.callsOf('sendMessage').filter((call) => chatOf(call) === limited);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.response).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 1 } });
    expect(attempts[1]?.response).toMatchObject({ ok: true });
    // The retry came no sooner than retry_after (the stand-in's own arrival times; 10 ms timer slack).
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(messagesTo(s.api, limited)).toHaveLength(1);
    expect(messagesTo(s.api, limited)[0]?.plainText).toContain('市南区');
    expect(messagesTo(s.api, other)).toHaveLength(1);

    const log = await s.opened.store.listReminders(10);
    expect(log.map((o) => [o.chatId, o.outcome]).sort()).toEqual([
      [limited, 'sent'],
      [other, 'sent'],
    ]);

    // Not sent again on the next tick.
    expect(await s.tick()).toMatchObject({ due: 2, sent: 0, skipped: 2 });
    expect(deliveredCalls(s.api)).toHaveLength(2);
  });

  it('marks a 403 group unreachable, reports it to staff, records it and does not retry it on the next tick', async () => {
    const s = await setup();
    const blocked = '-1004030001';
    const fine = '-1004030002';
    await bindGroups(s.opened.store, [groupBinding('shinan', blocked), groupBinding('licang', fine)]);
    // The first sendMessage of the wave (`blocked`, by chat id order) is refused for good.
    s.api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was kicked from the group chat' });

    expect(await s.tick()).toMatchObject({ due: 2, sent: 1, unreachable: 1, failed: 0 });

    // Marked in the store.
    const unreachable = await s.opened.store.listUnreachable();
    expect(unreachable.map((u) => [u.platform, u.chatId])).toEqual([['telegram', blocked]]);
    expect(unreachable[0]?.at).toBe('2021-04-23T01:00:00.000Z');
    expect(s.unreachable).toEqual([blocked]);

    // Reported to staff in private, naming the chat.
    const reports = messagesTo(s.api, STAFF_CHAT);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.plainText).toContain(blocked);
    // The report names the chat and the district by its name.
    expect(reports[0]?.plainText).toBe(zh('reminders.unreachable', { platform: 'telegram', chat: blocked, district: '市南区' }));

    // Recorded.
    const log = await s.opened.store.listReminders(10);
    expect(log.map((o) => [o.ruleId, o.chatId, o.district, o.outcome]).sort()).toEqual([
      ['forms-t7', blocked, 'shinan', 'unreachable'],
      ['forms-t7', fine, 'licang', 'sent'],
    ]);
    expect(messagesTo(s.api, fine)).toHaveLength(1);
    expect(messagesTo(s.api, blocked)).toHaveLength(0);

    // The next ticks (same minute, later the same day) plan the blocked group no more (it is marked
    // unreachable), send the other nothing new, and report nothing new.
    const callsBefore = s.api.callsOf('sendMessage').length;
    expect(await s.tick()).toMatchObject({ due: 1, sent: 0, unreachable: 0, skipped: 1 });
    s.time.at('2021-04-23 15:00');
    expect(await s.tick()).toMatchObject({ due: 1, sent: 0, unreachable: 0, skipped: 1 });
    expect(s.api.callsOf('sendMessage')).toHaveLength(callsBefore);
    expect(s.api.callsOf('sendMessage').filter((call) => chatOf(call) === blocked)).toHaveLength(1);
    expect(messagesTo(s.api, STAFF_CHAT)).toHaveLength(1);
    expect(await s.opened.store.listReminders(10)).toHaveLength(2);
  });
});
