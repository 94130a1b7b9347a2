/**
 * Acceptance — the reminder ladder, end to end: the dispatcher on a fake clock, the store's
 * claims on the same clock (Redis and SQLite), and the real Telegram adapter talking to the Bot API
 * stand-in. A group bound to 市南区 that owes everything hears T-7, T-3, T-1 and T-0 exactly once each,
 * naming 附件1/2/3 and the date; nothing in the quiet hours, nothing after the deadline day (staff get
 * the overdue note on 1 May instead); a repeated tick sends nothing twice. A district that files its last
 * form (through the engine) and declares "nothing to file" for the rest stops hearing from the next wave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../src/domain/platform.js';
import type { Dispatcher, WaveResult } from '../../src/reminders/dispatcher.js';
import {
  bindGroups,
  declareNone,
  deliveredCalls,
  fakeTime,
  fileKeyProjectViaEngine,
  FORMS_DATE_ZH,
  groupBinding,
  messagesTo,
  openStore,
  reminderDispatcher,
  STAFF_USER_ID,
  telegramAdapterOn,
  TITLES,
  zh,
  type FakeTime,
  type OpenedStore,
  type StoreKind,
} from '../support/reminders-harness.js';
import { startBotApi, type BotApi } from '../support/telegram-bot-api.js';

const SHINAN_GROUP = '-1001000001';
const LICANG_GROUP = '-1001000002';
const STAFF_CHAT = String(STAFF_USER_ID);

interface Setup {
  api: BotApi;
  time: FakeTime;
  opened: OpenedStore;
  dispatcher: Dispatcher;
  tick(at: string): Promise<WaveResult>;
}

describe.each<StoreKind>(['redis', 'sqlite'])('reminder ladder on the %s store', (kind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(start: string): Promise<Setup> {
    const api = await startBotApi();
    cleanups.push(() => api.close());
    const time = fakeTime(start);
    const opened = openStore(kind, time.nowMs);
    cleanups.push(() => opened.cleanup());
    const adapter = await telegramAdapterOn(api);
    const adapters = new Map<string, Pick<PlatformAdapter, 'send'>>([['telegram', adapter]]);
    const dispatcher = reminderDispatcher({ store: opened.store, clock: time.clock, adapters });
    cleanups.push(() => dispatcher.stop());
    return {
      api,
      time,
      opened,
      dispatcher,
      tick: (at) => {
        time.at(at);
        return dispatcher.tick();
      },
    };
  }

  it('sends T-7, T-3, T-1 and T-0 once each to a group that owes everything, none in quiet hours or after the deadline', async () => {
    const s = await setup('2021-04-22 09:00');
    await bindGroups(s.opened.store, [groupBinding('shinan', SHINAN_GROUP)]);

    // The day before T-7 nothing is due.
    expect((await s.tick('2021-04-22 09:00')).due).toBe(0);
    expect(deliveredCalls(s.api)).toHaveLength(0);

    const rungs = [
      { at: '2021-04-23 09:00', when: zh('reminders.days_left', { days: 7 }) },
      { at: '2021-04-27 09:00', when: zh('reminders.days_left', { days: 3 }) },
      { at: '2021-04-29 09:00', when: zh('reminders.days_left', { days: 1 }) },
      { at: '2021-04-30 09:00', when: zh('reminders.today') },
    ];
    for (const [index, rung] of rungs.entries()) {
      const wave = await s.tick(rung.at);
      expect(wave).toMatchObject({ leader: true, due: 1, sent: 1, failed: 0, unreachable: 0, skipped: 0 });
      const messages = messagesTo(s.api, SHINAN_GROUP);
      expect(messages).toHaveLength(index + 1);
      const text = messages.at(-1)?.plainText ?? '';
      expect(text).toContain(zh('reminders.title', { district: '市南区', date: FORMS_DATE_ZH, when: rung.when }));
      expect(text).toContain(TITLES.exhibitor);
      expect(text).toContain(TITLES.keyProject);
      expect(text).toContain(TITLES.openInstitutions);
      expect(text).not.toContain(TITLES.summary);

      // The same moment again: the (rule, group) claim holds, nothing is sent twice.
      const again = await s.tick(rung.at);
      expect(again).toMatchObject({ leader: true, due: 1, sent: 0, skipped: 1 });
      expect(messagesTo(s.api, SHINAN_GROUP)).toHaveLength(index + 1);

      if (rung.at === '2021-04-27 09:00') {
        // 21:00 the same day is inside the quiet hours (20:00–09:00): nothing new.
        expect(await s.tick('2021-04-27 21:00')).toMatchObject({ leader: true, due: 0, sent: 0 });
        expect(messagesTo(s.api, SHINAN_GROUP)).toHaveLength(index + 1);
      }
    }
    // Nothing went to staff before the deadline.
    expect(messagesTo(s.api, STAFF_CHAT)).toHaveLength(0);

    // 1 May 09:00: the group hears nothing; staff get the overdue note, naming 市南区 and what it owes.
    const overdue = await s.tick('2021-05-01 09:00');
    expect(overdue).toMatchObject({ due: 1, sent: 1 });
    expect(messagesTo(s.api, SHINAN_GROUP)).toHaveLength(4);
    const staffNotes = messagesTo(s.api, STAFF_CHAT);
    expect(staffNotes).toHaveLength(1);
    expect(staffNotes[0]?.plainText).toContain(zh('reminders.staff_title', { date: FORMS_DATE_ZH }));
    expect(staffNotes[0]?.plainText).toContain(`市南区：${TITLES.exhibitor}、${TITLES.keyProject}、${TITLES.openInstitutions}`);

    // Later ticks of the forms deadline send nothing more to anyone.
    for (const at of ['2021-05-01 09:00', '2021-05-01 15:00', '2021-05-02 09:00', '2021-05-20 09:00']) await s.tick(at);
    expect(messagesTo(s.api, SHINAN_GROUP)).toHaveLength(4);
    expect(messagesTo(s.api, STAFF_CHAT)).toHaveLength(1);
    expect(deliveredCalls(s.api)).toHaveLength(5);

    // Every send was recorded, newest first.
    const log = await s.opened.store.listReminders(20);
    expect(log.map((o) => [o.ruleId, o.chatId, o.outcome])).toEqual([
      ['forms-overdue', STAFF_CHAT, 'sent'],
      ['forms-t0', SHINAN_GROUP, 'sent'],
      ['forms-t1', SHINAN_GROUP, 'sent'],
      ['forms-t3', SHINAN_GROUP, 'sent'],
      ['forms-t7', SHINAN_GROUP, 'sent'],
    ]);
    expect(log.find((o) => o.ruleId === 'forms-t3')).toMatchObject({ platform: 'telegram', district: 'shinan', at: '2021-04-27T01:00:00.000Z' });
  });

  it('stops reminding a district from the next wave once it has filed its last form and declared the rest', async () => {
    const s = await setup('2021-04-23 09:00');
    await bindGroups(s.opened.store, [groupBinding('shinan', SHINAN_GROUP), groupBinding('licang', LICANG_GROUP)]);

    expect(await s.tick('2021-04-23 09:00')).toMatchObject({ due: 2, sent: 2 });

    // 市南区 declares "nothing to file" for 附件1 and 附件3: T-3 names only 附件2.
    s.time.at('2021-04-24 10:00');
    await declareNone(s.opened.store, 'shinan', 'exhibitor', s.time.clock.now().toISOString());
    await declareNone(s.opened.store, 'shinan', 'open-institutions', s.time.clock.now().toISOString());
    expect(await s.tick('2021-04-27 09:00')).toMatchObject({ due: 2, sent: 2 });
    const t3 = messagesTo(s.api, SHINAN_GROUP).at(-1)?.plainText ?? '';
    expect(t3).toContain(zh('reminders.days_left', { days: 3 }));
    expect(t3).toContain(TITLES.keyProject);
    expect(t3).not.toContain(TITLES.exhibitor);
    expect(t3).not.toContain(TITLES.openInstitutions);

    // 28 April: a 市南区 user files 附件2 through the engine, its last missing form.
    s.time.at('2021-04-28 10:00');
    const receipt = await fileKeyProjectViaEngine(s.opened.store, s.time.clock);
    const filings = await s.opened.store.listFilings({ eventId: 'qingdao-2021', district: 'shinan' });
    expect(filings.map((f) => [f.receipt, f.formId, f.status])).toEqual([[receipt, 'key-project', 'submitted']]);

    // From the next wave on, 市南区 hears nothing; 李沧区 still does.
    expect(await s.tick('2021-04-29 09:00')).toMatchObject({ due: 1, sent: 1 });
    expect(await s.tick('2021-04-30 09:00')).toMatchObject({ due: 1, sent: 1 });
    expect(messagesTo(s.api, SHINAN_GROUP)).toHaveLength(2);
    expect(messagesTo(s.api, LICANG_GROUP)).toHaveLength(4);
    expect(messagesTo(s.api, LICANG_GROUP).at(-1)?.plainText).toContain(zh('reminders.title', { district: '李沧区', date: FORMS_DATE_ZH, when: zh('reminders.today') }));

    // The staff overdue note lists 李沧区 and no longer 市南区.
    await s.tick('2021-05-01 09:00');
    const note = messagesTo(s.api, STAFF_CHAT).at(-1)?.plainText ?? '';
    expect(note).toContain('李沧区：');
    expect(note).not.toContain('市南区');
  });
});
