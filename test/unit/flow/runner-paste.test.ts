/**
 * Pasting into the pure runner on the key-project form: a description that mentions 时间：/地点： is
 * an answer, not a paste, while a whole pasted form is still taken at the description; labels with
 * the 盖章 note paste; a pasted description keeps its punctuation; back after a full paste walks the
 * official order.
 */
import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/domain/reply.js';
import { startFlow, stepFlow, type FlowInput } from '../../../src/flow/runner.js';
import type { FlowState } from '../../../src/domain/draft.js';
import { KEY_PROJECT_ANSWERS, keyProject, runnerContext, translate } from '../../support/engine-harness.js';

const flow = keyProject();
const ctx = runnerContext('zh-CN');
const zh = translate('zh-CN');

function step(state: FlowState, text: string): { state: FlowState; text: string } {
  const input: FlowInput = { kind: 'text', text };
  const outcome = stepFlow(flow, state, input, ctx);
  if (outcome.kind !== 'continue') throw new Error(`expected continue, got ${outcome.kind}`);
  return { state: outcome.state, text: outcome.replies.map(toPlainText).join('\n') };
}

function answered(count: number): FlowState {
  let state = startFlow(flow, ctx, { target: { kind: 'new' } }).state;
  for (const answer of KEY_PROJECT_ANSWERS.slice(0, count)) state = step(state, answer).state;
  return state;
}

const AT_SUMMARY_FIELD = 15; // 项目简介 is the 16th field

describe('a description is not mistaken for a paste', () => {
  it('keeps a multi-line description with 时间：and 地点：lines, and changes no other field', () => {
    const before = answered(AT_SUMMARY_FIELD);
    const description = '本次活动面向全市中小学生开放。\n时间：每天上午9点\n地点：科技馆一楼大厅\n欢迎大家报名参加。';
    const after = step(before, description);
    expect(after.state.cursor).toEqual({ kind: 'summary' });
    expect(after.state.values['summary']).toBe(description);
    expect(after.state.values['venue']).toBe(before.values['venue']);
    expect(after.state.values['period']).toEqual(before.values['period']);
  });

  it('keeps a one-line description that mentions 时间：and 地点：mid-sentence', () => {
    const before = answered(AT_SUMMARY_FIELD);
    const description = '活动安排如下，时间：5月22日上午，地点：科技馆一楼大厅，内容为科普讲座和互动实验。';
    const after = step(before, description);
    expect(after.state.values['summary']).toBe(description);
    expect(after.state.values['venue']).toBe(before.values['venue']);
  });

  it('still takes a whole pasted form while the description is asked', () => {
    const before = answered(AT_SUMMARY_FIELD);
    const after = step(before, '项目名称：新名称\n主办单位：新主办\n项目简介：这是一段足够长的项目简介，包括主要活动内容和方式。');
    expect(after.state.values['projectName']).toBe('新名称');
    expect(after.state.values['organizer']).toBe('新主办');
    expect(after.state.values['summary']).toBe('这是一段足够长的项目简介，包括主要活动内容和方式。');
  });

  it('does not take a message that starts with prose as a paste at a one-line field', () => {
    const before = answered(1);
    const after = step(before, '海洋科普嘉年华，地点：五四广场');
    expect(after.state.values['projectName']).toBe('海洋科普嘉年华，地点：五四广场');
    expect(after.state.values['venue']).toBeUndefined();
  });
});

describe('paste details', () => {
  it('reads 主办单位（盖章）：X in a colon paste', () => {
    const after = step(answered(1), '项目名称：X项目\n主办单位（盖章）：青岛市科协');
    expect(after.state.values['organizer']).toBe('青岛市科协');
    expect(after.text).toContain(zh('flow.paste_filled', { count: 2 }));
  });

  it('keeps the punctuation that ends the first line of a multi-line description', () => {
    const after = step(answered(1), '项目名称：X项目\n项目简介：第一行内容很长很长很长很长很长；\n第二行内容也很长很长很长；');
    expect(after.state.values['summary']).toBe('第一行内容很长很长很长很长很长；\n第二行内容也很长很长很长；');
  });

  it('after a full paste, back walks the official order from the summary', () => {
    const pasted = KEY_PROJECT_ANSWERS.map((answer, i) => `${zh(`flows.key-project.fields.${flow.fields[i]?.id ?? ''}.label`)}：${answer.replace(/\n/g, ' ')}`).join('\n');
    const atSummary = step(answered(0), pasted);
    expect(atSummary.state.cursor).toEqual({ kind: 'summary' });
    const last = step(atSummary.state, '返回');
    expect(last.state.cursor).toEqual({ kind: 'field', fieldId: 'summary' });
    const previous = step(last.state, '返回');
    expect(previous.state.cursor).toEqual({ kind: 'field', fieldId: 'attendance' });
    expect(previous.text).not.toContain(zh('flow.at_first'));
  });
});
