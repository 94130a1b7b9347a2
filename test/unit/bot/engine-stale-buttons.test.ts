/**
 * Buttons of an earlier draft, pressed later, through the real engine on SQLite: an old summary's
 * 提交 does not submit the next draft, a district button of another form does not fill the current
 * one, and a button pressed with no form open says it expired and shows the menu.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_PROJECT_ANSWERS, createHarness, translate, type Harness } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
let open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.cleanup()));
  open = [];
});

function harness(): Harness {
  const h = createHarness();
  open.push(h);
  return h;
}

describe('buttons of an earlier draft', () => {
  it('an old summary’s 提交 does not submit the next draft', async () => {
    const h = harness();
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
