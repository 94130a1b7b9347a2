/**
 * Questions asked in the middle of a form, through the real engine on SQLite: a question at a field
 * (also inside a row of 附件3 and at a files field) is answered and the same field asked again, the
 * draft untouched; a message that could be the field's value is held and two buttons ask which it
 * is; `/ask` with a draft open takes the next message as a question. Typed yes/no words answer
 * `/withdraw`'s confirmation, and every navigation button's label typed is read as the button.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseNavWord, type NavCommand } from '../../../src/flow/navigation.js';
import { EXHIBITOR_ANSWERS, KEY_PROJECT_ANSWERS, SUMMARY_TEXT, createHarness, sessionOf, submitKeyProject, translate, type Harness, type Sender } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');

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

async function draftOf(h: Harness) {
  const draft = (await sessionOf(h))?.flow;
  if (draft === undefined) throw new Error('no draft');
  return draft;
}

describe('a question at a field (zh-CN)', () => {
  it('answers 截止日期是哪天？ at 项目名称 and asks 项目名称 again, storing nothing', async () => {
    const h = harness();
    await h.say('/file key-project');
    await h.say('市南');
    const turn = await h.say('截止日期是哪天？');
    expect(turn.text).toContain('2021年4月30日');
    expect(turn.text.trimEnd().endsWith(zh('flows.key-project.fields.projectName.prompt'))).toBe(true);
    const draft = await draftOf(h);
    expect(draft.values.projectName).toBeUndefined();
    expect(draft.cursor).toEqual({ kind: 'field', fieldId: 'projectName' });
  });

  it('holds a message that could be the name, and stores it when the user says it is the value', async () => {
    const h = harness();
    await h.say('/file key-project');
    await h.say('市南');
    const asked = await h.say('谁是最可爱的人？');
    expect(asked.text).toContain(zh('flow.asked.which', { text: '谁是最可爱的人？' }));
    expect(asked.buttons.map((b) => b.label)).toEqual([zh('flow.asked.is_question'), zh('flow.asked.is_value')]);
    expect((await draftOf(h)).values.projectName).toBeUndefined();
    const stored = await h.press(asked.buttons[1]?.payload ?? '');
    expect(stored.text).toContain(zh('flows.key-project.fields.organizer.prompt'));
    expect((await draftOf(h)).values.projectName).toBe('谁是最可爱的人？');
    expect((await sessionOf(h))?.held).toBeUndefined();
  });

  it('holds a description ending with a question mark at 项目简介 instead of answering it', async () => {
    const h = harness();
    await h.say('/file key-project');
    for (const answer of KEY_PROJECT_ANSWERS.slice(0, -1)) await h.say(answer);
    const description = `${SUMMARY_TEXT}你知道报送截止日期是哪天吗？`;
    const asked = await h.say(description);
    expect(asked.text).toContain(zh('flow.asked.which', { text: description }));
    expect(asked.text).not.toContain('2021年4月30日');
    await h.press(asked.buttons[1]?.payload ?? '');
    expect((await draftOf(h)).values.summary).toBe(description);
  });

  it('answers the held message when the user says it is a question; a button of a moved-on step is stale', async () => {
    const h = harness();
    await h.say('/file key-project');
    await h.say('市南');
    const asked = await h.say('谁是最可爱的人？');
    const answered = await h.press(asked.buttons[0]?.payload ?? '');
    expect(answered.text).toContain(zh('qa.unknown'));
    expect(answered.text.trimEnd().endsWith(zh('flows.key-project.fields.projectName.prompt'))).toBe(true);
    expect((await draftOf(h)).values.projectName).toBeUndefined();
    // Pressed again after the name was given: the step has moved on, nothing is stored.
    await h.say('青岛海洋科普嘉年华');
    const stale = await h.press(asked.buttons[1]?.payload ?? '');
    expect(stale.text).toContain(zh('flow.stale_button'));
    expect((await draftOf(h)).values.projectName).toBe('青岛海洋科普嘉年华');
    expect((await draftOf(h)).values.organizer).toBeUndefined();
  });

  it('after /start → 问问题 with a draft open, the next message is answered, not saved', async () => {
    const h = harness();
    await h.say('/file key-project');
    await h.say('市南');
    await h.say('青岛海洋科普嘉年华');
    await h.say('/start');
    expect((await h.press('/ask')).text).toContain(zh('qa.ask_prompt'));
    const turn = await h.say('报送邮箱');
    expect(turn.text).toContain('kjjrencaichu@qd.shandong.cn');
    expect(turn.text.trimEnd().endsWith(zh('flows.key-project.fields.organizer.prompt'))).toBe(true);
    expect((await draftOf(h)).values.organizer).toBeUndefined();
    // Only the one message: the next is the answer again.
    await h.say('青岛市科学技术协会');
    expect((await draftOf(h)).values.organizer).toBe('青岛市科学技术协会');
  });

  it('answers inside a row of 附件3 and at a files field, keeping the row and the files step', async () => {
    const h = harness();
    await h.say('/file open-institutions');
    await h.say('市南');
    await h.say('青岛市科学技术局');
    const before = await draftOf(h);
    expect(before.cursor).toMatchObject({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'unitName' });
    const inRow = await h.say('截止日期是哪天？');
    expect(inRow.text).toContain('2021年4月30日');
    expect((await draftOf(h)).cursor).toEqual(before.cursor);
    expect((await draftOf(h)).values.institutions).toEqual(before.values.institutions);
    // A draft with answers is dropped only once the user says so.
    await h.say('/cancel');
    await h.say('是');
    expect((await sessionOf(h))?.flow).toBeUndefined();
    await h.say('/file exhibitor');
    for (const answer of EXHIBITOR_ANSWERS) await h.say(answer);
    const atPhotos = await h.say('截止日期是哪天？');
    expect(atPhotos.text).toContain('2021年4月30日');
    expect(atPhotos.text.trimEnd().endsWith(zh('flows.exhibitor.fields.photos.prompt'))).toBe(true);
    expect((await draftOf(h)).cursor).toEqual({ kind: 'field', fieldId: 'photos' });
  });
});

describe('a question at a field (en)', () => {
  it('answers the deadline question and asks the project name again; holds an ambiguous one', async () => {
    const h = harness();
    await h.say('/lang en');
    await h.say('/file key-project');
    await h.say('Shinan');
    const turn = await h.say('When is the deadline?');
    expect(turn.text).toContain('30 April 2021');
    expect(turn.text.trimEnd().endsWith(en('flows.key-project.fields.projectName.prompt'))).toBe(true);
    expect((await draftOf(h)).values.projectName).toBeUndefined();
    const asked = await h.say('Who is the cutest person?');
    expect(asked.text).toContain(en('flow.asked.which', { text: 'Who is the cutest person?' }));
    expect(asked.buttons.map((b) => b.label)).toEqual([en('flow.asked.is_question'), en('flow.asked.is_value')]);
    await h.press(asked.buttons[1]?.payload ?? '');
    expect((await draftOf(h)).values.projectName).toBe('Who is the cutest person?');
  });
});

describe('typed confirmations', () => {
  it.each([
    ['确定', 'zh-CN'],
    ['好', 'zh-CN'],
    ['对', 'zh-CN'],
    ['是', 'zh-CN'],
    ['yes', 'en'],
    ['OK', 'en'],
  ] as const)('%s confirms /withdraw', async (word, locale) => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    if (locale === 'en') await h.say('/lang en');
    const t = translate(locale);
    const asked = await h.say(`/withdraw ${receipt}`);
    expect(asked.text).toContain(t('filings.withdraw_confirm', { receipt, title: '青岛海洋科普嘉年华' }));
    const done = await h.say(word);
    expect(done.text).toContain(t('filings.withdrawn', { receipt, title: '青岛海洋科普嘉年华' }));
    expect((await h.store.getFiling(receipt))?.status).toBe('withdrawn');
  });

  it.each(['否', '不', '取消', 'no'])('%s declines /withdraw; a yes after another message does nothing', async (word) => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    await h.say(`/withdraw ${receipt}`);
    const declined = await h.say(word);
    expect(declined.text).not.toContain(zh('filings.withdrawn', { receipt, title: '青岛海洋科普嘉年华' }));
    await h.say('是');
    expect((await h.store.getFiling(receipt))?.status).toBe('submitted');
  });

  it('works the same in a Slack DM: a question at a field, then withdraw confirmed by typing yes', async () => {
    const h = harness();
    const dm: Sender = { platform: 'slack', userId: 'U1', chatId: 'D1', localeHint: 'zh-CN' };
    await h.say('/file key-project', dm);
    await h.say('市南', dm);
    const turn = await h.say('截止日期是哪天？', dm);
    expect(turn.text).toContain('2021年4月30日');
    expect(turn.text.trimEnd().endsWith(zh('flows.key-project.fields.projectName.prompt'))).toBe(true);
    const other: Sender = { ...dm, userId: 'U2', chatId: 'D2' };
    const receipt = await submitKeyProject(h, other);
    await h.say(`withdraw ${receipt}`, other);
    expect((await h.say('yes', other)).text).toContain(zh('filings.withdrawn', { receipt, title: '青岛海洋科普嘉年华' }));
    expect((await h.store.getFiling(receipt))?.status).toBe('withdrawn');
  });

  it('reads every navigation button label, typed, as its button in both languages', () => {
    const kinds: Record<string, NavCommand['kind']> = {
      back: 'back', skip: 'skip', cancel: 'cancel', help: 'help', submit: 'submit', edit: 'edit-menu',
      yes: 'yes', no: 'no', done: 'done', clear: 'clear', add_row: 'add-row',
    };
    for (const t of [zh, en]) {
      for (const [key, kind] of Object.entries(kinds)) {
        expect(parseNavWord(t(`flow.nav.${key}`))?.kind, t(`flow.nav.${key}`)).toBe(kind);
        expect(parseNavWord(t(`flow.nav.${key}`).toUpperCase())?.kind).toBe(kind);
      }
    }
    expect(parseNavWord('ＯＫ')?.kind).toBe('yes');
  });
});
