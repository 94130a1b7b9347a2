/**
 * The language of the replies, through the real engine on SQLite: /lang switches and pins it, the
 * platform's hint sets it for a new user, the guess from what a user types follows clear signs only
 * (never a short first word or a Chinese venue name inside a form), and even a conflict is reported
 * in the user's language.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { createHarness, sessionOf, translate, type Harness } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
const FORM = zh('flows.key-project.title');
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

describe('language', () => {
  it('/lang en switches the replies to English, /lang zh back', async () => {
    const h = harness();
    expect((await h.say('/help')).text).toContain('可用命令');
    expect((await h.say('/lang en')).text).toBe(en('menu.lang_set'));
    const started = await h.say('/file key-project');
    expect(started.text).toContain(en('flows.key-project.intro'));
    expect(started.text).toContain(en('flows.key-project.fields.district.label'));
    const next = await h.say('Shinan');
    expect(next.text).toContain(en('flows.key-project.fields.projectName.label'));
    expect(next.text).not.toContain('项目名称');
    expect((await sessionOf(h))?.locale).toBe('en');

    expect((await h.say('/lang zh')).text).toBe(zh('menu.lang_set'));
    expect((await h.say('/file key-project')).text).toContain(zh('flow.resumed', { form: FORM }));
  });

  it('/lang pins the language over any guess', async () => {
    const h = harness();
    await h.say('/lang en');
    expect((await h.say('请问截止时间是哪天？')).text).toMatch(/by 30 April 2021/);
  });

  it('explains the usage of an unknown language', async () => {
    const h = harness();
    expect((await h.say('/lang fr')).text).toBe(zh('menu.lang_usage'));
    // An unknown language pins nothing: the reply language is still the default, not chosen.
    expect((await sessionOf(h))?.locale).toBeUndefined();
    expect((await h.say('/help')).text).toContain(zh('help.title'));
  });

  it('follows the platform’s language hint for a new user', async () => {
    const h = harness();
    expect((await h.say('/file key-project', { localeHint: 'en-GB' })).text).toContain(en('flows.key-project.intro'));
  });

  it('a short first word does not settle the language; a clear Chinese question later switches it', async () => {
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

  it('a conflict that persists is reported in the user’s language', async () => {
    const conflicting = (store: Store): Store => ({ ...store, commit: () => Promise.resolve({ ok: false, conflict: 'session' }) });
    const h = harness({ wrapStore: conflicting });
    expect((await h.say('/help', { localeHint: 'en' })).text).toBe(en('errors.conflict'));
  });
});
