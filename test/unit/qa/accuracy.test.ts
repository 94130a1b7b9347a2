/**
 * Accuracy of the event Q&A over the question set: at least 95% of the answers carry their facts
 * in the language of the question, and no question the notice does not answer gets an invented
 * answer. Driven through `answerQuestion` with a real TurnContext (shipped event, locales, flows).
 */
import { describe, expect, it } from 'vitest';
import { ask, createQaContext, i18n } from '../../support/qa-context.js';
import { grade } from './grade.js';
import { CHINESE, ENGLISH, OUT_OF_SCOPE, QUESTIONS } from './questions.js';
import { CHINESE_FILL, ENGLISH_FILL, OUT_OF_SCOPE_FILL } from './questions-fill.js';

const TRADITIONAL = /[時間報聯繫電話郵視頻啟開題動週幾號麼個們為嗎請問關於資項備單參總結標識傳處學會辦舉點裡區機構進萬氫領導黨創務儀場節經費數負責簡圖長鐘還]/u;

describe('Q&A accuracy over the question set', () => {
  it('has the size and mix the issue asks for', () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(150);
    expect(CHINESE.length).toBeGreaterThanOrEqual(100);
    expect(CHINESE.filter((item) => TRADITIONAL.test(item.q)).length).toBeGreaterThanOrEqual(15);
    expect(ENGLISH.length).toBeGreaterThanOrEqual(40);
    expect(OUT_OF_SCOPE.length).toBeGreaterThanOrEqual(15);
    // How to fill the forms: fields, e-mail or here, paper, nothing to file, after the week.
    expect(CHINESE_FILL.length + ENGLISH_FILL.length).toBeGreaterThanOrEqual(100);
    expect(CHINESE_FILL.filter((item) => TRADITIONAL.test(item.q)).length).toBeGreaterThanOrEqual(10);
    expect(new Set(QUESTIONS.map((item) => item.q)).size).toBe(QUESTIONS.length);
  });

  it('answers at least 95% correctly and never invents an answer the notice does not give', () => {
    // The user's language is Chinese: English questions must still be answered in English.
    const ctx = createQaContext({ locale: 'zh-CN' });
    const failures: string[] = [];
    const invented: string[] = [];
    let correct = 0;
    for (const item of QUESTIONS) {
      const answer = ask(item.q, ctx);
      const result = grade(item, answer.text, i18n);
      if (result.ok) correct += 1;
      else failures.push(`${item.q} → ${result.problems.join('; ')}`);
      if (result.invented) invented.push(`${item.q} → ${answer.text}`);
    }
    const accuracy = correct / QUESTIONS.length;
    console.log(
      `Q&A accuracy: ${correct}/${QUESTIONS.length} = ${(accuracy * 100).toFixed(1)}% ` +
        `(${CHINESE.length + CHINESE_FILL.length} Chinese, ${ENGLISH.length + ENGLISH_FILL.length} English, ${OUT_OF_SCOPE.length + OUT_OF_SCOPE_FILL.length} out of scope)` +
        (failures.length === 0 ? '' : `\nfailures:\n${failures.join('\n')}`),
    );
    expect(invented).toEqual([]);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('answers a Chinese question in Chinese for an English-speaking user, and the reverse', () => {
    const english = createQaContext({ locale: 'en' });
    expect(grade({ q: '截止时间是哪天？', lang: 'zh-CN', about: 'deadlines' }, ask('截止时间是哪天？', english).text, i18n).ok).toBe(true);
    const chinese = createQaContext({ locale: 'zh-CN' });
    expect(grade({ q: 'When is the deadline?', lang: 'en', about: 'deadlines' }, ask('When is the deadline?', chinese).text, i18n).ok).toBe(true);
  });
});
