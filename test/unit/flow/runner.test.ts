/**
 * The pure flow runner on the shipped key-project form (附件2), the real event and the real locales:
 * navigation, the summary with 修改 N, submit, warnings, stale buttons and paste-all-at-once.
 */
import { describe, it, expect } from 'vitest';
import { toPlainText, type Reply } from '../../../src/domain/reply.js';
import { navPayload, pickPayload } from '../../../src/flow/navigation.js';
import { startFlow, stepFlow, type FlowInput, type FlowOutcome } from '../../../src/flow/runner.js';
import type { FlowState } from '../../../src/domain/draft.js';
import {
  KEY_PROJECT_ANSWERS,
  KEY_PROJECT_VALUES,
  SUMMARY_TEXT,
  keyProject,
  runnerContext,
  translate,
} from '../../support/engine-harness.js';

const flow = keyProject();
const ctx = runnerContext('zh-CN');
const zh = translate('zh-CN');
const FIELD_IDS = flow.fields.map((field) => field.id);

function text(value: string): FlowInput {
  return { kind: 'text', text: value };
}

function button(payload: string): FlowInput {
  return { kind: 'action', payload };
}

function plain(replies: readonly Reply[]): string {
  return replies.map((reply) => toPlainText(reply)).join('\n\n');
}

/** A step that must continue the draft. */
function step(state: FlowState, input: FlowInput): { state: FlowState; replies: Reply[]; text: string } {
  const outcome = stepFlow(flow, state, input, ctx);
  if (outcome.kind !== 'continue') throw new Error(`expected continue, got ${outcome.kind}`);
  return { state: outcome.state, replies: outcome.replies, text: plain(outcome.replies) };
}

/** Several typed answers in a row. */
function answers(state: FlowState, ...inputs: string[]): { state: FlowState; replies: Reply[]; text: string } {
  let current = { state, replies: [] as Reply[], text: '' };
  for (const input of inputs) current = step(current.state, text(input));
  return current;
}

function fresh(): FlowState {
  return startFlow(flow, ctx, { target: { kind: 'new' } }).state;
}

/** A draft whose first `count` fields are answered, asking the next one. */
function answered(count: number): FlowState {
  return answers(fresh(), ...KEY_PROJECT_ANSWERS.slice(0, count)).state;
}

function atSummary(): FlowState {
  return answered(KEY_PROJECT_ANSWERS.length);
}

function label(fieldId: string): string {
  return zh(`flows.key-project.fields.${fieldId}.label`);
}

/** How a field's question starts: `（n/16） label`. */
function asks(fieldId: string): string {
  const n = FIELD_IDS.indexOf(fieldId) + 1;
  return `${zh('flow.progress', { n, total: FIELD_IDS.length })} ${label(fieldId)}`;
}

function cursorField(state: FlowState): string | undefined {
  return state.cursor.kind === 'field' ? state.cursor.fieldId : undefined;
}

const SUMMARY_TITLE = zh('flow.summary_title', { form: zh('flows.key-project.title') });
const STALE = `✗ ${zh('flow.stale_button')}`;

describe('startFlow', () => {
  it('opens a new draft with the intro and the first field, with no back button', () => {
    const started = startFlow(flow, ctx, { target: { kind: 'new' } });
    const shown = plain(started.replies);
    expect(shown).toContain(zh('flows.key-project.intro'));
    expect(shown).toContain(asks('district'));
    expect(started.state.cursor).toEqual({ kind: 'field', fieldId: 'district' });
    const last = started.replies.at(-1);
    const payloads = last?.kind === 'choices' ? last.buttons.map((b) => b.payload) : [];
    expect(payloads).toContain(pickPayload('district', 'shinan'));
    expect(payloads).not.toContain(navPayload({ kind: 'back' }, started.state.cursor));
  });

  it('opens a filing to edit at its summary, without the intro', () => {
    const started = startFlow(flow, ctx, {
      target: { kind: 'edit', receipt: 'KP-22222222', filingVersion: 3 },
      values: { ...KEY_PROJECT_VALUES },
    });
    expect(started.state.cursor).toEqual({ kind: 'summary' });
    const shown = plain(started.replies);
    expect(shown).toContain(zh('flow.summary_title_edit', { form: zh('flows.key-project.title') }));
    expect(shown).not.toContain(zh('flows.key-project.intro'));
  });
});

describe('a linear walk', () => {
  it('asks all 16 fields in the official order and ends at the summary with every value', () => {
    let state = fresh();
    expect(flow.fields).toHaveLength(16);
    KEY_PROJECT_ANSWERS.forEach((answer, i) => {
      const fieldId = FIELD_IDS[i] ?? '';
      expect(cursorField(state)).toBe(fieldId);
      const next = step(state, text(answer));
      state = next.state;
      const following = FIELD_IDS[i + 1];
      if (following !== undefined) expect(next.text).toContain(asks(following));
      else expect(next.text).toContain(SUMMARY_TITLE);
    });
    expect(state.cursor).toEqual({ kind: 'summary' });
    expect(state.values).toEqual(KEY_PROJECT_VALUES);
    // Back walks the official order from the summary: the last field, then the one before it.
    const last = step(state, text('返回'));
    expect(cursorField(last.state)).toBe(FIELD_IDS[15]);
    expect(cursorField(step(last.state, text('返回')).state)).toBe(FIELD_IDS[14]);
  });

  it('the harness answers cover every field', () => {
    expect(Object.keys(KEY_PROJECT_VALUES)).toHaveLength(flow.fields.length);
  });

  it('shows every value, numbered, in the summary', () => {
    const shown = step(answered(15), text(SUMMARY_TEXT)).text;
    expect(shown).toContain('1. 所属区市：市南区');
    expect(shown).toContain('6. 举办时间：2021年5月22日至5月28日');
    expect(shown).toContain('11. 联系电话：0532-85911893');
    expect(shown).toContain('14. 活动经费：50000元');
    expect(shown).toContain(`16. 项目简介：${SUMMARY_TEXT}`);
    expect(shown).toContain(zh('flow.summary_help'));
  });
});

describe('back', () => {
  it('goes to the previous field, shows its value, and keeps every value', () => {
    const at3 = answered(2);
    expect(cursorField(at3)).toBe('organizer');
    const back = step(at3, text('返回'));
    expect(cursorField(back.state)).toBe('projectName');
    expect(back.text).toContain(asks('projectName'));
    expect(back.text).toContain(`${zh('flow.current_value')}${KEY_PROJECT_VALUES.projectName}`);
    expect(back.state.values).toEqual(at3.values);

    const again = step(back.state, text('back'));
    expect(cursorField(again.state)).toBe('district');
    expect(again.state.values).toEqual(at3.values);
  });

  it('accepts 上一步 and the back button, and answering again moves forward from there', () => {
    const at4 = answered(3);
    const back = step(at4, text('上一步'));
    expect(cursorField(back.state)).toBe('organizer');
    const changed = step(back.state, text('青岛市科协'));
    expect(cursorField(changed.state)).toBe('supervisor');
    expect(changed.state.values['organizer']).toBe('青岛市科协');
    expect(changed.state.values['projectName']).toBe(KEY_PROJECT_VALUES.projectName);

    const pressed = step(changed.state, button(navPayload({ kind: 'back' }, changed.state.cursor)));
    expect(cursorField(pressed.state)).toBe('organizer');
  });

  it('says so at the first field and stays there', () => {
    const start = fresh();
    const back = step(start, text('返回'));
    expect(back.text).toContain(`✗ ${zh('flow.at_first')}`);
    expect(back.text).toContain(asks('district'));
    expect(back.state).toEqual(start);
  });

  it('from the summary goes to the last field', () => {
    const back = step(atSummary(), text('返回'));
    // The last field's id is `summary` (项目简介), not the summary page.
    expect(cursorField(back.state)).toBe('summary');
    expect(back.text).toContain(asks('summary'));
    expect(back.state.values).toEqual(KEY_PROJECT_VALUES);
  });

  it('from a field opened with 修改 N returns to the summary unchanged', () => {
    const editing = step(atSummary(), text('修改 3'));
    const back = step(editing.state, text('返回'));
    expect(back.state.cursor).toEqual({ kind: 'summary' });
    expect(back.state.values).toEqual(KEY_PROJECT_VALUES);
  });
});

describe('skip', () => {
  it('skips the optional fax, which then reads as not given', () => {
    const atFax = answered(11);
    expect(cursorField(atFax)).toBe('fax');
    const skipped = step(atFax, text('跳过'));
    expect(skipped.state.values['fax']).toBeNull();
    expect(cursorField(skipped.state)).toBe('email');
    const done = answers(skipped.state, ...KEY_PROJECT_ANSWERS.slice(12));
    expect(done.state.cursor).toEqual({ kind: 'summary' });
    expect(done.text).toContain(`12. 传真：${zh('flow.not_given')}`);
  });

  it('offers a skip button only on the optional field', () => {
    const atFax = answered(11);
    const faxPrompt = step(atFax, text('帮助')).replies.at(-1);
    const faxPayloads = faxPrompt?.kind === 'choices' ? faxPrompt.buttons.map((b) => b.payload) : [];
    expect(faxPayloads).toContain(navPayload({ kind: 'skip' }, atFax.cursor));
    const skipped = step(atFax, button(navPayload({ kind: 'skip' }, atFax.cursor)));
    expect(skipped.state.values['fax']).toBeNull();

    const atPhone = answered(10);
    const phonePrompt = step(atPhone, text('帮助')).replies.at(-1);
    const phonePayloads = phonePrompt?.kind === 'choices' ? phonePrompt.buttons.map((b) => b.payload) : [];
    expect(phonePayloads).not.toContain(navPayload({ kind: 'skip' }, atPhone.cursor));
  });

  it.each(['跳过', 'skip', '无', 'n/a'])('refuses %s on a required field, with the reason', (word) => {
    const atPhone = answered(10);
    const refused = step(atPhone, text(word));
    expect(refused.text).toContain(`✗ ${zh('flow.required')}`);
    expect(refused.text).toContain(asks('phone'));
    expect(refused.state).toEqual(atPhone);
  });

  it('refuses a skip button on a required field', () => {
    const atName = answered(1);
    const refused = step(atName, button(navPayload({ kind: 'skip' }, atName.cursor)));
    expect(refused.text).toContain(`✗ ${zh('flow.required')}`);
    expect(refused.state).toEqual(atName);
  });
});

describe('cancel and help', () => {
  it.each(['取消', 'cancel', '/cancel', '退出'])('%s asks first when the draft has answers; 确认放弃 then cancels it', (word) => {
    const asked = step(answered(5), text(word));
    expect(asked.text).toContain(zh('flow.discard.question', { count: 5 }));
    const outcome = stepFlow(flow, asked.state, text('确认放弃'), ctx);
    expect(outcome.kind).toBe('cancelled');
    if (outcome.kind === 'cancelled') expect(plain(outcome.replies)).toContain(zh('flow.cancelled'));
  });

  it('cancels from the summary with its button, after 确认放弃', () => {
    const asked = step(atSummary(), button(navPayload({ kind: 'cancel' }, { kind: 'summary' })));
    const yes = asked.replies.flatMap((r) => (r.kind === 'choices' ? r.buttons : [])).find((b) => b.label === zh('flow.discard.yes'));
    expect(stepFlow(flow, asked.state, button(yes?.payload ?? ''), ctx).kind).toBe('cancelled');
  });

  it('shows the field hint, the general help and the question again', () => {
    const atPeriod = answered(5);
    const help = step(atPeriod, text('帮助'));
    expect(help.text).toContain(zh('flows.key-project.fields.period.hint'));
    expect(help.text).toContain(zh('flow.help'));
    expect(help.text).toContain(asks('period'));
    expect(help.state).toEqual(atPeriod);

    const english = step(answered(10), text('help'));
    expect(english.text).toContain(zh('flows.key-project.fields.phone.hint'));
  });

  it('shows only the general help on a field without a hint', () => {
    const help = step(answered(1), text('？'));
    expect(help.text).toContain(zh('flow.help'));
    expect(help.text).not.toContain('flows.key-project.fields.projectName.hint');
    expect(help.text).toContain(asks('projectName'));
  });
});

describe('the summary', () => {
  it.each(['修改 3', 'edit 3', '修改第3项', '修改３', 'EDIT 3.'])('%s asks field 3 with its current value, and the answer returns to the summary', (word) => {
    const summary = atSummary();
    const editing = step(summary, text(word));
    expect(cursorField(editing.state)).toBe('organizer');
    expect(editing.text).toContain(asks('organizer'));
    expect(editing.text).toContain(`${zh('flow.current_value')}${KEY_PROJECT_VALUES.organizer}`);

    const answered3 = step(editing.state, text('青岛市科协'));
    expect(answered3.state.cursor).toEqual({ kind: 'summary' });
    expect(answered3.text).toContain(SUMMARY_TITLE);
    expect(answered3.text).not.toContain(asks('supervisor'));
    expect(answered3.text).toContain('3. 主办单位：青岛市科协');
    expect(answered3.state.values).toEqual({ ...KEY_PROJECT_VALUES, organizer: '青岛市科协' });
  });

  it('re-asks an invalid answer to 修改 N and still returns to the summary after', () => {
    const editing = step(atSummary(), text('修改 11'));
    const refused = step(editing.state, text('12345'));
    expect(cursorField(refused.state)).toBe('phone');
    expect(refused.text).toContain(`✗ ${zh('errors.phone.invalid')}`);
    const fixed = step(refused.state, text('13800138000'));
    expect(fixed.state.cursor).toEqual({ kind: 'summary' });
    expect(fixed.state.values['phone']).toBe('13800138000');
  });

  it.each(['修改 99', '修改 0', 'edit 17'])('%s is refused with the reason', (word) => {
    const summary = atSummary();
    const refused = step(summary, text(word));
    expect(refused.text).toContain(`✗ ${zh('flow.no_such_item', { max: 16 })}`);
    expect(refused.text).toContain(SUMMARY_TITLE);
    expect(refused.state).toEqual(summary);
  });

  it('explains what it expects when given something else', () => {
    const summary = atSummary();
    const refused = step(summary, text('随便说点什么'));
    expect(refused.text).toContain(`✗ ${zh('flow.summary_expects')}`);
    expect(refused.state).toEqual(summary);
  });

  it('offers an edit menu whose buttons open the field', () => {
    const summary = atSummary();
    const menu = step(summary, button(navPayload({ kind: 'edit-menu' }, { kind: 'summary' })));
    expect(menu.text).toContain(zh('flow.edit_which'));
    const last = menu.replies.at(-1);
    const buttons = last?.kind === 'choices' ? last.buttons : [];
    expect(buttons).toHaveLength(16);
    expect(buttons[2]?.label).toBe('3. 主办单位');
    const typed = step(summary, text('修改'));
    expect(typed.text).toContain(zh('flow.edit_which'));

    const picked = step(menu.state, button(buttons[2]?.payload ?? ''));
    expect(cursorField(picked.state)).toBe('organizer');
    expect(picked.state.fromSummary).toBe(true);
  });

  it.each(['提交', 'submit', '确认提交', '提交。'])('%s submits all values', (word) => {
    const outcome = stepFlow(flow, atSummary(), text(word), ctx);
    expect(outcome.kind).toBe('submit');
    if (outcome.kind === 'submit') expect(outcome.values).toEqual(KEY_PROJECT_VALUES);
  });

  it('submits with the summary button', () => {
    const outcome = stepFlow(flow, atSummary(), button(navPayload({ kind: 'submit' }, { kind: 'summary' })), ctx);
    expect(outcome.kind).toBe('submit');
  });

  it('does not submit before the summary', () => {
    const atPhone = answered(10);
    const typed = stepFlow(flow, atPhone, text('提交'), ctx);
    expect(typed.kind).toBe('continue');
    const pressed = stepFlow(flow, atPhone, button(navPayload({ kind: 'submit' }, { kind: 'summary' })), ctx);
    expect(pressed.kind).toBe('continue');
    if (pressed.kind === 'continue') {
      expect(plain(pressed.replies)).toContain(STALE);
      expect(pressed.state).toEqual(atPhone);
    }
  });

  it('asks for a missing required field instead of submitting', () => {
    const { organizer: _left, ...partial } = KEY_PROJECT_VALUES;
    const state: FlowState = { ...atSummary(), values: partial };
    const outcome = step(state, text('提交'));
    expect(outcome.text).toContain(zh('flow.missing_before_submit'));
    expect(cursorField(outcome.state)).toBe('organizer');
  });
});

describe('a date outside the week', () => {
  function outside(): FlowState {
    const asked = step(answered(5), text('6月1日'));
    expect(asked.state.cursor.kind).toBe('confirm');
    expect(asked.text).toContain(zh('warnings.outside_week', { week: '2021年5月22日至5月28日' }));
    expect(asked.text).toContain(zh('flow.confirm_warning', { label: label('period') }));
    expect(asked.state.values['period']).toBeUndefined();
    return asked.state;
  }

  it('is kept after 是', () => {
    const kept = step(outside(), text('是'));
    expect(kept.state.values['period']).toEqual({ start: '2021-06-01', end: '2021-06-01' });
    expect(cursorField(kept.state)).toBe('projectLead');
  });

  it('is asked again after 否', () => {
    const again = step(outside(), text('否'));
    expect(cursorField(again.state)).toBe('period');
    expect(again.state.values['period']).toBeUndefined();
    expect(again.text).toContain(asks('period'));
  });

  it('is confirmed with the yes button, and the no button re-asks', () => {
    const state = outside();
    const yes = step(state, button(navPayload({ kind: 'yes' }, state.cursor)));
    expect(yes.state.values['period']).toEqual({ start: '2021-06-01', end: '2021-06-01' });
    const no = step(state, button(navPayload({ kind: 'no' }, state.cursor)));
    expect(cursorField(no.state)).toBe('period');
  });

  it('from 修改 N returns to the summary once confirmed', () => {
    const editing = step(atSummary(), text('修改 6'));
    const asked = step(editing.state, text('2021年6月1日'));
    expect(asked.state.cursor.kind).toBe('confirm');
    const kept = step(asked.state, text('是'));
    expect(kept.state.cursor).toEqual({ kind: 'summary' });
    expect(kept.state.values['period']).toEqual({ start: '2021-06-01', end: '2021-06-01' });
  });

  it('inside the week is taken without asking', () => {
    const taken = step(answered(5), text('5月23日'));
    expect(cursorField(taken.state)).toBe('projectLead');
    expect(taken.state.values['period']).toEqual({ start: '2021-05-23', end: '2021-05-23' });
  });
});

describe('stale and garbage buttons', () => {
  const atOrganizer = answered(2);
  const earlier = answered(1);
  const cases: [string, string][] = [
    ['a pick for another field', pickPayload('district', 'shinan')],
    ['a pick for an unknown field', pickPayload('nowhere', 'x')],
    ['a back button from an earlier step', navPayload({ kind: 'back' }, earlier.cursor)],
    ['a cancel button from an earlier step', navPayload({ kind: 'cancel' }, earlier.cursor)],
    ['a submit button from the summary', navPayload({ kind: 'submit' }, { kind: 'summary' })],
    ['an edit button from the summary', navPayload({ kind: 'edit', index: 2 }, { kind: 'summary' })],
    ['a yes from a confirm step', navPayload({ kind: 'yes' }, { kind: 'confirm', fieldId: 'period', value: null, warning: '' })],
    ['an empty payload', ''],
    ['an unknown verb', 'nav:explode:f.organizer'],
    ['a verb with a number it does not take', 'nav:back.3:f.organizer'],
    ['edit without a number', 'nav:edit:s'],
    ['half a payload', 'nav:'],
    ['a pick with no value', 'pick:organizer:'],
    ['control characters', '\u0000\u0001nav:back:f.organizer'],
    ['a long payload', `nav:back:${'f'.repeat(500)}`],
    ['a command-like payload', 'drop table filings'],
  ];

  it.each(cases)('%s gets the stale message and the current question, and changes nothing', (_name, payload) => {
    const outcome = step(atOrganizer, button(payload));
    expect(outcome.text).toContain(STALE);
    expect(outcome.text).toContain(asks('organizer'));
    expect(outcome.state).toEqual(atOrganizer);
  });

  it('a fresh button still works', () => {
    const outcome = step(atOrganizer, button(navPayload({ kind: 'back' }, atOrganizer.cursor)));
    expect(cursorField(outcome.state)).toBe('projectName');
  });

  it('a district pick on the district field answers it', () => {
    const outcome = step(fresh(), button(pickPayload('district', 'laoshan')));
    expect(outcome.state.values['district']).toBe('laoshan');
    expect(cursorField(outcome.state)).toBe('projectName');
  });
});

describe('empty input', () => {
  it.each(['', '   ', '\u200b', '\n\n'])('%j is refused with the reason and asks again', (input) => {
    const at = answered(3);
    const outcome = step(at, text(input));
    expect(outcome.text).toContain(`✗ ${zh('flow.empty_input')}`);
    expect(outcome.state).toEqual(at);
  });
});

/** The official column titles, with the Word table's spacing and full-width colons. */
const FULL_PASTE = [
  '所属区市：市南区',
  '项目名称：青岛海洋科普嘉年华',
  '主办单位：青岛市科学技术协会',
  '主管部门：青岛市科学技术局',
  '举办地点：青岛市市南区五四广场',
  '举办时间：5月22日-28日',
  '项目负责人：张三',
  '联 系 人：李四',
  '地    址：青岛市香港中路11号',
  '邮政编码：266071',
  '联系电话：0532-85911893',
  '传    真：0532-85911894',
  '电子邮箱：kp@example.cn',
  '活动经费：5万元',
  '拟参加人数：约300人',
  '项目简介：活动面向青少年开放。内容包括海洋科普展览、科学家讲座和互动实验。',
  '参加人员为中小学生及家长。',
  '通过报纸、公众号和短视频宣传。',
].join('\n');

const PASTED_SUMMARY = '活动面向青少年开放。内容包括海洋科普展览、科学家讲座和互动实验。\n参加人员为中小学生及家长。\n通过报纸、公众号和短视频宣传。';

describe('paste-all-at-once', () => {
  it('one message with every field goes straight to the summary with every value right', () => {
    const outcome = step(fresh(), text(FULL_PASTE));
    expect(outcome.state.cursor).toEqual({ kind: 'summary' });
    expect(outcome.text).toContain(zh('flow.paste_filled', { count: 16 }));
    expect(outcome.text).toContain(SUMMARY_TITLE);
    expect(outcome.text).not.toContain('✗');
    expect(outcome.state.values).toEqual({ ...KEY_PROJECT_VALUES, summary: PASTED_SUMMARY });
  });

  it('also works pasted while a later field is asked, and with a 1. numbering', () => {
    const numbered = FULL_PASTE.split('\n')
      .map((line, i) => (i < 15 ? `${i + 1}.${line}` : line))
      .join('\n');
    const outcome = step(answered(4), text(numbered));
    expect(outcome.state.cursor).toEqual({ kind: 'summary' });
    expect(outcome.state.values).toEqual({ ...KEY_PROJECT_VALUES, summary: PASTED_SUMMARY });
  });

  it('takes tab-separated pairs, several a line, as copied from the Word table', () => {
    const pasted = ['主办单位\t青岛市科协\t主管部门\t青岛市科技局', '举办地点\t五四广场\t邮政编码\t266071', '联 系 人\t李四\t联系电话\t13800138000'].join('\n');
    const outcome = step(fresh(), text(pasted));
    expect(outcome.state.values).toEqual({
      organizer: '青岛市科协',
      supervisor: '青岛市科技局',
      venue: '五四广场',
      postalCode: '266071',
      contactPerson: '李四',
      phone: '13800138000',
    });
    expect(outcome.text).toContain(zh('flow.paste_filled', { count: 6 }));
    expect(cursorField(outcome.state)).toBe('district');
  });

  it('reports each invalid value with its reason, keeps the valid ones and asks the first invalid field', () => {
    const pasted = ['项目名称：好项目', '邮政编码：26607', '联系电话：12345', '电子邮箱：a@b', '主办单位：青岛市科协', '拟参加人数：0'].join('\n');
    const outcome = step(fresh(), text(pasted));
    expect(outcome.state.values).toEqual({ projectName: '好项目', organizer: '青岛市科协' });
    expect(outcome.text).toContain(zh('flow.paste_filled', { count: 2 }));
    expect(outcome.text).toContain(`✗ 邮政编码：${zh('errors.postal.invalid')}`);
    expect(outcome.text).toContain(`✗ 联系电话：${zh('errors.phone.invalid')}`);
    expect(outcome.text).toContain(`✗ 电子邮箱：${zh('errors.email.invalid')}`);
    expect(outcome.text).toContain(`✗ 拟参加人数：${zh('errors.integer.too_small', { min: 1 })}`);
    expect(outcome.text).not.toMatch(/errors\.\w+\./);
    expect(cursorField(outcome.state)).toBe('postalCode');
    expect(outcome.text).toContain(asks('postalCode'));
  });

  it('warns about a pasted date outside the week but keeps it', () => {
    const outcome = step(fresh(), text('项目名称：好项目\n举办时间：6月1日'));
    expect(outcome.state.values['period']).toEqual({ start: '2021-06-01', end: '2021-06-01' });
    expect(outcome.text).toContain(`⚠ 举办时间：${zh('warnings.outside_week', { week: '2021年5月22日至5月28日' })}`);
  });

  it('a single label：value line answers that field while another is asked', () => {
    const atOrganizer = answered(2);
    const outcome = step(atOrganizer, text('举办地点：五四广场'));
    expect(outcome.state.values['venue']).toBe('五四广场');
    expect(outcome.state.values['organizer']).toBeUndefined();
    expect(cursorField(outcome.state)).toBe('organizer');
    expect(outcome.text).toContain(zh('flow.paste_filled', { count: 1 }));
  });

  it('a single line with the asked field’s own label answers it', () => {
    const outcome = step(answered(8), text('地址：青岛市香港中路11号'));
    expect(outcome.state.values['address']).toBe('青岛市香港中路11号');
    expect(cursorField(outcome.state)).toBe('postalCode');
  });

  it('a multi-line 项目简介 with a line like 地址：某处 is the description, not a paste', () => {
    const atSummaryField = answered(15);
    expect(cursorField(atSummaryField)).toBe('summary');
    const description = '本次活动面向全市中小学生开放参观。\n地址：某处\n欢迎大家踊跃报名参加。';
    const outcome = step(atSummaryField, text(description));
    // Prose keeps its Chinese punctuation as typed (the full-width colon included).
    expect(outcome.state.values['summary']).toBe(description);
    expect(outcome.state.values['address']).toBe(KEY_PROJECT_VALUES.address);
    expect(outcome.state.cursor).toEqual({ kind: 'summary' });
    expect(outcome.text).not.toContain(zh('flow.paste_filled', { count: 1 }));
  });

  it('a paste at the summary updates the field and stays at the summary', () => {
    const outcome = step(atSummary(), text('主办单位：青岛市科协'));
    expect(outcome.state.cursor).toEqual({ kind: 'summary' });
    expect(outcome.state.values).toEqual({ ...KEY_PROJECT_VALUES, organizer: '青岛市科协' });
  });

  it('an empty optional value in a paste counts as skipped', () => {
    const outcome = step(fresh(), text('传真\t\t电子邮箱\tkp@example.cn'));
    expect(outcome.state.values).toEqual({ fax: null, email: 'kp@example.cn' });
  });

  it('reads English labels too', () => {
    const outcome = step(fresh(), text('Project name: Ocean fair\nE-mail: kp@example.cn'));
    expect(outcome.state.values).toEqual({ projectName: 'Ocean fair', email: 'kp@example.cn' });
  });
});

describe('purity', () => {
  it('never changes the state it is given', () => {
    const state = answered(5);
    const snapshot = structuredClone(state);
    const inputs: FlowInput[] = [text('6月1日'), text('返回'), text(FULL_PASTE), text('取消'), button('nav:back:s'), text('帮助')];
    for (const input of inputs) {
      const outcome: FlowOutcome = stepFlow(flow, state, input, ctx);
      expect(outcome.kind).not.toBe('submit');
    }
    expect(state).toEqual(snapshot);
  });
});
