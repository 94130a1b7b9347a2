/**
 * Who may declare "nothing to file", through the real engine on the SQLite store: only for the
 * user's own district (the one a filing remembered) or by staff, only after 确认, never while the
 * district has filings of that form, and staff see who declared it and when. In zh-CN and en.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, event, submitKeyProject, translate, type Harness, type Sender } from '../../support/engine-harness.js';
import { exhibitorFiling, seedFilings } from '../../support/sample-filings.js';

const zh = translate('zh-CN');
const en = translate('en');

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

const STAFF: Sender = { userId: 'boss', chatId: 'boss', displayName: '局里小王' };

function harness(): Harness {
  const h = createHarness({ staff: ['test:boss'] });
  harnesses.push(h);
  return h;
}

describe.each([
  { locale: 'zh-CN', t: zh, setup: [] as string[], shinan: '市南区', shibei: '市北区' },
  { locale: 'en', t: en, setup: ['/lang en'], shinan: 'Shinan District', shibei: 'Shibei District' },
])('/none guarded ($locale)', ({ t, setup, shinan, shibei }) => {
  const form = t('flows.exhibitor.title');

  async function start(h: Harness, sender?: Sender): Promise<void> {
    for (const line of setup) await h.say(line, sender);
  }

  it('a user without a district is told how to get one, and nothing is recorded', async () => {
    const h = harness();
    await start(h);
    expect((await h.say('/none exhibitor 市南区')).text).toContain(t('declarations.no_district'));
    expect((await h.say('/none exhibitor')).text).toContain(t('declarations.no_district'));
    expect(await h.store.listDeclarations(event.id)).toEqual([]);
  });

  it('a contact may not declare for another district', async () => {
    const h = harness();
    await submitKeyProject(h);
    await start(h);
    const reply = await h.say('/none exhibitor 市北区');
    expect(reply.text).toContain(t('declarations.not_yours', { district: shibei, own: shinan }));
    expect(reply.buttons).toEqual([]);
    expect(await h.store.listDeclarations(event.id)).toEqual([]);
  });

  it('asks first for the own district: 取消 records nothing, 确认 records who declared it', async () => {
    const h = harness();
    await submitKeyProject(h);
    await start(h);
    const asked = await h.say('/none exhibitor');
    expect(asked.text).toContain(t('declarations.confirm', { form, district: shinan }));
    expect(asked.buttons.map((b) => b.label)).toEqual([t('declarations.yes'), t('declarations.no')]);
    expect(await h.store.listDeclarations(event.id)).toEqual([]);

    const [yes, no] = asked.buttons;
    expect((await h.press(no?.payload ?? '')).text).toContain(t('declarations.dismissed'));
    expect(await h.store.listDeclarations(event.id)).toEqual([]);

    expect((await h.press(yes?.payload ?? '')).text).toContain(t('declarations.declared', { form, district: shinan }));
    expect(await h.store.listDeclarations(event.id)).toEqual([
      { eventId: event.id, district: 'shinan', formId: 'exhibitor', declaredBy: 'test:u1', declaredByName: '测试员', at: h.clock.now().toISOString() },
    ]);
    // Declaring again says so instead of asking.
    expect((await h.say('/none exhibitor')).text).toContain(t('declarations.already', { form, district: shinan }));
  });

  it('undo asks first too, and another district\'s contact cannot undo it', async () => {
    const h = harness();
    await submitKeyProject(h);
    await start(h);
    await h.press((await h.say('/none exhibitor')).buttons[0]?.payload ?? '');
    const stranger: Sender = { userId: 'u2', chatId: 'c2' };
    await start(h, stranger);
    expect((await h.say('/none exhibitor 市南区 undo', stranger)).text).toContain(t('declarations.no_district'));
    // A forged confirm button is checked the same way.
    expect((await h.press('/none exhibitor shinan undo confirm', stranger)).text).toContain(t('declarations.no_district'));
    expect(await h.store.listDeclarations(event.id)).toHaveLength(1);

    const asked = await h.say('/none exhibitor undo');
    expect(asked.text).toContain(t('declarations.confirm_undo', { form, district: shinan }));
    expect(await h.store.listDeclarations(event.id)).toHaveLength(1);
    expect((await h.press(asked.buttons[0]?.payload ?? '')).text).toContain(t('declarations.undone', { form, district: shinan }));
    expect(await h.store.listDeclarations(event.id)).toEqual([]);
  });

  it('is refused while the district has filings of that form, pointing to /my', async () => {
    const h = harness();
    await seedFilings(h.store, [exhibitorFiling('shinan')]);
    await start(h, STAFF);
    const reply = await h.say('/none exhibitor 市南区', STAFF);
    expect(reply.text).toContain(t('declarations.has_filings', { form, district: shinan, count: 1 }));
    expect(reply.buttons.map((b) => b.payload)).toEqual(['/my']);
    expect(await h.store.listDeclarations(event.id)).toEqual([]);
  });

  it('staff may declare for any district, and /status <district> names who declared it and when', async () => {
    const h = harness();
    await start(h, STAFF);
    const asked = await h.say('/none exhibitor 市北区', STAFF);
    expect((await h.press(asked.buttons[0]?.payload ?? '', STAFF)).text).toContain(t('declarations.declared', { form, district: shibei }));
    // A typed yes answers the question as its button does; a typed no records nothing.
    await h.say('/none open-institutions 市北区', STAFF);
    expect((await h.say(t === zh ? '否' : 'no', STAFF)).text).not.toContain(t('declarations.declared', { form: t('flows.open-institutions.title'), district: shibei }));
    await h.say('/none open-institutions 市北区', STAFF);
    expect((await h.say(t === zh ? '确定' : 'yes', STAFF)).text).toContain(t('declarations.declared', { form: t('flows.open-institutions.title'), district: shibei }));
    const status = await h.say('/status 市北区', STAFF);
    // 20 April 2021, 10:00 in Qingdao (the harness clock)
    const at = t('declarations.by', { name: '局里小王 (test:boss)', at: `${t === zh ? '2021年4月20日' : '20 April 2021'} 10:00` });
    expect(status.text).toContain(at);
  });
});
