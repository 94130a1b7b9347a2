/**
 * Matching: folding, segmentation, synonyms and the language of a question.
 */
import { describe, expect, it } from 'vitest';
import { createMatcher } from '../../../src/qa/match.js';
import { createFolder, questionLanguage } from '../../../src/qa/text.js';
import { qaKnowledge, shippedQa } from '../../support/qa-context.js';

const findTopic = (question: string): ReturnType<typeof shippedQa.findTopic> => shippedQa.findTopic(question);

const matcher = createMatcher(qaKnowledge);
const fold = createFolder(qaKnowledge.fold);

describe('text folding', () => {
  it('folds full-width forms, case and the Traditional characters that matter', () => {
    expect(fold('報送截止時間')).toBe('报送截止时间');
    expect(fold('聯繫電話　郵箱')).toBe('联系电话 邮箱');
    expect(fold('視頻 啟動式 開放')).toBe('视频 启动式 开放');
    expect(fold('ＡＴＴＡＣＨＭＥＮＴ　２')).toBe('attachment 2');
    expect(fold('甚麼時候')).toBe('什么时候');
  });
});

describe('concepts', () => {
  it('joins segments the word segmenter splits (氢/进/万/家) and reads inside long segments', () => {
    expect(matcher.conceptsOf('氢进万家是什么')).toContain('hydrogen');
    expect(matcher.conceptsOf('报送至指定邮箱')).toEqual(new Set(['submit', 'mailbox']));
  });

  it('treats 截至 and 截止, 啥时候 and 什么时候 alike', () => {
    expect(findTopic('截至日期是几号')?.id).toBe(findTopic('截止日期是几号')?.id);
    expect(findTopic('科技周啥时候开始')?.id).toBe(findTopic('科技周什么时候开始')?.id);
  });

  it('reads English inflections and multi-word phrases', () => {
    expect(matcher.conceptsOf('What are the deadlines?')).toContain('deadline');
    expect(matcher.conceptsOf('Which universities open their labs?')).toEqual(new Set(['institution', 'open']));
    expect(findTopic('What is in attachment 2?')?.id).toBe('form-key-project');
  });

  it('finds nothing in a question about something else', () => {
    expect(findTopic('量子力学的原理')).toBeUndefined();
    expect(findTopic('')).toBeUndefined();
  });

  it('answers a topic named by a button payload', () => {
    expect(findTopic('#video')?.id).toBe('video');
    expect(findTopic('#no-such-topic')).toBeUndefined();
  });
});

describe('questionLanguage', () => {
  it.each([
    ['截止时间是哪天？', 'zh-CN'],
    ['報送郵箱是多少', 'zh-CN'],
    ['deadline是哪天', 'zh-CN'],
    ['When is the deadline?', 'en'],
    ['What is 氢进万家?', 'en'],
    ['deadline', undefined],
    ['#week', undefined],
    ['2021', undefined],
  ] as const)('%s → %s', (question, language) => {
    expect(questionLanguage(question)).toBe(language);
  });
});
