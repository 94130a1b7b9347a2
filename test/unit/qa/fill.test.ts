/**
 * How to fill the forms, answered from the forms' own words: a question about one field gets its
 * label, what it means, the format and limits the form asks with, the hint and how to file it here,
 * in zh-CN and in en; filing here is one way of submitting, not a second one beside the e-mail;
 * paper copies are answered with what the notice says; a district with nothing to file is told
 * about /none. Driven through the shipped Q&A (event, locales, flows, data/qa.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/kernel/errors.js';
import { checkQaKnowledge, parseQaKnowledge } from '../../../src/qa/knowledge.js';
import { ask, createQaContext, event, i18n, QA_FILE } from '../../support/qa-context.js';

const zh = i18n.forLocale('zh-CN');
const en = i18n.forLocale('en');
const chinese = createQaContext({ locale: 'zh-CN' });
const english = createQaContext({ locale: 'en' });

/** A prompt as the answer quotes it: without the colon that invites the reply. */
const statement = (text: string): string => text.replace(/[：:]\s*$/u, '');

const FIELDS = [
  { zhQ: '邮编怎么填？', enQ: 'How do I fill in the postcode?', form: 'key-project', field: 'postalCode', n: 2 },
  { zhQ: '主管部门写什么？', enQ: 'What should I write for the supervising department?', form: 'key-project', field: 'supervisor', n: 2 },
  { zhQ: '主办单位写谁？', enQ: 'How should I fill in the organizer?', form: 'key-project', field: 'organizer', n: 2 },
  { zhQ: '传真没有怎么办', enQ: 'We have no fax, what do I write?', form: 'key-project', field: 'fax', n: 2 },
  { zhQ: '要传几张照片', enQ: 'How many photos do I need to upload?', form: 'exhibitor', field: 'photos', n: 1 },
  { zhQ: '开放时间怎么填', enQ: 'how do I fill in the opening times', form: 'open-institutions', field: 'institutions.openTime', n: 3 },
] as const;

describe('Q&A: how to fill a field', () => {
  for (const item of FIELDS) {
    it(`explains ${item.form}.${item.field} from the form's own words, in Chinese and in English`, () => {
      for (const [question, ctx, t, locale] of [[item.zhQ, chinese, zh, 'zh-CN'], [item.enQ, english, en, 'en']] as const) {
        const key = (part: string): string => `flows.${item.form}.fields.${item.field}.${part}`;
        const answer = ask(question, ctx).text;
        const formEntry = event.forms.find((form) => form.id === item.form);
        expect(formEntry).toBeDefined();
        expect(answer).toContain(t('qa.fill.field', { form: t('qa.form_name', { n: item.n, title: formEntry?.title[locale] ?? '' }), label: t(key('label')) }));
        expect(answer).toContain(t(key('help')));
        expect(answer).toContain(t('qa.fill.asked', { prompt: statement(t(key('prompt'))) }));
        if (i18n.has(key('hint'))) expect(answer).toContain(t(key('hint')));
        expect(answer).toContain(t('qa.fill.file_here', { command: `/file ${item.form}` }));
        expect(answer).toContain(t('qa.source', { section: formEntry?.section[locale] ?? '' }));
        // An answer about one field, not the list of the form's fields.
        expect(answer).not.toContain(t('qa.form_fields', { form: t('qa.form_name', { n: item.n, title: formEntry?.title[locale] ?? '' }) }));
      }
    });
  }

  it('gives the limits of the photos (1–9, 20 MB each) and of the video (3 minutes)', () => {
    expect(ask('要传几张照片', chinese).text).toMatch(/1–9 张.*20 MB/su);
    expect(ask('How many photos do I need to upload?', english).text).toMatch(/1-9 photos.*20 MB/su);
    expect(ask('视频多长', chinese).text).toContain('3 分钟');
    expect(ask('How long can the video be?', english).text).toContain('3 minutes');
  });

  it('refuses a field topic whose field has no words in the locales', () => {
    const data = JSON.parse(readFileSync(QA_FILE, 'utf8')) as { topics: Record<string, unknown>[] };
    const index = data.topics.findIndex((topic) => topic['id'] === 'field-postal-code');
    data.topics[index] = { ...data.topics[index], field: 'zipCode' };
    const qa = parseQaKnowledge(data, 'data/qa.json');
    expect(() => checkQaKnowledge(qa, event, i18n)).toThrow(ConfigError);
    expect(() => checkQaKnowledge(qa, event, i18n)).toThrow(`data/qa.json: topics.${index}.field: locales lack "flows.key-project.fields.zipCode.label"`);
  });

  it('refuses a field topic that does not name its field', () => {
    const data = JSON.parse(readFileSync(QA_FILE, 'utf8')) as { topics: Record<string, unknown>[] };
    const index = data.topics.findIndex((topic) => topic['id'] === 'field-photos');
    const { field: _dropped, ...withoutField } = data.topics[index] ?? {};
    data.topics[index] = withoutField;
    expect(() => parseQaKnowledge(data, 'data/qa.json')).toThrow(`data/qa.json: topics.${index}.field: answer "field" needs a form and a field`);
  });
});

describe('Q&A: where and how the forms go', () => {
  it('says filing here is the submission, without sending people to the mailbox as well', () => {
    for (const [question, ctx, t] of [['在这里填了还要发邮箱吗', chinese, zh], ['Do I still need to email the form if I file it here?', english, en]] as const) {
      const answer = ask(question, ctx).text;
      expect(answer).toContain(t('qa.fill.channel'));
      expect(answer).toContain('/file exhibitor');
      expect(answer).not.toContain(event.submission.email);
    }
  });

  it('answers about one form with "file here" and what staff forward, never "send it to the mailbox" too', () => {
    for (const [question, ctx, t, locale] of [['附件2要填什么', chinese, zh, 'zh-CN'], ['What fields are in the key project form?', english, en, 'en']] as const) {
      const answer = ask(question, ctx).text;
      expect(answer).toContain(t('qa.fill.file_here', { command: '/file key-project' }));
      expect(answer).toContain(t('qa.fill.forwarded', { to: event.submission.to[locale], email: event.submission.email }));
      expect(answer).not.toContain(t('qa.send_to', { to: event.submission.to[locale], email: event.submission.email, address: event.submission.address[locale] }));
    }
  });

  it('answers a paper copy with what the notice asks for, and whom to ask', () => {
    const answer = ask('要寄纸质版吗', chinese).text;
    expect(answer).toContain(zh('qa.fill.paper'));
    expect(answer).toContain('2021年4月30日前报送附件1');
    expect(answer).toContain('2021年6月10日前报送');
    expect(answer).toContain('0532-85911893');
    expect(answer).not.toContain(zh('qa.unknown'));
    expect(ask('Do we have to post a paper copy?', english).text).toContain(en('qa.fill.paper'));
  });

  it('tells a district with nothing to file about /none, for the forms that allow it', () => {
    const answer = ask('不用参展怎么办', chinese).text;
    expect(answer).toContain(zh('qa.fill.none', { example: '/none exhibitor' }));
    expect(answer).toContain('（open-institutions）');
    expect(answer).not.toContain('（key-project）');
    expect(ask('Our district has no exhibitors, what now?', english).text).toContain(en('qa.fill.none', { example: '/none exhibitor' }));
  });

  it('answers what is due after the week with the summary report and the video, by 10 June', () => {
    expect(ask('科技周结束后要交什么', chinese).text).toMatch(/总结报告.*3分钟.*6月10日/su);
    expect(ask('What is due after the week?', english).text).toMatch(/summary report.*3 minutes.*10 June/su);
  });
});
