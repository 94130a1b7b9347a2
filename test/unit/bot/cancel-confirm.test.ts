/**
 * 取消 with something to lose, through the real engine on the SQLite store: a draft with answers, or
 * at its summary, asks 确认放弃 / 继续填写 first (typed, pressed, or as /cancel); an empty draft is
 * dropped at once; any other message drops the question and is handled as usual. zh-CN and en.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, fillKeyProject, sessionOf, translate, type Harness } from '../../support/engine-harness.js';

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

function harness(): Harness {
  const h = createHarness();
  harnesses.push(h);
  return h;
}

describe.each([
  { locale: 'zh-CN', t: translate('zh-CN'), setup: [] as string[], cancel: '取消', keep: '继续填写', other: '否' },
  { locale: 'en', t: translate('en'), setup: ['/lang en'], cancel: 'cancel', keep: 'keep filling in', other: 'no' },
])('取消 asks first ($locale)', ({ t, setup, cancel, keep, other }) => {
  async function start(h: Harness): Promise<void> {
    for (const line of setup) await h.say(line);
  }

  it('an empty draft is cancelled at once', async () => {
    const h = harness();
    await start(h);
    await h.say('/file key-project');
    expect((await h.say(cancel)).text).toContain(t('flow.cancelled'));
    expect((await sessionOf(h))?.flow).toBeUndefined();
  });

  it('a draft with answers asks; 继续填写 keeps it as it was, 确认放弃 drops it', async () => {
    const h = harness();
    await start(h);
    await h.say('/file key-project');
    await h.say('市南');
    await h.say('青岛海洋科普嘉年华');
    const before = (await sessionOf(h))?.flow;
    const asked = await h.say(cancel);
    expect(asked.text).toContain(t('flow.discard.question', { count: 2 }));
    expect(asked.buttons.map((b) => b.label)).toEqual([t('flow.discard.yes'), t('flow.discard.no')]);
    expect((await sessionOf(h))?.flow?.values).toEqual(before?.values);

    const kept = await h.say(keep);
    expect(kept.text).toContain(t('flow.discard.kept'));
    expect(kept.text).toContain(t('flows.key-project.fields.organizer.label'));
    expect((await sessionOf(h))?.flow).toEqual(before);

    // The same with the typed "no", and then /cancel and the pressed 确认放弃.
    await h.say(cancel);
    expect((await h.say(other)).text).toContain(t('flow.discard.kept'));
    const again = await h.say('/cancel');
    expect(again.text).toContain(t('flow.discard.question', { count: 2 }));
    expect((await h.press(again.buttons[0]?.payload ?? '')).text).toContain(t('flow.cancelled'));
    expect((await sessionOf(h))?.flow).toBeUndefined();
  });

  it('at the summary it asks too, and an answer of the form instead drops the question', async () => {
    const h = harness();
    await start(h);
    await fillKeyProject(h);
    const asked = await h.say(cancel);
    expect(asked.text).toContain(t('flow.discard.question', { count: 16 }));
    // 修改 2 is not an answer to the question: it is the summary's edit, and the draft stays.
    const editing = await h.say('修改 2');
    expect(editing.text).toContain(t('flows.key-project.fields.projectName.label'));
    expect((await sessionOf(h))?.flow?.discarding).toBeUndefined();
    // A stale 确认放弃 button pressed later does nothing.
    expect((await h.press(asked.buttons[0]?.payload ?? '')).text).toContain(t('flow.stale_button'));
    expect((await sessionOf(h))?.flow?.values.projectName).toBe('青岛海洋科普嘉年华');
  });
});
