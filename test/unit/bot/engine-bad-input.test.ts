/**
 * Acceptance "bad input": whatever a person (or a broken client) sends in the middle of a filing, the
 * engine answers, never throws, and loses nothing already entered; every invalid value to a typed
 * field is refused with its own reason and the same field is asked again.
 */
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { I18nParams } from '../../../src/kernel/i18n.js';
import type { SessionData } from '../../../src/domain/session.js';
import { navPayload, pickPayload } from '../../../src/flow/navigation.js';
import {
  KEY_PROJECT_ANSWERS,
  KEY_PROJECT_VALUES,
  createHarness,
  keyProject,
  translate,
  type Harness,
  type Sender,
} from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const flow = keyProject();
const FIELD_IDS = flow.fields.map((field) => field.id);
const EXPECTED: Record<string, unknown> = { ...KEY_PROJECT_VALUES };

let h: Harness;
let users = 0;
beforeAll(() => {
  h = createHarness();
});
afterAll(async () => {
  await h.cleanup();
});

/** A new user, so every case starts from its own draft. */
function newUser(): Sender {
  users += 1;
  return { userId: `bad-${users}` };
}

async function sessionOf(sender: Sender): Promise<SessionData | undefined> {
  const begun = await h.store.begin({
    deliveryId: undefined,
    dedupeTtlMs: 1,
    key: { platform: 'test', chatId: sender.chatId ?? 'c1', userId: sender.userId ?? 'u1' },
  });
  return begun.session?.data;
}

/** Starts the form and answers the fields before `fieldId`. */
async function reach(sender: Sender, fieldId: string): Promise<Record<string, unknown>> {
  await h.say('/file key-project', sender);
  const index = FIELD_IDS.indexOf(fieldId);
  for (const answer of KEY_PROJECT_ANSWERS.slice(0, index)) await h.say(answer, sender);
  const draft = (await sessionOf(sender))?.flow;
  expect(draft?.cursor).toEqual({ kind: 'field', fieldId });
  const before: Record<string, unknown> = {};
  for (const id of FIELD_IDS.slice(0, index)) before[id] = EXPECTED[id];
  expect(draft?.values).toEqual(before);
  return before;
}

/** Answers whatever the draft asks (a confirmation with 是) until it reaches the summary. */
async function finish(sender: Sender): Promise<void> {
  for (let turns = 0; turns < 40; turns += 1) {
    const cursor = (await sessionOf(sender))?.flow?.cursor;
    if (cursor === undefined || cursor.kind === 'summary') break;
    const answer = cursor.kind === 'confirm' ? '是' : KEY_PROJECT_ANSWERS[FIELD_IDS.indexOf(cursor.fieldId)] ?? '';
    await h.say(answer, sender);
  }
  expect((await sessionOf(sender))?.flow?.cursor).toEqual({ kind: 'summary' });
}

function question(fieldId: string): string {
  const n = FIELD_IDS.indexOf(fieldId) + 1;
  return `（${n}/16） ${zh(`flows.key-project.fields.${fieldId}.label`)}`;
}

const BAD_INPUTS: [string, string][] = [
  ['an empty string', ''],
  ['whitespace only', ' \t\u3000\u00a0 \n '],
  ['a 100 KB line', '长'.repeat(100 * 1024)],
  ['a 100 KB line of ASCII', 'x'.repeat(100 * 1024)],
  ['control characters only', '\u0000\u0001\u0007\u001b\u007f\u0085'],
  ['control characters in text', '青岛\u0000\u001b[31m科协\u0007'],
  ['emoji only', '😀🎉👍🏽👨‍👩‍👧'],
  ['a script tag', '<script>alert(1)</script>'],
  ['an RTL override', '\u202E青岛市科协\u202C'],
  ['an RTL override alone', '\u202E\u202D\u2066\u2069'],
  ['zero-width characters only', '\u200b\u200c\u200d\u2060\ufeff'],
  ['zero-width characters in text', '青\u200b岛\u200d科\ufeff协'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate with text', '\udc00青岛'],
  ['reversed surrogates', '\udc00\ud800'],
  ['a SQL injection', "'; DROP TABLE filings; --"],
  ['a label-shaped line', '联系电话：'],
  ['a slash alone', '/'],
];

describe.each(['organizer', 'phone'])('bad input at %s', (fieldId) => {
  it.each(BAD_INPUTS)('%s: answered, never thrown, nothing entered is lost', async (_name, input) => {
    const sender = newUser();
    const before = await reach(sender, fieldId);

    const replies = await h.handle(h.inbound({ text: input }, sender));
    expect(replies.length).toBeGreaterThanOrEqual(1);

    const draft = (await sessionOf(sender))?.flow;
    expect(draft).toBeDefined();
    expect(draft?.values).toMatchObject(before);

    // Finish the form from wherever the draft now stands; the earlier answers are in the filing.
    await finish(sender);
    const done = await h.say('提交', sender);
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(done.text)?.[1];
    expect(receipt, done.text).toBeDefined();
    const filing = await h.store.getFiling(receipt ?? '');
    expect(filing?.values).toMatchObject(before);
  });
});

describe('bad input refused at the field it was given to', () => {
  it.each([
    ['an empty string', 'phone', '', 'flow.empty_input'],
    ['whitespace only', 'phone', '   ', 'flow.empty_input'],
    ['zero-width characters only', 'organizer', '\u200b\u200b', 'flow.empty_input'],
    ['control characters only', 'organizer', '\u0001\u0002', 'flow.empty_input'],
    ['a lone surrogate', 'organizer', '\ud800', 'flow.empty_input'],
  ])('%s at %s', async (_name, fieldId, input, key) => {
    const sender = newUser();
    await reach(sender, fieldId);
    const turn = await h.say(input, sender);
    expect(turn.text).toContain(`✗ ${zh(key)}`);
    expect(turn.text).toContain(question(fieldId));
    expect((await sessionOf(sender))?.flow?.cursor).toEqual({ kind: 'field', fieldId });
  });

  it('a 100 KB line at a text field is refused as too long', async () => {
    const sender = newUser();
    await reach(sender, 'organizer');
    const turn = await h.say('长'.repeat(100 * 1024), sender);
    expect(turn.text).toContain(`✗ ${zh('errors.text.too_long', { max: 100 })}`);
    expect(turn.text).toContain(question('organizer'));
    expect(turn.text.length).toBeLessThan(2000);
  });

  it('a 100 KB line at the phone field is refused as too long', async () => {
    const sender = newUser();
    await reach(sender, 'phone');
    const turn = await h.say('1'.repeat(100 * 1024), sender);
    expect(turn.text).toContain('✗ ');
    expect(turn.text).toContain(question('phone'));
    expect(turn.text.length).toBeLessThan(2000);
    expect((await sessionOf(sender))?.flow?.values['phone']).toBeUndefined();
  });

  it('stores markup and direction overrides as plain, cleaned text', async () => {
    const sender = newUser();
    await reach(sender, 'organizer');
    await h.say('<script>alert(1)</script>', sender);
    await h.say('\u202E青岛市科学技术局\u202C', sender);
    const values = (await sessionOf(sender))?.flow?.values;
    expect(values?.['organizer']).toBe('<script>alert(1)</script>');
    expect(values?.['supervisor']).toBe('青岛市科学技术局');
  });
});

function reason(code: string, params?: I18nParams): string {
  return zh(`errors.${code}`, params);
}

describe('invalid values to typed fields', () => {
  it.each([
    ['phone', '12345', 'phone.invalid', undefined],
    ['postalCode', '26607', 'postal.invalid', undefined],
    ['email', 'a@b', 'email.invalid', undefined],
    ['budget', 'abc', 'money.invalid', undefined],
    ['attendance', '0', 'integer.too_small', { min: 1 }],
    ['attendance', '-5', 'integer.too_small', { min: 1 }],
    ['attendance', '3.5', 'integer.not_whole', undefined],
    ['period', '2月30日', 'date.not_a_day', { text: '2月30日' }],
  ] as [string, string, string, I18nParams | undefined][])(
    '%s %j is refused with errors.%s and asked again',
    async (fieldId, input, code, params) => {
      const sender = newUser();
      const before = await reach(sender, fieldId);
      const turn = await h.say(input, sender);
      expect(turn.text).toContain(`✗ ${reason(code, params)}`);
      // The reason is a real message, not the bare key.
      expect(turn.text).not.toContain(`errors.${code}`);
      expect(turn.text).toContain(question(fieldId));
      const draft = (await sessionOf(sender))?.flow;
      expect(draft?.cursor).toEqual({ kind: 'field', fieldId });
      expect(draft?.values).toEqual(before);

      // A valid answer then goes through.
      const fixed = await h.say(KEY_PROJECT_ANSWERS[FIELD_IDS.indexOf(fieldId)] ?? '', sender);
      expect(fixed.text).not.toContain('✗');
      expect((await sessionOf(sender))?.flow?.values[fieldId]).toEqual(EXPECTED[fieldId]);
    },
  );

  it('a text field’s own reasons: too long', async () => {
    const sender = newUser();
    await reach(sender, 'projectLead');
    const turn = await h.say('张'.repeat(51), sender);
    expect(turn.text).toContain(`✗ ${reason('text.too_long', { max: 50 })}`);
    expect(turn.text).toContain(question('projectLead'));
  });

  it('the description’s own reasons: too short', async () => {
    const sender = newUser();
    await reach(sender, 'summary');
    const turn = await h.say('太短了', sender);
    expect(turn.text).toContain(`✗ ${reason('text.too_short', { min: 20 })}`);
    expect(turn.text).toContain(question('summary'));
  });

  it('an unknown district is refused with the choice reason', async () => {
    const sender = newUser();
    await reach(sender, 'district');
    const turn = await h.say('火星区', sender);
    expect(turn.text).toContain(`✗ ${reason('choice.unknown')}`);
    expect(turn.text).toContain(question('district'));
  });
});

describe('property: arbitrary messages', () => {
  const realPayloads = [
    navPayload({ kind: 'back' }, { kind: 'field', fieldId: 'projectName' }),
    navPayload({ kind: 'skip' }, { kind: 'field', fieldId: 'fax' }),
    navPayload({ kind: 'submit' }, { kind: 'summary' }),
    navPayload({ kind: 'edit', index: 3 }, { kind: 'summary' }),
    navPayload({ kind: 'edit-menu' }, { kind: 'summary' }),
    navPayload({ kind: 'yes' }, { kind: 'confirm', fieldId: 'period', value: null, warning: '' }),
    navPayload({ kind: 'cancel' }, { kind: 'field', fieldId: 'district' }),
    pickPayload('district', 'shinan'),
    pickPayload('district', 'nowhere'),
    '/my',
    '/file key-project',
    '/withdraw KP-2222222222 confirm',
    '/edit',
    '/start',
    '/help',
  ];

  const message = fc.oneof(
    fc.record({ text: fc.string({ unit: 'binary', maxLength: 2000 }) }),
    fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 2000 }) }),
    fc.record({ text: fc.constantFrom(...KEY_PROJECT_ANSWERS, '返回', '跳过', '提交', '修改 3', '取消', '是', '否', '帮助') }),
    fc.record({ action: fc.constantFrom(...realPayloads) }),
    fc.record({ action: fc.string({ unit: 'binary', maxLength: 100 }) }),
  );

  it('handle never rejects and always answers', async () => {
    const senders: Sender[] = [{ userId: 'prop-1' }, { userId: 'prop-2', chatId: 'g', chatKind: 'group' }, { userId: 'prop-3' }];
    for (const sender of senders) await h.say('/file key-project', sender);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(message, fc.nat({ max: senders.length - 1 }), async (content, who) => {
        runs += 1;
        const inbound = h.inbound(content, senders[who]);
        const replies = await h.handle(inbound);
        expect(replies.length).toBeGreaterThanOrEqual(1);
        for (const reply of replies) expect(['text', 'choices', 'file']).toContain(reply.kind);
      }),
      { numRuns: 200 },
    );
    expect(runs).toBe(200);
    // The drafts survived whatever was sent: each session is still readable.
    for (const sender of senders) expect(await sessionOf(sender)).toBeDefined();
  });
});
