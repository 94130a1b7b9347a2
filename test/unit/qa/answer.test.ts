/**
 * Answers: day counts on the turn's clock, buttons, `/file` only where a flow exists, the reply
 * language, and every topic composing in both languages with its part of the notice.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../../src/domain/reply.js';
import { allFlows } from '../../../flows/index.js';
import { createHarness } from '../../support/engine-harness.js';
import { ask, createQaContext, event, i18n, qaKnowledge } from '../../support/qa-context.js';

const zh = i18n.forLocale('zh-CN');
const en = i18n.forLocale('en');
const at = (iso: string): Date => new Date(`${iso}+08:00`);

describe('days relative to the clock', () => {
  it.each([
    ['2021-05-12T09:00:00', zh('qa.week_before', { days: 10 })],
    ['2021-05-21T23:59:00', zh('qa.week_before', { days: 1 })],
    ['2021-05-22T00:00:00', zh('qa.week_today')],
    ['2021-05-24T18:00:00', zh('qa.week_running', { day: 3, total: 7 })],
    ['2021-05-28T22:00:00', zh('qa.week_running', { day: 7, total: 7 })],
    ['2021-05-29T00:00:00', zh('qa.week_over')],
    ['2021-06-01T09:00:00', zh('qa.week_over')],
  ])('on %s the week answer says "%s"', (now, expected) => {
    expect(ask('科技周什么时候？', createQaContext({ now: at(now) })).text).toContain(expected);
  });

  it('counts each deadline on its own: the forms are over on 1 May, the summary report is not', () => {
    const text = ask('截止时间是哪天？', createQaContext({ now: at('2021-05-01T08:00:00') })).text;
    expect(text).toContain(`2021年4月30日前（通知第三部分（一）；附件2、3注）。${zh('qa.over')}`);
    expect(text).toContain(`2021年6月10日前（通知第三部分（四））。${zh('qa.days_left', { days: 40 })}`);
    expect(ask('截止时间是哪天？', createQaContext({ now: at('2021-04-30T23:00:00') })).text).toContain(zh('qa.today'));
  });
});

describe('buttons', () => {
  it('offers two or three related questions after an answer, as /ask #topic options under 64 bytes', () => {
    const ctx = createQaContext();
    for (const topic of qaKnowledge.topics) {
      const answer = ask(`#${topic.id}`, ctx);
      expect(answer.buttons.length, topic.id).toBeGreaterThanOrEqual(2);
      for (const button of answer.buttons) {
        expect(button.role).toBe('option');
        expect(button.payload).toMatch(/^\/ask #[a-z-]+$/u);
        expect(new TextEncoder().encode(button.payload).length).toBeLessThan(MAX_PAYLOAD_BYTES);
        expect(button.label).not.toMatch(/^qa\./u);
      }
    }
  });

  it('names the common questions in the user language', () => {
    const labels = createQaContext().qa.commonButtons('en').map((button) => button.label);
    expect(labels).toContain(en('qa.suggest.deadlines'));
    expect(labels.length).toBe(qaKnowledge.common.length);
  });

  it('answers a pressed button and /start shows the common questions, through the engine', async () => {
    const h = createHarness();
    try {
      const start = await h.say('/start');
      expect(start.buttons.map((button) => button.payload)).toEqual(expect.arrayContaining(['/ask #week', '/ask #deadlines', '/ask #contact']));
      const pressed = await h.press('/ask #video');
      expect(pressed.text).toContain('3 分钟');
      const typed = await h.say('/ask 主题是什么');
      expect(typed.text).toContain('百年回望');
    } finally {
      await h.cleanup();
    }
  });
});

describe('filing through the bot', () => {
  it('offers /file <id> exactly for the forms that have a flow', () => {
    const withFlows = createQaContext();
    const without = createQaContext({ flows: [] });
    for (const form of event.forms) {
      const question = form.attachment === undefined ? '#summary-report' : `附件${form.attachment}要填什么`;
      expect(ask(question, withFlows).text.includes(`/file ${form.id}`), form.id).toBe(allFlows.some((flow) => flow.id === form.id));
      expect(ask(question, without).text).not.toContain('/file');
    }
  });
});

describe('language of the reply', () => {
  it('follows /lang over the language of the question', () => {
    const pinned = createQaContext({ locale: 'en', session: { locale: 'en' } });
    expect(ask('截止时间是哪天？', pinned).text).toContain('by 30 April 2021');
  });

  it("uses the user's language when the question does not tell", () => {
    expect(ask('#theme', createQaContext({ locale: 'en' })).text).toContain('Theme: ');
    expect(ask('#theme', createQaContext({ locale: 'zh-CN' })).text).toContain('主题：');
  });
});

describe('every topic', () => {
  it.each(['zh-CN', 'en'] as const)('composes in %s with the part of the notice it comes from', (locale) => {
    const ctx = createQaContext({ locale });
    const t = i18n.forLocale(locale);
    for (const topic of qaKnowledge.topics) {
      const text = ask(`#${topic.id}`, ctx).text;
      expect(text).not.toMatch(/\{\w+\}|qa\.[a-z_]+/u);
      if (topic.answer === 'unknown') expect(text).toContain(t('qa.unknown'));
      else if (topic.answer !== 'help') expect(text, topic.id).toMatch(locale === 'zh-CN' ? /出处：|（通知第/u : /\(Source: |\(Part /u);
    }
  });
});
