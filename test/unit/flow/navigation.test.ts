/**
 * Navigation words in both languages and button payloads: every payload the runner can show decodes
 * back to what it was made from and fits Telegram's 64-byte callback limit; and what the runner does
 * with a navigation word typed at a field (a command is never saved as the answer).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_PAYLOAD_BYTES } from '../../../src/domain/reply.js';
import {
  navPayload,
  parseNavWord,
  parsePayload,
  pickPayload,
  stepTag,
  type NavCommand,
} from '../../../src/flow/navigation.js';
import { toPlainText } from '../../../src/domain/reply.js';
import { startFlow, stepFlow } from '../../../src/flow/runner.js';
import type { FlowCursor, FlowState } from '../../../src/domain/draft.js';
import { allFlows } from '../../../flows/index.js';
import { KEY_PROJECT_ANSWERS, keyProject, runnerContext, translate } from '../../support/engine-harness.js';

const bytes = (text: string): number => new TextEncoder().encode(text).length;

describe('parseNavWord', () => {
  const words: [string, NavCommand][] = [
    ['返回', { kind: 'back' }],
    ['上一步', { kind: 'back' }],
    ['上一项', { kind: 'back' }],
    ['back', { kind: 'back' }],
    ['Previous', { kind: 'back' }],
    ['跳过', { kind: 'skip' }],
    ['无', { kind: 'skip' }],
    ['skip', { kind: 'skip' }],
    ['N/A', { kind: 'skip' }],
    ['取消', { kind: 'cancel' }],
    ['退出', { kind: 'cancel' }],
    ['cancel', { kind: 'cancel' }],
    ['/cancel', { kind: 'cancel' }],
    ['帮助', { kind: 'help' }],
    ['？', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['提交', { kind: 'submit' }],
    ['确认提交', { kind: 'submit' }],
    ['submit', { kind: 'submit' }],
    ['修改', { kind: 'edit-menu' }],
    ['编辑', { kind: 'edit-menu' }],
    ['edit', { kind: 'edit-menu' }],
    ['是', { kind: 'yes' }],
    ['确认', { kind: 'yes' }],
    ['Yes', { kind: 'yes' }],
    ['ok', { kind: 'yes' }],
    ['否', { kind: 'no' }],
    ['不是', { kind: 'no' }],
    ['no', { kind: 'no' }],
  ];

  it.each(words)('reads %s', (word, command) => {
    expect(parseNavWord(word)).toEqual(command);
  });

  it.each([
    ['ＢＡＣＫ', { kind: 'back' }],
    ['ｓｕｂｍｉｔ', { kind: 'submit' }],
    ['\u3000返回\u3000', { kind: 'back' }],
    ['  跳过  ', { kind: 'skip' }],
    ['\u200b取消', { kind: 'cancel' }],
  ] as [string, NavCommand][])('reads full-width and padded %j', (word, command) => {
    expect(parseNavWord(word)).toEqual(command);
  });

  it.each([
    ['提交。', { kind: 'submit' }],
    ['提交！', { kind: 'submit' }],
    ['Submit!', { kind: 'submit' }],
    ['返回。。', { kind: 'back' }],
    ['yes.', { kind: 'yes' }],
    ['修改 3。', { kind: 'edit', index: 3 }],
  ] as [string, NavCommand][])('ignores trailing punctuation in %j', (word, command) => {
    expect(parseNavWord(word)).toEqual(command);
  });

  it.each([
    ['修改 3', 3],
    ['修改3', 3],
    ['修改第3项', 3],
    ['修改 第 3 项', 3],
    ['修改第12条', 12],
    ['编辑 7', 7],
    ['改 5', 5],
    ['更改 2', 2],
    ['edit 3', 3],
    ['EDIT 16', 16],
    ['change 1', 1],
    ['修改３', 3],
    ['ｅｄｉｔ　３', 3],
    ['修改 0', 0],
    ['修改 999', 999],
  ])('reads %j as edit %i', (word, index) => {
    expect(parseNavWord(word)).toEqual({ kind: 'edit', index });
  });

  it.each(['', '3', '返回上一步吧', '请返回', '修改 1000', '修改 -1', '修改 3 和 4', 'backward', 'submitted', '青岛市科学技术局', '0532-85911893', '是不是'])(
    'treats %j as an answer, not a command',
    (word) => {
      expect(parseNavWord(word)).toBeUndefined();
    },
  );
});

describe('button payloads', () => {
  const commands: NavCommand[] = [
    { kind: 'back' },
    { kind: 'skip' },
    { kind: 'cancel' },
    { kind: 'help' },
    { kind: 'submit' },
    { kind: 'edit-menu' },
    { kind: 'yes' },
    { kind: 'no' },
    { kind: 'edit', index: 1 },
    { kind: 'edit', index: 999 },
  ];

  function cursorsOf(fieldIds: readonly string[]): FlowCursor[] {
    return [
      { kind: 'summary' },
      ...fieldIds.flatMap((fieldId): FlowCursor[] => [
        { kind: 'field', fieldId },
        { kind: 'confirm', fieldId, value: { start: '2021-06-01', end: '2021-06-01' }, warning: '很长的警告'.repeat(40) },
      ]),
    ];
  }

  it('every navigation payload of every shipped flow decodes back and fits in 64 bytes', () => {
    let checked = 0;
    for (const flow of allFlows) {
      for (const cursor of cursorsOf(flow.fields.map((field) => field.id))) {
        for (const command of commands) {
          const payload = navPayload(command, cursor);
          expect(bytes(payload), payload).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
          expect(parsePayload(payload)).toEqual({ kind: 'nav', command, step: stepTag(cursor) });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('every option pick of every shipped flow decodes back and fits in 64 bytes', () => {
    let checked = 0;
    for (const locale of ['zh-CN', 'en'] as const) {
      const ctx = runnerContext(locale);
      for (const flow of allFlows) {
        for (const field of flow.fields) {
          for (const option of field.options?.(ctx) ?? []) {
            const payload = pickPayload(field.id, option.value);
            expect(bytes(payload), payload).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
            expect(parsePayload(payload)).toEqual({ kind: 'pick', fieldId: field.id, value: option.value });
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('step tags tell a field, a confirmation and the summary apart', () => {
    expect(stepTag({ kind: 'summary' })).toBe('s');
    expect(stepTag({ kind: 'field', fieldId: 'period' })).toBe('f.period');
    expect(stepTag({ kind: 'confirm', fieldId: 'period', value: null, warning: 'w' })).toBe('c.period');
  });

  it('round-trips any short option value', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,15}$/),
        fc.stringMatching(/^[a-z0-9-]{1,30}$/),
        (fieldId, value) => {
          const payload = pickPayload(fieldId, value);
          expect(bytes(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
          expect(parsePayload(payload)).toEqual({ kind: 'pick', fieldId, value });
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    '',
    'nav',
    'nav:',
    'nav::s',
    'nav:back:',
    'nav:explode:s',
    'nav:back.3:s',
    'nav:edit:s',
    'nav:edit.1234:s',
    'nav:BACK:s',
    'nav:back:f.period:extra',
    'nav:back:f/period',
    'pick:',
    'pick:district:',
    'pick::shinan',
    'pick:dis-trict:shinan',
    `pick:district:${'x'.repeat(41)}`,
    '/file key-project',
    'javascript:alert(1)',
  ])('refuses the malformed payload %j', (payload) => {
    expect(parsePayload(payload)).toBeUndefined();
  });

  it('never throws on arbitrary payloads', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (payload) => {
        const parsed = parsePayload(payload);
        if (parsed !== undefined) expect(['nav', 'pick']).toContain(parsed.kind);
      }),
      { numRuns: 300 },
    );
  });
});

const keyProjectFlow = keyProject();
const zhContext = runnerContext('zh-CN');
const zh = translate('zh-CN');

/** A typed message to the key-project draft; it must continue the draft. */
function step(state: FlowState, text: string): { state: FlowState; text: string } {
  const outcome = stepFlow(keyProjectFlow, state, { kind: 'text', text }, zhContext);
  if (outcome.kind !== 'continue') throw new Error(`expected continue, got ${outcome.kind}`);
  return { state: outcome.state, text: outcome.replies.map(toPlainText).join('\n') };
}

/** A key-project draft whose first `count` fields are answered. */
function answered(count: number): FlowState {
  let state = startFlow(keyProjectFlow, zhContext, { target: { kind: 'new' } }).state;
  for (const answer of KEY_PROJECT_ANSWERS.slice(0, count)) state = step(state, answer).state;
  return state;
}

describe('navigation words typed at a field', () => {
  it('does not save 提交 or 修改 as the answer of a field', () => {
    const before = answered(2);
    for (const word of ['提交', 'submit', '修改']) {
      const after = step(before, word);
      expect(after.state.values['organizer']).toBeUndefined();
      expect(after.state.cursor).toEqual({ kind: 'field', fieldId: 'organizer' });
      expect(after.text).toContain(zh('flow.not_here'));
    }
  });

  it('修改 N at a field goes back to field N, then on to the first missing field', () => {
    const before = answered(4);
    const back = step(before, '修改 2');
    expect(back.state.cursor).toEqual({ kind: 'field', fieldId: 'projectName' });
    const on = step(back.state, '改过的名称');
    expect(on.state.values['projectName']).toBe('改过的名称');
    expect(on.state.cursor).toEqual({ kind: 'field', fieldId: 'venue' });
  });

  it('understands 修改第三项 with a Chinese numeral', () => {
    expect(parseNavWord('修改第三项')).toEqual({ kind: 'edit', index: 3 });
    expect(parseNavWord('修改第十二项')).toEqual({ kind: 'edit', index: 12 });
    const summary = answered(KEY_PROJECT_ANSWERS.length);
    expect(step(summary, '修改第三项').state.cursor).toEqual({ kind: 'field', fieldId: 'organizer' });
  });
});
