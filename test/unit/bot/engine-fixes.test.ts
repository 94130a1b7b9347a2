/**
 * Regressions found in review of the engine: an edit that lost a race ends cleanly, replies follow
 * the user's language even on a conflict, the language guess follows clear signs, and delivery ids
 * are deduplicated per platform.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { createHarness, submitKeyProject, translate, type Harness } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
let open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.cleanup()));
  open = [];
});

function harness(options: Parameters<typeof createHarness>[0] = {}): Harness {
  const h = createHarness(options);
  open.push(h);
  return h;
}

describe('editing the same filing from two chats', () => {
  it('in two private chats, the later submit is told the filing changed elsewhere, and the draft ends', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const chatA = { chatId: 'private-a' };
    const chatB = { chatId: 'private-b' };
    await h.say(`/edit ${receipt}`, chatA);
    await h.say(`/edit ${receipt}`, chatB);
    await h.say('修改 2', chatB);
    await h.say('B 的名称', chatB);
    expect((await h.say('提交', chatB)).text).toContain(zh('filings.receipt', { receipt }));
    await h.say('修改 2', chatA);
    await h.say('A 的名称', chatA);
    const late = await h.say('提交', chatA);
    expect(late.text).toContain(zh('filings.changed_elsewhere'));
    expect(late.text).not.toContain(zh('errors.conflict'));
    const filing = await h.store.getFiling(receipt);
    expect(filing?.values['projectName']).toBe('B 的名称');
    expect(filing?.version).toBe(2);
    // The draft in chat A is gone: the next message is not an answer to it.
    expect((await h.say('/cancel', chatA)).text).toBe(zh('flow.nothing_to_cancel'));
  });
});

describe('language', () => {
  it('a conflict that persists is reported in the user’s language', async () => {
    const conflicting = (store: Store): Store => ({ ...store, commit: () => Promise.resolve({ ok: false, conflict: 'session' }) });
    const h = harness({ wrapStore: conflicting });
    expect((await h.say('/help', { localeHint: 'en' })).text).toBe(en('errors.conflict'));
  });

  it('a short first word does not fix the language; a clear Chinese question later switches it', async () => {
    const h = harness();
    await h.say('ok');
    const chinese = await h.say('请问截止时间是哪天？');
    expect(chinese.text).toContain('2021年4月30日');
    const english = await h.say('When is the deadline please?');
    expect(english.text).toMatch(/by 30 April 2021/);
  });

  it('inside a form the guess does not flip on a Chinese venue name', async () => {
    const h = harness();
    await h.say('I would like to file a form');
    await h.say('/file key-project');
    const answer = await h.say('Shinan');
    expect(answer.text).toContain(en('flows.key-project.fields.projectName.prompt'));
    const venue = await h.say('青岛海洋科普嘉年华');
    expect(venue.text).toContain(en('flows.key-project.fields.organizer.prompt'));
  });

  it('/lang pins the language over any guess', async () => {
    const h = harness();
    await h.say('/lang en');
    expect((await h.say('请问截止时间是哪天？')).text).toMatch(/by 30 April 2021/);
  });
});

describe('dedupe', () => {
  it('drops a repeated delivery id on one platform, not the same id from another platform', async () => {
    const h = harness();
    const first = await h.handle(h.inbound({ text: '/help' }, { deliveryId: 'same-1' }));
    const again = await h.handle(h.inbound({ text: '/help' }, { deliveryId: 'same-1' }));
    const otherPlatform = await h.handle({ ...h.inbound({ text: '/help' }, { deliveryId: 'same-1' }), platform: 'other' });
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual([]);
    expect(otherPlatform.length).toBeGreaterThan(0);
  });
});

describe('buttons of an earlier draft', () => {
  it('an old summary’s 提交 does not submit the next draft', async () => {
    const h = harness();
    const { KEY_PROJECT_ANSWERS } = await import('../../support/engine-harness.js');
    await h.say('/file key-project');
    let last = await h.say(KEY_PROJECT_ANSWERS[0] ?? '');
    for (const answer of KEY_PROJECT_ANSWERS.slice(1)) last = await h.say(answer);
    const oldSubmit = last.buttons.find((b) => b.label === zh('flow.nav.submit'))?.payload ?? '';
    expect(oldSubmit).not.toBe('');
    await h.say('提交');
    await h.say('/file key-project');
    for (const answer of KEY_PROJECT_ANSWERS) await h.say(answer);
    const pressed = await h.press(oldSubmit);
    expect(pressed.text).toContain(zh('flow.stale_button'));
    expect(pressed.text).not.toContain('回执号');
    const filings = await h.store.listFilings({ eventId: 'qingdao-2021', ownerKey: 'test:u1' });
    expect(filings).toHaveLength(1);
  });

  it('a district button of another form does not fill the current one', async () => {
    const h = harness();
    const keyProject = await h.say('/file key-project');
    const shibei = keyProject.buttons.find((b) => b.label === '市北区')?.payload ?? '';
    await h.say('/cancel');
    await h.say('/file exhibitor');
    const pressed = await h.press(shibei);
    expect(pressed.text).toContain(zh('flow.stale_button'));
    expect(pressed.text).toContain('（1/8）');
  });

  it('a button pressed when no form is open says it expired and shows the menu', async () => {
    const h = harness();
    const started = await h.say('/file key-project');
    const shinan = started.buttons.find((b) => b.label === '市南区')?.payload ?? '';
    await h.say('/cancel');
    const pressed = await h.press(shinan);
    expect(pressed.text).toContain(zh('flow.stale_no_draft'));
    expect(pressed.buttons.map((b) => b.payload)).toContain('/file');
  });
});

describe('receipts', () => {
  it('shows the day of filing in Shanghai time, and finds a receipt typed with a space inside', async () => {
    const h = harness({ now: new Date('2021-04-20T07:30:00+08:00') });
    const receipt = await submitKeyProject(h);
    const spaced = `${receipt.slice(0, 7)} ${receipt.slice(7)}`;
    const shown = await h.say(`/receipt ${spaced}`);
    expect(shown.text).toContain(zh('filings.state_submitted', { at: '2021-04-20' }));
    expect(shown.text).toContain(zh('filings.receipt', { receipt }));
  });
});
