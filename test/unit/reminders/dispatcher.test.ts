/**
 * The dispatcher (src/reminders/dispatcher.ts) on the SQLite store in a temp directory, with fake
 * adapters and a fake clock that the store's claims and lease follow: one leader at a time, each
 * (rule, chat) claimed and kept once sent, failures released and given up after maxAttempts, unreachable
 * chats marked and reported to staff, a hung send's claim freed after sendingTtlMs, pacing, outcomes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter, SendOutcome } from '../../../src/domain/platform.js';
import type { Reply } from '../../../src/domain/reply.js';
import type { Dispatcher, DispatcherDeps } from '../../../src/reminders/dispatcher.js';
import type { ReminderOutcome, Store } from '../../../src/store/store.js';
import {
  bindGroups,
  fakeTime,
  groupBinding,
  openStore,
  plainTextOf,
  reminderDispatcher,
  waitUntil,
  zh,
  type FakeTime,
  type OpenedStore,
} from '../../support/reminders-harness.js';

/** What a fake adapter does for a chat: send, say it is unreachable, throw, or never answer. */
type Behaviour = SendOutcome | Error | 'hang';

interface Sent {
  platform: string;
  chatId: string;
  text: string;
}

/** A fake platform adapter that records every send and behaves as `behave` says for each chat. */
function fakeAdapter(platform: string, sent: Sent[], behave: (chatId: string) => Behaviour = () => 'sent'): Pick<PlatformAdapter, 'send'> {
  return {
    send: (chatId: string, replies: readonly Reply[]) => {
      const behaviour = behave(chatId);
      if (behaviour === 'hang') return new Promise<SendOutcome>(() => undefined);
      sent.push({ platform, chatId, text: plainTextOf(replies) });
      return behaviour instanceof Error ? Promise.reject(behaviour) : Promise.resolve(behaviour);
    },
  };
}

describe('reminder dispatcher', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function setup(start = '2021-04-23 09:00'): { time: FakeTime; opened: OpenedStore; store: Store } {
    const time = fakeTime(start);
    const opened = openStore('sqlite', time.nowMs);
    cleanups.push(() => opened.cleanup());
    return { time, opened, store: opened.store };
  }

  function dispatcher(deps: Partial<DispatcherDeps> & Pick<DispatcherDeps, 'store' | 'clock' | 'adapters'>): Dispatcher {
    const made = reminderDispatcher(deps);
    cleanups.push(() => made.stop());
    return made;
  }

  it('sends each due reminder once per (rule, chat), records the outcome and reports it to onOutcome', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1'), groupBinding('licang', '-2')]);
    const sent: Sent[] = [];
    const outcomes: string[] = [];
    const d = dispatcher({ store, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]), onOutcome: (o) => outcomes.push(o) });

    expect(await d.tick()).toEqual({ leader: true, due: 2, sent: 2, unreachable: 0, failed: 0, skipped: 0 });
    expect(sent.map((s) => s.chatId)).toEqual(['-1', '-2']);
    expect(sent[0]?.text).toContain('市南区');
    expect(sent[1]?.text).toContain('李沧区');
    expect(outcomes).toEqual(['sent', 'sent']);
    const log = await store.listReminders(10);
    expect(log).toContainEqual<ReminderOutcome>({ at: '2021-04-23T01:00:00.000Z', ruleId: 'forms-t7', platform: 'telegram', chatId: '-1', district: 'shinan', outcome: 'sent' });

    time.advance(60_000);
    expect(await d.tick()).toEqual({ leader: true, due: 2, sent: 0, unreachable: 0, failed: 0, skipped: 2 });
    expect(sent).toHaveLength(2);
    expect(await store.listReminders(10)).toHaveLength(2);
  });

  it('runs concurrent ticks of one instance one after the other', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    const d = dispatcher({ store, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]) });
    const waves = await Promise.all([d.tick(), d.tick(), d.tick()]);
    expect(waves.map((w) => [w.sent, w.skipped])).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    expect(sent).toHaveLength(1);
  });

  it('lets one instance lead at a time: another takes over when the lease expires on the store clock, or at once after stop', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sentA: Sent[] = [];
    const sentB: Sent[] = [];
    const a = dispatcher({ store, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sentA)]]), instanceId: 'a', leaseTtlMs: 10_000 });
    const b = dispatcher({ store, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sentB)]]), instanceId: 'b', leaseTtlMs: 10_000 });

    expect(await a.tick()).toMatchObject({ leader: true, sent: 1 });
    time.advance(9_999);
    expect(await b.tick()).toEqual({ leader: false, due: 0, sent: 0, unreachable: 0, failed: 0, skipped: 0 });
    // A renews its lease on every tick.
    expect(await a.tick()).toMatchObject({ leader: true, skipped: 1 });
    time.advance(9_999);
    expect(await b.tick()).toMatchObject({ leader: false });
    time.advance(2);
    expect(await b.tick()).toMatchObject({ leader: true, due: 1, skipped: 1 });
    expect(await a.tick()).toMatchObject({ leader: false });

    // Stopping releases the lease: A leads again without waiting for it to expire.
    await b.stop();
    expect(await a.tick()).toMatchObject({ leader: true });
    expect(sentA).toHaveLength(1);
    expect(sentB).toHaveLength(0);
  });

  it('sends nothing in the quiet hours', async () => {
    const { time, store } = setup('2021-04-27 21:00');
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    const d = dispatcher({ store, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]) });
    expect(await d.tick()).toEqual({ leader: true, due: 0, sent: 0, unreachable: 0, failed: 0, skipped: 0 });
    time.at('2021-04-28 08:59');
    expect((await d.tick()).due).toBe(0);
    time.at('2021-04-28 09:00');
    expect(await d.tick()).toMatchObject({ due: 1, sent: 1 });
    expect(sent).toHaveLength(1);
  });

  it('releases a failed send so a later tick tries it again, and records each failure', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    let failing = true;
    const d = dispatcher({
      store,
      clock: time.clock,
      adapters: new Map([['telegram', fakeAdapter('telegram', sent, () => (failing ? new Error('502 Bad Gateway') : 'sent'))]]),
    });
    expect(await d.tick()).toMatchObject({ due: 1, sent: 0, failed: 1 });
    failing = false;
    time.advance(60_000);
    expect(await d.tick()).toMatchObject({ due: 1, sent: 1, failed: 0 });
    expect(await d.tick()).toMatchObject({ sent: 0, skipped: 1 });
    expect(sent).toHaveLength(2);
    expect((await store.listReminders(10)).map((o) => [o.outcome, o.detail])).toEqual([
      ['sent', undefined],
      ['failed', '502 Bad Gateway'],
    ]);
  });

  it('gives a failing send up after maxAttempts waves (3 by default), then leaves it alone', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1'), groupBinding('licang', '-2')]);
    const sent: Sent[] = [];
    const d = dispatcher({
      store,
      clock: time.clock,
      adapters: new Map([['telegram', fakeAdapter('telegram', sent, (chatId) => (chatId === '-1' ? new Error('boom') : 'sent'))]]),
    });
    const waves = [];
    for (let i = 0; i < 5; i += 1) {
      waves.push(await d.tick());
      time.advance(60_000);
    }
    expect(waves.map((w) => [w.sent, w.failed, w.skipped])).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 1, 1],
      [0, 0, 2],
      [0, 0, 2],
    ]);
    expect(sent.filter((s) => s.chatId === '-1')).toHaveLength(3);
    expect((await store.listReminders(10)).filter((o) => o.chatId === '-1').map((o) => o.outcome)).toEqual(['failed', 'failed', 'failed']);
  });

  it('honours a smaller maxAttempts', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    const d = dispatcher({ store, clock: time.clock, maxAttempts: 1, adapters: new Map([['telegram', fakeAdapter('telegram', sent, () => new Error('boom'))]]) });
    expect(await d.tick()).toMatchObject({ failed: 1 });
    expect(await d.tick()).toMatchObject({ failed: 0, skipped: 1 });
    expect(sent).toHaveLength(1);
  });

  it('marks an unreachable chat, reports it to every staff member on their platform, records it and does not retry it', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1'), groupBinding('licang', '-2')]);
    const sent: Sent[] = [];
    const outcomes: string[] = [];
    const d = dispatcher({
      store,
      clock: time.clock,
      staff: ['telegram:900', 'slack:U900'],
      onOutcome: (o) => outcomes.push(o),
      adapters: new Map([
        ['telegram', fakeAdapter('telegram', sent, (chatId) => (chatId === '-1' ? 'unreachable' : 'sent'))],
        ['slack', fakeAdapter('slack', sent)],
      ]),
    });
    expect(await d.tick()).toMatchObject({ due: 2, sent: 1, unreachable: 1 });
    expect(await store.listUnreachable()).toEqual([{ platform: 'telegram', chatId: '-1', reason: 'reminder not delivered', at: '2021-04-23T01:00:00.000Z' }]);
    const reports = sent.filter((s) => s.chatId === '900' || s.chatId === 'U900');
    expect(reports.map((s) => `${s.platform}:${s.chatId}`)).toEqual(['telegram:900', 'slack:U900']);
    const lead = zh('reminders.unreachable', { platform: 'telegram', chat: '-1', district: '\u0000' }).split('\u0000')[0] ?? '';
    for (const report of reports) expect(report.text).toContain(lead);
    expect(outcomes.sort()).toEqual(['sent', 'unreachable']);
    expect((await store.listReminders(10)).find((o) => o.chatId === '-1')).toMatchObject({ ruleId: 'forms-t7', district: 'shinan', outcome: 'unreachable' });

    const before = sent.length;
    expect(await d.tick()).toMatchObject({ due: 1, sent: 0, unreachable: 0, skipped: 1 });
    expect(sent).toHaveLength(before);
  });

  it('records a reminder for a platform without an adapter as failed, once', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', 'C1', 'slack'), groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    const d = dispatcher({ store, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]) });
    expect(await d.tick()).toMatchObject({ due: 2, sent: 1, failed: 1 });
    expect(await d.tick()).toMatchObject({ sent: 0, failed: 0, skipped: 2 });
    expect(await store.listReminders(10)).toContainEqual<ReminderOutcome>({
      at: '2021-04-23T01:00:00.000Z',
      ruleId: 'forms-t7',
      platform: 'slack',
      chatId: 'C1',
      district: 'shinan',
      outcome: 'failed',
      detail: 'no adapter for this platform',
    });
  });

  it('sends the overdue note to each staff member in private, naming every district that owes, once', async () => {
    const { time, store } = setup('2021-05-01 09:00');
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    const d = dispatcher({
      store,
      clock: time.clock,
      staff: ['telegram:900', 'slack:U900', 'no-platform'],
      adapters: new Map([
        ['telegram', fakeAdapter('telegram', sent)],
        ['slack', fakeAdapter('slack', sent)],
      ]),
    });
    expect(await d.tick()).toMatchObject({ due: 1, sent: 2 });
    expect(sent.map((s) => `${s.platform}:${s.chatId}`)).toEqual(['telegram:900', 'slack:U900']);
    for (const note of sent) {
      expect(note.text).toContain(zh('reminders.staff_title', { date: '2021年4月30日' }));
      expect(note.text).toContain('市南区：');
      expect(note.text).toContain('中国（山东）自由贸易试验区青岛片区：');
    }
    // The group itself hears nothing after its deadline day.
    expect(sent.some((s) => s.chatId === '-1')).toBe(false);
    time.at('2021-05-02 09:00');
    expect(await d.tick()).toMatchObject({ sent: 0, skipped: 2 });
    const log = await store.listReminders(10);
    expect(log.map((o) => [o.ruleId, o.platform, o.chatId, o.district])).toEqual([
      ['forms-overdue', 'slack', 'U900', '*'],
      ['forms-overdue', 'telegram', '900', '*'],
    ]);
  });

  it('sends only the asked rule when a wave is given one', async () => {
    const { time, store } = setup('2021-04-27 10:00');
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    const d = dispatcher({ store, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]) });
    // forms-t7 is behind forms-t3 now: stale, not sent.
    expect(await d.tick({ ruleId: 'forms-t7' })).toMatchObject({ leader: true, due: 0, sent: 0 });
    expect(await d.tick({ ruleId: 'summary-t7' })).toMatchObject({ due: 0 });
    expect(sent).toHaveLength(0);
    expect(await d.tick({ ruleId: 'forms-t3' })).toMatchObject({ due: 1, sent: 1 });
    expect(sent[0]?.text).toContain(zh('reminders.days_left', { days: 3 }));
  });

  it('keeps a hung send claimed for sendingTtlMs: another leader skips it until then, and sends it after', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1'), groupBinding('licang', '-2')]);
    const sentA: Sent[] = [];
    const sentB: Sent[] = [];
    let hung = false;
    const hangOnSecond = (chatId: string): Behaviour => {
      if (chatId !== '-2') return 'sent';
      hung = true;
      return 'hang';
    };
    // A is not stopped after the test: its wave never ends.
    const a = reminderDispatcher({
      store,
      clock: time.clock,
      instanceId: 'a',
      leaseTtlMs: 1_000,
      sendingTtlMs: 10_000,
      adapters: new Map([['telegram', fakeAdapter('telegram', sentA, hangOnSecond)]]),
    });
    const b = dispatcher({ store, clock: time.clock, instanceId: 'b', leaseTtlMs: 1_000, sendingTtlMs: 10_000, adapters: new Map([['telegram', fakeAdapter('telegram', sentB)]]) });
    void a.tick();
    // A's send to -2 has begun (so its claim is taken) and never ends.
    await waitUntil(() => (hung ? true : undefined), 'a to hang on -2');

    time.advance(2_000);
    expect(await b.tick()).toMatchObject({ leader: true, due: 2, sent: 0, skipped: 2 });
    time.advance(7_999);
    expect(await b.tick()).toMatchObject({ sent: 0, skipped: 2 });
    time.advance(2);
    expect(await b.tick()).toMatchObject({ sent: 1, skipped: 1 });
    expect(sentA.map((s) => s.chatId)).toEqual(['-1']);
    expect(sentB.map((s) => s.chatId)).toEqual(['-2']);
  });

  it('paces Telegram sends to 30 in any second (on the injected time)', async () => {
    const { time, store } = setup();
    const groups = Array.from({ length: 75 }, (_, i) => groupBinding('shinan', String(-1000 - i)));
    await bindGroups(store, groups);
    let pacingNow = 5_000_000;
    const sleeps: number[] = [];
    const at: number[] = [];
    const adapter: Pick<PlatformAdapter, 'send'> = {
      send: () => {
        at.push(pacingNow);
        return Promise.resolve('sent');
      },
    };
    const d = dispatcher({
      store,
      clock: time.clock,
      adapters: new Map([['telegram', adapter]]),
      nowMs: () => pacingNow,
      sleep: (ms) => {
        sleeps.push(ms);
        pacingNow += ms;
        return Promise.resolve();
      },
    });
    expect(await d.tick()).toMatchObject({ due: 75, sent: 75 });
    expect(at).toHaveLength(75);
    for (let i = 30; i < at.length; i += 1) expect((at[i] ?? 0) - (at[i - 30] ?? 0)).toBeGreaterThanOrEqual(1_000);
    // The first 30 go at once; 75 need two waits of a window (1.1 s: a margin for the way to the API).
    expect(at.slice(0, 30).every((t) => t === at[0])).toBe(true);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(2_200);
  });

  it('goes on with the wave when an outcome cannot be recorded', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1'), groupBinding('licang', '-2')]);
    const sent: Sent[] = [];
    const failingLog: Store = { ...store, recordReminder: () => Promise.reject(new Error('disk full')) };
    const d = dispatcher({ store: failingLog, clock: time.clock, adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]) });
    expect(await d.tick()).toMatchObject({ due: 2, sent: 2, failed: 0 });
    expect(await d.tick()).toMatchObject({ sent: 0, skipped: 2 });
    expect(sent).toHaveLength(2);
  });

  it('ticks on its own once started, until stopped; stop releases the lease', async () => {
    const { time, store } = setup();
    await bindGroups(store, [groupBinding('shinan', '-1')]);
    const sent: Sent[] = [];
    const ticking = reminderDispatcher({ store, clock: time.clock, instanceId: 'ticking', adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]) });
    ticking.start(10);
    await waitUntil(() => (sent.length === 1 ? true : undefined), 'the first scheduled wave');
    await ticking.stop();
    // Another instance leads at once (the lease was released) and finds the reminder already sent.
    const other = dispatcher({ store, clock: time.clock, instanceId: 'other', adapters: new Map([['telegram', fakeAdapter('telegram', sent)]]) });
    expect(await other.tick()).toMatchObject({ leader: true, due: 1, skipped: 1 });
    // Stopped: a new binding is not picked up by the stopped instance.
    await bindGroups(store, [groupBinding('licang', '-2')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toHaveLength(1);
  });
});
