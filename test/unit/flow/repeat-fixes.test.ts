/**
 * Regressions found in review of the forms: a half-filled row in the middle is asked again, rows can
 * be removed or changed right from the summary, a video sent as a file is marked for staff to check.
 */
import { describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import { toPlainText } from '../../../src/domain/reply.js';
import { checkFile } from '../../../src/flow/attachments.js';
import { rowsOf } from '../../../src/flow/repeat.js';
import { startFlow, stepFlow } from '../../../src/flow/runner.js';
import type { FlowState } from '../../../src/domain/draft.js';
import { runnerContext, translate } from '../../support/engine-harness.js';

const ctx = runnerContext('zh-CN');
const zh = translate('zh-CN');
const flow = allFlows.find((f) => f.id === 'open-institutions');
if (flow === undefined) throw new Error('no open-institutions flow');

function say(state: FlowState, ...texts: string[]): { state: FlowState; text: string } {
  let current = state;
  let text = '';
  for (const input of texts) {
    const outcome = stepFlow(flow!, current, { kind: 'text', text: input }, ctx);
    if (outcome.kind !== 'continue') throw new Error(`expected continue, got ${outcome.kind}`);
    current = outcome.state;
    text = outcome.replies.map(toPlainText).join('\n');
  }
  return { state: current, text };
}

const ROW = ['青岛海洋科学馆', '5月22日', '实验室参观', '鱼山路5号', '张三', '13800138000'];
const start = (): FlowState => say(startFlow(flow, ctx, { target: { kind: 'new' } }).state, '市南', '青岛市科学技术局').state;

describe('repeating group fixes', () => {
  it('asks the gap of a half-filled row in the middle instead of looping on the menu', () => {
    let state = say(start(), ...ROW).state; // row 1 complete, at the menu
    state = say(state, '添加一行', '黄海所', '返回', '返回').state; // row 2 half filled, back at the menu
    state = say(state, '添加一行', ...ROW).state; // row 3 complete
    const done = say(state, '完成');
    expect(done.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 1, sub: 'openTime' });
    expect(done.text).toContain('第2行');
  });

  it('takes 删除第N行 and 修改第N行 typed at the summary', () => {
    let state = say(start(), ...ROW, '添加一行', '第二单位', ...ROW.slice(1), '完成').state;
    expect(state.cursor).toEqual({ kind: 'summary' });
    const removed = say(state, '删除第1行');
    expect(rowsOf(removed.state.values['institutions']).map((row) => row['unitName'])).toEqual(['第二单位']);
    expect(removed.text).toContain(zh('flow.row_removed', { n: 1 }));
    state = say(removed.state, '完成').state;
    expect(state.cursor).toEqual({ kind: 'summary' });
    const editing = say(state, '修改第1行');
    expect(editing.state.cursor).toEqual({ kind: 'field', fieldId: 'institutions', row: 0, sub: 'unitName' });
  });
});

it('marks a video sent as a file for staff to check its length', () => {
  const summary = allFlows.find((f) => f.id === 'summary-report');
  const video = summary?.fields.find((f) => f.id === 'video');
  const rules = video !== undefined && 'rules' in video ? (video as { rules: Parameters<typeof checkFile>[1] }).rules : undefined;
  if (rules === undefined) throw new Error('no video rules');
  const checked = checkFile({ kind: 'document', fileRef: 'f', name: 'week.webm', mime: 'video/webm', sizeBytes: 1000 }, rules);
  expect(checked).toMatchObject({ ok: true, value: { durationUnchecked: true } });
  const tooLong = checkFile({ kind: 'document', fileRef: 'g', name: 'long.mp4', mime: 'video/mp4', sizeBytes: 1000, durationSeconds: 200 }, rules);
  expect(tooLong).toMatchObject({ ok: false, error: 'file.video_too_long' });
});
