import fc from 'fast-check';
/**
 * The size limits of a draft and of a message, through the real engine on SQLite: a
 * message over {@link MAX_MESSAGE_CHARS} is refused before parsing, a question over
 * {@link MAX_QUESTION_CHARS} before the Q&A reads it, a step that would make the draft
 * larger than {@link MAX_DRAFT_BYTES} or give a group more than {@link MAX_ROWS_PER_GROUP} rows is
 * refused, and in every case the draft stays exactly as it was. The largest draft the shipped forms
 * allow fits under the limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/kernel/json.js';
import { defineFlow, type FieldSpec } from '../../../src/flow/define.js';
import { textField } from '../../../src/flow/fields.js';
import {
  MAX_DRAFT_BYTES,
  MAX_MESSAGE_CHARS,
  MAX_QUESTION_CHARS,
  MAX_ROWS_PER_GROUP,
  draftBytes,
  draftLimitProblem,
} from '../../../src/flow/limits.js';
import { repeatField, rowsOf } from '../../../src/flow/repeat.js';
import type { FlowState } from '../../../src/domain/draft.js';
import { allFlows } from '../../../flows/index.js';
import { createHarness, runnerContext, translate, type Harness } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');

/** A test form whose own limits are wider than the safety net: 1000 rows of 2000 characters and a tag. */
const wideFlow = defineFlow({
  id: 'wide-table',
  version: 1,
  receiptPrefix: 'WT',
  titleField: 'title',
  fields: [
    textField('title', { column: '标题', maxLength: 50 }),
    repeatField('rows', { column: '行', minRows: 1, maxRows: 1000, rowFields: [textField('cell', { column: '内容', maxLength: 2000 }), textField('tag', { column: '标记', maxLength: 20 })] }),
  ],
});

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.cleanup();
});

function harness(): Harness {
  const h = createHarness({ flows: [...allFlows, wideFlow] });
  harnesses.push(h);
  return h;
}

async function draftOf(h: Harness): Promise<FlowState | undefined> {
  const begun = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'test', chatId: 'c1', userId: 'u1' } });
  return begun.session?.data.flow;
}

/** Tab-separated rows as pasted from a Word table. */
function pastedRows(count: number, cell: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => `${cell(i)}\t#${i + 1}`).join('\n');
}

describe('draft limits (pure)', () => {
  it('the largest 附件3 the form allows — 30 rows, every cell at its longest, in Chinese — is within the limit', () => {
    const flow = allFlows.find((f) => f.id === 'open-institutions');
    const group = flow?.fields.find((f) => f.id === 'institutions');
    if (flow === undefined || group?.repeat === undefined) throw new Error('open-institutions has no institutions group');
    const ctx = runnerContext();
    const longest: Record<string, string> = { unitName: '院'.repeat(100), openContent: '展'.repeat(500), address: '路'.repeat(200), contactPerson: '张'.repeat(50) };
    const cellOf = (column: FieldSpec): JsonValue => {
      const typed = longest[column.id] ?? (column.id === 'openTime' ? '5月22日-28日' : '0532-85911893');
      const parsed = column.parse(typed, ctx);
      if (!parsed.ok) throw new Error(`${column.id}: ${parsed.error}`);
      return parsed.value;
    };
    const row = Object.fromEntries(group.repeat.rowFields.map((column) => [column.id, cellOf(column)]));
    const state: FlowState = {
      flowId: flow.id,
      flowVersion: flow.version,
      target: { kind: 'new' },
      values: { district: 'shinan', filer: '单'.repeat(100), institutions: Array.from({ length: group.repeat.maxRows }, () => row) },
      cursor: { kind: 'summary' },
      fromSummary: false,
    };
    expect(draftBytes(state)).toBeGreaterThan(64 * 1024);
    expect(draftLimitProblem(flow, state)).toBeUndefined();
    expect(draftLimitProblem(flow, { ...state, values: { ...state.values, filer: '单'.repeat(MAX_DRAFT_BYTES / 3) } })).toMatchObject({ kind: 'too-large' });
  });
});

describe('draft limits through the engine', () => {
  it('refuses rows beyond the cap of a repeating group; the rows already there stay', async () => {
    const h = harness();
    await h.say('/file wide-table');
    await h.say('表一');
    const first = await h.say(pastedRows(5, (i) => `第${i + 1}行`));
    expect(first.text).toContain(zh('flow.rows_pasted', { count: 5 }));
    const before = await draftOf(h);
    const turn = await h.say(pastedRows(MAX_ROWS_PER_GROUP, (i) => `新${i + 1}`));
    expect(turn.text).toContain(zh('limits.too_many_rows', { max: MAX_ROWS_PER_GROUP }));
    const after = await draftOf(h);
    expect(after).toEqual(before);
    expect(rowsOf(after?.values['rows'])).toHaveLength(5);
    // Within the cap, more rows are still taken.
    const more = await h.say(pastedRows(10, (i) => `再${i + 1}`));
    expect(more.text).toContain(zh('flow.rows_pasted', { count: 10 }));
    expect(rowsOf((await draftOf(h))?.values['rows'])).toHaveLength(15);
  });

  it('refuses a step that would make the draft larger than the limit; everything entered before is kept', async () => {
    const h = harness();
    await h.say('/lang en');
    await h.say('/file wide-table');
    await h.say('table one');
    const big = (i: number): string => `${i}${'长'.repeat(1990)}`;
    const first = await h.say(pastedRows(20, big));
    expect(first.text).toContain(en('flow.rows_pasted', { count: 20 }));
    const before = await draftOf(h);
    expect(draftBytes(before as FlowState)).toBeLessThan(MAX_DRAFT_BYTES);
    const turn = await h.say(pastedRows(5, (i) => big(100 + i)));
    expect(turn.text).toContain(en('limits.draft_too_large', { maxKb: MAX_DRAFT_BYTES / 1024 }));
    // The question the draft was at is asked again.
    expect(turn.replies.length).toBeGreaterThan(1);
    expect(await draftOf(h)).toEqual(before);
    // A small step still goes through.
    const small = await h.say(pastedRows(1, () => 'short row'));
    expect(small.text).toContain(en('flow.rows_pasted', { count: 1 }));
    expect(rowsOf((await draftOf(h))?.values['rows'])).toHaveLength(21);
  });

  it('refuses a message longer than the limit before reading it, in a draft and outside one', async () => {
    const h = harness();
    await h.say('/file key-project');
    await h.say('市南');
    const before = await draftOf(h);
    const long = `项目名称：${'海'.repeat(MAX_MESSAGE_CHARS)}`;
    const turn = await h.say(long);
    expect(turn.text).toBe(zh('limits.message_too_long', { length: long.length, max: MAX_MESSAGE_CHARS }));
    expect(await draftOf(h)).toEqual(before);
    const next = await h.say('青岛海洋科普嘉年华');
    expect((await draftOf(h))?.values['projectName']).toBe('青岛海洋科普嘉年华');
    expect(next.text).not.toContain(zh('limits.message_too_long', { length: long.length, max: MAX_MESSAGE_CHARS }));
    await h.say('/cancel');
    const question = await h.say('x'.repeat(MAX_MESSAGE_CHARS + 1), { localeHint: 'en' });
    expect(question.text).toBe(en('limits.message_too_long', { length: MAX_MESSAGE_CHARS + 1, max: MAX_MESSAGE_CHARS }));
  });

  it('refuses a question too long to be one (plain, /ask, in a group) unread; a long one within the limit is answered', async () => {
    const h = harness();
    const pasted = `截止时间${'是哪天'.repeat(MAX_QUESTION_CHARS / 3)}`;
    const refusal = zh('limits.question_too_long', { length: pasted.length, max: MAX_QUESTION_CHARS });
    expect((await h.say(pasted)).text).toBe(refusal);
    expect((await h.say(`/ask ${pasted}`)).text).toBe(refusal);
    expect((await h.say(pasted, { chatId: 'g1', chatKind: 'group' })).text).toBe(refusal);
    const longest = `截止时间是哪天${'。'.repeat(MAX_QUESTION_CHARS - 7)}`;
    const answered = await h.say(longest);
    expect(answered.text).not.toContain(zh('limits.question_too_long', { length: longest.length, max: MAX_QUESTION_CHARS }));
    expect(answered.text).toContain('4月30日');
  });
});

describe('draftBytes', () => {
  it('counts the UTF-8 bytes of the JSON draft exactly as an encoder does, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), (text) => {
        const state = { flowId: 'key-project', flowVersion: 1, target: { kind: 'new' }, values: { projectName: text }, cursor: { kind: 'summary' }, fromSummary: false } as FlowState;
        expect(draftBytes(state)).toBe(new TextEncoder().encode(JSON.stringify(state)).length);
      }),
      { numRuns: 2000 },
    );
  });
});
