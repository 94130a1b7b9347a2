/**
 * The repeating group of 附件3 (开放单位: 单位名称, 开放时间, 开放内容, 具体地址, 联系人, 联系方式;
 * 1 to 30 rows) in the pure flow runner: rows answered column by column, added, changed and removed at
 * the row menu, pasted from the Word table (tabs between cells), the limits, 返回 at a row's first
 * column, and buttons of an earlier row that must not act on the current one.
 */
import { describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import type { JsonValue } from '../../../src/kernel/json.js';
import { toPlainText, type Reply } from '../../../src/domain/reply.js';
import type { FlowDefinition } from '../../../src/flow/define.js';
import { rowsOf, type Row } from '../../../src/flow/repeat.js';
import { startFlow, stepFlow, type FlowInput, type FlowOutcome } from '../../../src/flow/runner.js';
import type { FlowState } from '../../../src/domain/draft.js';
import { runnerContext, translate } from '../../support/engine-harness.js';

const ctx = runnerContext('zh-CN');
const zh = translate('zh-CN');

function openInstitutions(): FlowDefinition {
  const flow = allFlows.find((f) => f.id === 'open-institutions');
  if (flow === undefined) throw new Error('open-institutions flow is not registered');
  return flow;
}

const flow = openInstitutions();

/** The six cells of a row, as typed. */
const ROW_A = ['青岛海洋科学馆', '5月22日', '实验室参观', '青岛市市南区鱼山路5号', '张三', '0532-82031234'] as const;
const ROW_B = ['黄海水产研究所', '5月23日-24日', '科普讲座', '青岛市市南区南京路106号', '李四', '13800138000'] as const;
const ROW_C = ['青岛科技大学', '5月25日', '化学实验开放日', '青岛市崂山区松岭路99号', '王五', '0532-88950000'] as const;

/** How ROW_A and ROW_B are stored. */
const STORED_A: Row = {
  unitName: '青岛海洋科学馆',
  openTime: { start: '2021-05-22', end: '2021-05-22' },
  openContent: '实验室参观',
  address: '青岛市市南区鱼山路5号',
  contactPerson: '张三',
  contactPhone: '0532-82031234',
};
const STORED_B: Row = {
  unitName: '黄海水产研究所',
  openTime: { start: '2021-05-23', end: '2021-05-24' },
  openContent: '科普讲座',
  address: '青岛市市南区南京路106号',
  contactPerson: '李四',
  contactPhone: '13800138000',
};
const STORED_C: Row = {
  unitName: '青岛科技大学',
  openTime: { start: '2021-05-25', end: '2021-05-25' },
  openContent: '化学实验开放日',
  address: '青岛市崂山区松岭路99号',
  contactPerson: '王五',
  contactPhone: '0532-88950000',
};

/** What one step produced, for assertions. */
interface Stepped {
  outcome: FlowOutcome;
  state: FlowState;
  text: string;
  replies: Reply[];
}

function step(state: FlowState, input: FlowInput): Stepped {
  const outcome = stepFlow(flow, state, input, ctx);
  if (outcome.kind !== 'continue') return { outcome, state, text: '', replies: [] };
  return { outcome, state: outcome.state, text: outcome.replies.map(toPlainText).join('\n'), replies: outcome.replies };
}

function say(state: FlowState, text: string): Stepped {
  return step(state, { kind: 'text', text });
}

function rows(state: FlowState): Row[] {
  return rowsOf(state.values['institutions']);
}

/** The payload of the button labelled `label` among the last replies (throws when there is none). */
function payloadOf(replies: readonly Reply[], label: string): string {
  for (const reply of [...replies].reverse()) {
    if (reply.kind !== 'choices') continue;
    const button = reply.buttons.find((b) => b.label === label);
    if (button !== undefined) return button.payload;
  }
  throw new Error(`no button "${label}" in:\n${replies.map(toPlainText).join('\n')}`);
}

function buttonLabels(replies: readonly Reply[]): string[] {
  const last = [...replies].reverse().find((reply) => reply.kind === 'choices');
  return last?.kind === 'choices' ? last.buttons.map((b) => b.label) : [];
}

/** A new 附件3 draft with 所属区市 and 填报单位 answered: it asks row 1's 单位名称. */
function atFirstRow(extra: Record<string, JsonValue> = {}): FlowState {
  const started = startFlow(flow, ctx, {
    target: { kind: 'new' },
    values: { district: 'shinan', filer: '中国海洋大学', ...extra },
    draftId: 'abc123',
  });
  return started.state;
}

/** Answers the six columns of the row being asked, one message each. */
function typeRow(state: FlowState, cells: readonly string[]): Stepped {
  let current: Stepped = { outcome: { kind: 'continue', state, replies: [] }, state, text: '', replies: [] };
  for (const cell of cells) current = say(current.state, cell);
  return current;
}

/** Several messages, one after the other (cells and row commands alike). */
function sayAll(state: FlowState, ...texts: string[]): Stepped {
  return typeRow(state, texts);
}

/** A draft at the row menu holding the given rows (pasted, then checked). */
function withRows(...cells: (readonly string[])[]): FlowState {
  const pasted = say(atFirstRow(), cells.map((row) => row.join('\t')).join('\n'));
  expect(rows(pasted.state)).toHaveLength(cells.length);
  expect(pasted.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
  return pasted.state;
}

describe('附件3 rows, one column at a time', () => {
  it('starts at row 1 column 1 and asks the six columns in order, then shows the row menu', () => {
    const start = atFirstRow();
    expect(start.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'unitName' });
    const second = say(start, ROW_A[0]);
    expect(second.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'openTime' });
    expect(second.text).toContain('第1行 开放时间 (2/6)');
    const done = typeRow(start, ROW_A);
    expect(done.text).toContain(zh('flow.row_saved', { n: 1 }));
    expect(done.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
    expect(rows(done.state)).toEqual([STORED_A]);
    expect(done.text).toContain('第1行 青岛海洋科学馆 | 2021年5月22日 | 实验室参观');
    expect(buttonLabels(done.replies)).toEqual(expect.arrayContaining([zh('flow.nav.add_row'), zh('flow.nav.done')]));
  });

  it('rejects a bad cell with its reason and asks the same column again', () => {
    const atPhone = typeRow(atFirstRow(), ROW_A.slice(0, 5));
    expect(atPhone.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'contactPhone' });
    const bad = say(atPhone.state, '12345');
    expect(bad.text).toContain(zh('errors.phone.invalid'));
    expect(bad.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'contactPhone' });
    expect(rows(bad.state)[0]?.['contactPhone']).toBeUndefined();
  });

  it('adds a second row with 添加一行, and 完成 moves on to the summary with both rows', () => {
    const first = typeRow(atFirstRow(), ROW_A);
    const adding = say(first.state, '添加一行');
    expect(adding.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'unitName' });
    expect(adding.text).toContain('第2行 单位名称 (1/6)');
    const second = typeRow(adding.state, ROW_B);
    expect(second.text).toContain(zh('flow.row_saved', { n: 2 }));
    expect(rows(second.state)).toEqual([STORED_A, STORED_B]);
    const finished = say(second.state, '完成');
    expect(finished.state.cursor).toEqual({ kind: 'summary' });
    expect(finished.text).toContain('3. 开放单位：');
    expect(finished.text).toContain('第2行 黄海水产研究所 | 2021年5月23日至5月24日');
    const submitted = say(finished.state, '提交');
    expect(submitted.outcome.kind).toBe('submit');
    if (submitted.outcome.kind === 'submit') expect(submitted.outcome.values['institutions']).toEqual([STORED_A, STORED_B]);
  });

  it('the 添加一行 and 完成 buttons do what the words do', () => {
    const first = typeRow(atFirstRow(), ROW_A);
    const added = step(first.state, { kind: 'action', payload: payloadOf(first.replies, zh('flow.nav.add_row')) });
    expect(added.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'unitName' });
    const done = step(first.state, { kind: 'action', payload: payloadOf(first.replies, zh('flow.nav.done')) });
    expect(done.state.cursor).toEqual({ kind: 'summary' });
  });

  it('does not take 完成 while a row is half answered', () => {
    const half = typeRow(atFirstRow(), ROW_A.slice(0, 2));
    const refused = say(half.state, '完成');
    expect(refused.text).toContain('✗');
    expect(refused.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'openContent' });
    expect(rows(refused.state)[0]).toEqual({ unitName: STORED_A['unitName'], openTime: STORED_A['openTime'] });
  });

  it('asks the gap of a half-filled row in the middle instead of looping on the menu', () => {
    let state = typeRow(atFirstRow(), ROW_A).state; // row 1 complete, at the menu
    state = sayAll(state, '添加一行', '黄海所', '返回', '返回').state; // row 2 half filled, back at the menu
    state = sayAll(state, '添加一行', ...ROW_C).state; // row 3 complete
    const done = say(state, '完成');
    expect(done.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'openTime' });
    expect(done.text).toContain('第2行');
  });
});

describe('changing and removing rows', () => {
  it('修改第2行 asks row 2 again column by column, showing the current value, and replaces only that row', () => {
    const menu = withRows(ROW_A, ROW_B, ROW_C);
    const editing = say(menu, '修改第2行');
    expect(editing.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'unitName' });
    expect(editing.text).toContain(`${zh('flow.current_value')}黄海水产研究所`);
    const cells = ['中国水产科学研究院黄海水产研究所', '5月26日', '海洋牧场展示', '青岛市市南区南京路106号', '赵六', '0532-85830000'];
    const edited = typeRow(editing.state, cells);
    expect(edited.text).toContain(zh('flow.row_saved', { n: 2 }));
    expect(rows(edited.state)).toEqual([
      STORED_A,
      {
        unitName: '中国水产科学研究院黄海水产研究所',
        openTime: { start: '2021-05-26', end: '2021-05-26' },
        openContent: '海洋牧场展示',
        address: '青岛市市南区南京路106号',
        contactPerson: '赵六',
        contactPhone: '0532-85830000',
      },
      STORED_C,
    ]);
  });

  it('删除第1行 removes row 1 and keeps the others in order', () => {
    const menu = withRows(ROW_A, ROW_B, ROW_C);
    const removed = say(menu, '删除第1行');
    expect(removed.text).toContain(zh('flow.row_removed', { n: 1 }));
    expect(rows(removed.state)).toEqual([STORED_B, STORED_C]);
    expect(removed.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
  });

  it('refuses to change or remove a row that does not exist, naming how many there are', () => {
    const menu = withRows(ROW_A, ROW_B);
    for (const word of ['删除第5行', '修改第3行']) {
      const refused = say(menu, word);
      expect(refused.text).toContain(zh('errors.repeat.no_such_row', { max: 2 }));
      expect(rows(refused.state)).toEqual([STORED_A, STORED_B]);
      expect(refused.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
    }
  });

  it('takes 删除第N行 and 修改第N行 typed at the summary', () => {
    let state = sayAll(atFirstRow(), ...ROW_A, '添加一行', ...ROW_B, '完成').state;
    expect(state.cursor).toEqual({ kind: 'summary' });
    const removed = say(state, '删除第1行');
    expect(rows(removed.state)).toEqual([STORED_B]);
    expect(removed.text).toContain(zh('flow.row_removed', { n: 1 }));
    state = say(removed.state, '完成').state;
    expect(state.cursor).toEqual({ kind: 'summary' });
    const editing = say(state, '修改第1行');
    expect(editing.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'unitName' });
  });

  it('修改 3 from the summary opens the row menu; 完成 there returns to the summary', () => {
    const atSummary = say(withRows(ROW_A, ROW_B), '完成');
    expect(atSummary.state.cursor).toEqual({ kind: 'summary' });
    const menu = say(atSummary.state, '修改 3');
    expect(menu.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
    expect(menu.text).toContain(zh('flow.rows_count', { count: 2, min: 1, max: 30 }));
    const removed = say(menu.state, '删除第1行');
    const back = say(removed.state, '完成');
    expect(back.state.cursor).toEqual({ kind: 'summary' });
    expect(rows(back.state)).toEqual([STORED_B]);
  });
});

describe('the limits: 1 to 30 rows', () => {
  it('refuses 完成 with no rows (errors.repeat.too_few_rows) and offers no 完成 button', () => {
    const one = typeRow(atFirstRow(), ROW_A);
    const none = say(one.state, '删除第1行');
    expect(rows(none.state)).toEqual([]);
    expect(none.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
    expect(buttonLabels(none.replies)).not.toContain(zh('flow.nav.done'));
    const refused = say(none.state, '完成');
    expect(refused.text).toContain(zh('errors.repeat.too_few_rows', { min: 1 }));
    expect(refused.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
  });

  it('refuses a 31st row, whether added with 添加一行 or pasted', () => {
    const thirty = Array.from({ length: 30 }, (_, i) => [`开放单位${i + 1}`, '5月22日', '实验室参观', `青岛市市南区香港中路${i + 1}号`, '张三', '13800138000']);
    const full = withRows(...thirty);
    expect(buttonLabels(say(full, '帮助').replies)).not.toContain(zh('flow.nav.add_row'));
    const added = say(full, '添加一行');
    expect(added.text).toContain(zh('errors.repeat.too_many_rows', { max: 30 }));
    expect(added.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
    expect(rows(added.state)).toHaveLength(30);
    const pasted = say(full, ROW_A.join('\t'));
    expect(pasted.text).toContain(zh('errors.repeat.too_many_rows', { max: 30 }));
    expect(rows(pasted.state)).toHaveLength(30);
    expect(rows(pasted.state).some((row) => row['unitName'] === ROW_A[0])).toBe(false);
  });

  it('a paste that overflows keeps the rows up to 30 and says the rest were refused', () => {
    const twentyNine = Array.from({ length: 29 }, (_, i) => [`开放单位${i + 1}`, '5月22日', '实验室参观', '青岛市市南区', '张三', '13800138000']);
    const menu = withRows(...twentyNine);
    const pasted = say(menu, [ROW_A, ROW_B].map((row) => row.join('\t')).join('\n'));
    expect(rows(pasted.state)).toHaveLength(30);
    expect(rows(pasted.state)[29]).toEqual(STORED_A);
    expect(pasted.text).toContain(zh('flow.rows_pasted', { count: 1 }));
    expect(pasted.text).toContain(zh('errors.repeat.too_many_rows', { max: 30 }));
  });
});

describe('rows pasted from the Word table', () => {
  it('skips the header row of a pasted table', () => {
    const header = ['单位名称', '开放时间', '开放内容', '具体地址', '联系人', '联系方式'].join('\t');
    const pasted = say(atFirstRow(), [header, ROW_A.join('\t'), ROW_B.join('\t')].join('\n'));
    expect(pasted.text).toContain(zh('flow.rows_pasted', { count: 2 }));
    expect(rows(pasted.state)).toEqual([STORED_A, STORED_B]);
    expect(pasted.text).not.toContain('✗');
  });

  it('skips an English header row too (the shipped English column labels)', () => {
    const en = translate('en');
    const labels = ['unitName', 'openTime', 'openContent', 'address', 'contactPerson', 'contactPhone'].map((id) =>
      en(`flows.open-institutions.fields.institutions.${id}.label`),
    );
    expect(labels.every((label) => /^[A-Za-z]/.test(label))).toBe(true);
    const pasted = say(atFirstRow(), [labels.join('\t'), ROW_A.join('\t')].join('\n'));
    expect(rows(pasted.state)).toEqual([STORED_A]);
    expect(pasted.text).toContain(zh('flow.rows_pasted', { count: 1 }));
  });

  it('reports a bad cell with its row and column, keeps that row with its good cells and asks only that cell', () => {
    const bad = [...ROW_B.slice(0, 5), '12345'];
    const pasted = say(atFirstRow(), [ROW_A, bad, ROW_C].map((row) => row.join('\t')).join('\n'));
    expect(pasted.text).toContain(zh('flow.rows_pasted', { count: 3 }));
    expect(pasted.text).toContain(`✗ 粘贴的第2行 联系方式：${zh('errors.phone.invalid')}`);
    expect(pasted.text).toContain(zh('flow.rows_cells_kept'));
    const { contactPhone: _phone, ...partialB } = STORED_B;
    expect(rows(pasted.state)).toEqual([STORED_A, partialB, STORED_C]);
    expect(pasted.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'contactPhone' });
    const fixed = say(pasted.state, '13800138000');
    expect(rows(fixed.state)).toEqual([STORED_A, STORED_B, STORED_C]);
    expect(fixed.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
    expect(fixed.text).toContain(zh('flow.row_saved', { n: 2 }));
  });

  it('reports a bad date in the second column and a missing cell of a short row, and asks only those cells', () => {
    const badDate = [ROW_B[0], '明天', ...ROW_B.slice(2)];
    const short = ROW_C.slice(0, 4);
    const pasted = say(atFirstRow(), [badDate, short].map((row) => row.join('\t')).join('\n'));
    expect(pasted.text).toContain(`✗ 粘贴的第1行 开放时间：${zh('errors.date.invalid')}`);
    expect(pasted.text).toMatch(/✗ 粘贴的第2行 联系人：/);
    expect(pasted.text).toMatch(/✗ 粘贴的第2行 联系方式：/);
    expect(pasted.text).toContain(zh('flow.rows_pasted', { count: 2 }));
    expect(rows(pasted.state).map((row) => Object.keys(row).length)).toEqual([5, 4]);
    expect(pasted.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'openTime' });
    const date = say(pasted.state, '5月23日-24日');
    expect(rows(date.state)[0]).toEqual(STORED_B);
    expect(date.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'contactPerson' });
    const person = say(date.state, '王五');
    expect(person.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'contactPhone' });
    const phone = say(person.state, '0532-88950000');
    expect(rows(phone.state)).toEqual([STORED_B, STORED_C]);
    expect(phone.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
  });

  it('adds pasted rows after the rows already there', () => {
    const one = typeRow(atFirstRow(), ROW_A);
    const pasted = say(one.state, `${ROW_B.join('\t')}\n${ROW_C.join('\t')}`);
    expect(rows(pasted.state)).toEqual([STORED_A, STORED_B, STORED_C]);
  });
});

describe('返回 inside a row', () => {
  it('goes back one column, and at the first column to the row menu', () => {
    const one = typeRow(atFirstRow(), ROW_A);
    const adding = say(one.state, '添加一行');
    const col2 = say(adding.state, ROW_B[0]);
    const backToCol1 = say(col2.state, '返回');
    expect(backToCol1.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'unitName' });
    const backToMenu = say(backToCol1.state, '返回');
    expect(backToMenu.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
    expect(backToMenu.text).toContain(zh('flow.rows_help', { columns: 6 }));
    expect(rows(backToMenu.state)[0]).toEqual(STORED_A);
  });

  it('the 返回 button at a row prompt does the same', () => {
    const one = typeRow(atFirstRow(), ROW_A);
    const adding = say(one.state, '添加一行');
    const back = step(adding.state, { kind: 'action', payload: payloadOf(adding.replies, zh('flow.nav.back')) });
    expect(back.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions' });
  });
});

describe('stale row buttons', () => {
  it('refuses the buttons of an earlier row and leaves the draft as it was', () => {
    const start = atFirstRow();
    const firstPrompt = say(start, ROW_A[0]);
    // Buttons shown while row 1's 开放时间 was asked.
    const oldBack = payloadOf(firstPrompt.replies, zh('flow.nav.back'));
    const oldCancel = payloadOf(firstPrompt.replies, zh('flow.nav.cancel'));
    const rowDone = typeRow(firstPrompt.state, ROW_A.slice(1));
    const adding = say(rowDone.state, '添加一行');
    const atRow2Col2 = say(adding.state, ROW_B[0]);
    expect(atRow2Col2.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'openTime' });

    for (const payload of [oldBack, oldCancel]) {
      const stale = step(atRow2Col2.state, { kind: 'action', payload });
      expect(stale.outcome.kind).toBe('continue');
      expect(stale.text).toContain(zh('flow.stale_button'));
      expect(stale.state).toEqual(atRow2Col2.state);
    }
  });

  it('refuses a row menu button once a row is being answered', () => {
    const one = typeRow(atFirstRow(), ROW_A);
    const menuDone = payloadOf(one.replies, zh('flow.nav.done'));
    const adding = say(one.state, '添加一行');
    const stale = step(adding.state, { kind: 'action', payload: menuDone });
    expect(stale.text).toContain(zh('flow.stale_button'));
    expect(stale.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'unitName' });
  });

  it('refuses a button of the same row in another draft', () => {
    const mine = atFirstRow();
    const other = startFlow(flow, ctx, { target: { kind: 'new' }, values: { district: 'shinan', filer: '青岛大学' }, draftId: 'zzz999' });
    const otherCancel = payloadOf(other.replies, zh('flow.nav.cancel'));
    const stale = step(mine, { kind: 'action', payload: otherCancel });
    expect(stale.outcome.kind).toBe('continue');
    expect(stale.text).toContain(zh('flow.stale_button'));
  });
});
