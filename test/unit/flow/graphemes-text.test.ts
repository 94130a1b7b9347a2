/**
 * User text counted and cut by grapheme wherever it is counted or cut: the clean-up keeps the joiners
 * and variation selectors inside emoji sequences (and still drops a stray joiner), names and file
 * names are shortened between clusters, a field's length, a parser's input, a message and a question
 * are counted in characters as people see them, and the renderers lay out and shorten labels by them.
 */
import { describe, expect, it } from 'vitest';
import { choicesReply, paragraph, type Button } from '../../../src/domain/reply.js';
import { textField, longTextField } from '../../../src/flow/fields.js';
import { MAX_MESSAGE_CHARS, MAX_QUESTION_CHARS, refuseLongMessage, refuseLongQuestion } from '../../../src/flow/limits.js';
import { prepareInput } from '../../../src/flow/parse/input.js';
import { cleanDisplayName, cleanFileName, cleanText, normalizeText } from '../../../src/flow/parse/normalize.js';
import { graphemeCount, graphemes } from '../../../src/kernel/graphemes.js';
import { toKeyboard } from '../../../src/adapters/telegram/render.js';
import { SLACK_LIMITS, toSlackMessages } from '../../../src/adapters/slack/render.js';
import { runnerContext, translate } from '../../support/engine-harness.js';
import { CODER, FAMILY, HEART_ON_FIRE, KEYCAP, KISS, PIRATE, RAINBOW, SCOTLAND } from '../../support/emoji.js';

const FLAGS = '🇨🇳🇺🇸';
const SEQUENCES = [FAMILY, RAINBOW, PIRATE, CODER, KISS, HEART_ON_FIRE, FLAGS, SCOTLAND, KEYCAP];
const ctx = runnerContext('zh-CN');
const zh = translate('zh-CN');

describe('the clean-up keeps emoji sequences whole', () => {
  it.each(SEQUENCES)('keeps %s as it was typed, alone and in a sentence', (sequence) => {
    expect(cleanText(sequence)).toBe(sequence);
    expect(normalizeText(`我们一家 ${sequence} 参加`)).toBe(`我们一家 ${sequence} 参加`);
    expect(cleanText(` \u200B${sequence}\u202E `)).toBe(sequence);
  });

  it('still drops a joiner that joins no emoji, and a zero-width space inside a sequence does not split it', () => {
    expect(cleanText('青\u200D岛')).toBe('青岛');
    expect(cleanText('\u200D😀')).toBe('😀');
    expect(cleanText('😀\u200D')).toBe('😀');
    expect(cleanText('a\u200D😀')).toBe('a😀');
    expect(cleanText('😀\u200Da')).toBe('😀a');
    expect(cleanText('👨\u200B\u200D👩')).toBe('👨\u200D👩');
    expect(cleanText(cleanText('👨\u200D\u200D👩'))).toBe('👨👩');
  });

  it('keeps combining marks with their letters (composed where Unicode has one form)', () => {
    expect(cleanText('Cafe\u0301')).toBe('Café');
    expect(cleanText('e\u0301\u0302')).toBe('e\u0301\u0302'.normalize('NFC'));
    expect(graphemeCount(cleanText('Zoe\u0308 e\u0331\u0301'))).toBe(5);
  });
});

describe('names are shortened between clusters', () => {
  it('cuts a display name at 64 characters without splitting a family', () => {
    const name = cleanDisplayName(`张${FAMILY.repeat(70)}`) ?? '';
    expect(graphemeCount(name)).toBeLessThanOrEqual(64);
    expect([...graphemes(name)].slice(1).every((cluster) => cluster === FAMILY)).toBe(true);
    expect(cleanDisplayName(`${RAINBOW} 李四`)).toBe(`${RAINBOW} 李四`);
  });

  it('cuts a file name at 200 characters without splitting a flag', () => {
    const name = cleanFileName(`${FLAGS.repeat(150)}.jpg`) ?? '';
    expect(graphemeCount(name)).toBe(200);
    expect(name).toBe('🇨🇳🇺🇸'.repeat(100));
  });
});

describe('lengths are counted in characters as people see them', () => {
  it('takes a one-line answer of 10 families where 10 characters are allowed, and refuses 11', () => {
    const field = textField('name', { column: '名称', maxLength: 10 });
    expect(field.parse(FAMILY.repeat(10), ctx)).toEqual({ ok: true, value: FAMILY.repeat(10) });
    expect(field.parse(FAMILY.repeat(11), ctx)).toMatchObject({ ok: false, error: 'text.too_long' });
    const long = longTextField('about', { column: '简介', minLength: 3, maxLength: 5 });
    expect(long.parse(`${KISS}${CODER}${SCOTLAND}`, ctx)).toMatchObject({ ok: true });
    expect(long.parse(`${KISS}${CODER}`, ctx)).toMatchObject({ ok: false, error: 'text.too_short' });
  });

  it('lets a parser read an input of its length in characters', () => {
    expect(prepareInput('😀'.repeat(5), 'postal', 5)).toEqual({ ok: true, text: '😀'.repeat(5) });
    expect(prepareInput('😀'.repeat(6), 'postal', 5)).toMatchObject({ ok: false, error: 'postal.too_long' });
  });

  it('counts a message and a question by character, and bounds their UTF-16 units too', () => {
    expect(refuseLongMessage(FLAGS.repeat(MAX_MESSAGE_CHARS / 2), zh)).toBeUndefined();
    const over = '😀'.repeat(MAX_MESSAGE_CHARS + 1);
    expect(refuseLongMessage(over, zh)).toEqual(expect.objectContaining({ blocks: [paragraph(zh('limits.message_too_long', { length: MAX_MESSAGE_CHARS + 1, max: MAX_MESSAGE_CHARS }))] }));
    expect(refuseLongQuestion(FAMILY.repeat(MAX_QUESTION_CHARS), zh)).toBeUndefined();
    const question = `${FAMILY.repeat(MAX_QUESTION_CHARS)}？`;
    expect(refuseLongQuestion(question, zh)).toEqual(expect.objectContaining({ blocks: [paragraph(zh('limits.question_too_long', { length: MAX_QUESTION_CHARS + 1, max: MAX_QUESTION_CHARS }))] }));
    // A few letters under thousands of combining marks: refused by their units.
    const piled = `a${'\u0301'.repeat(40_000)}`;
    expect(refuseLongQuestion(piled, zh)).toEqual(expect.objectContaining({ blocks: [paragraph(zh('limits.question_too_long', { length: piled.length, max: MAX_QUESTION_CHARS }))] }));
  });
});

describe('labels are laid out and shortened by character', () => {
  const option = (label: string): Button => ({ label, payload: 'p', role: 'option' });

  it('puts two Telegram option buttons a row while each label is at most 12 characters', () => {
    expect(toKeyboard([option(FAMILY.repeat(12)), option('市南区')]).inline_keyboard).toHaveLength(1);
    expect(toKeyboard([option(FAMILY.repeat(13)), option('市南区')]).inline_keyboard).toHaveLength(2);
  });

  it('shortens a long Slack button label between clusters, within its limit', () => {
    const [message] = toSlackMessages(choicesReply([paragraph('选择')], [option(FAMILY.repeat(20)), option(`${'a'.repeat(73)}${FLAGS}`)]));
    const actions = message?.blocks.find((block) => block['type'] === 'actions') as { elements: { text: { text: string } }[] } | undefined;
    const [families, flags] = (actions?.elements ?? []).map((element) => element.text.text);
    expect(families).toBe(`${FAMILY.repeat(6)}…`);
    expect([...(families ?? '')].length).toBeLessThanOrEqual(SLACK_LIMITS.buttonTextChars);
    expect(flags).toBe(`${'a'.repeat(73)}…`);
  });
});
