/**
 * The event Q&A through the real console chat, as a child process with piped stdin: questions in
 * both languages get their answers, how to fill a field is answered from the form's own words,
 * the day count follows SCIWEEK_NOW, a number picks a suggested question, and a question the
 * notice does not answer gets "the notice does not say".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadI18n } from '../../src/kernel/i18n.js';
import { dataDirsPerTest, runConsoleScript } from '../support/console-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const i18n = loadI18n(path.join(ROOT, 'locales'));
const zh = i18n.forLocale('zh-CN');
const en = i18n.forLocale('en');

const dataDir = dataDirsPerTest();

describe('console chat: event Q&A', () => {
  it('answers piped questions in the language they are asked in, naming the part of the notice', async () => {
    const run = await runConsoleScript({ dataDir: dataDir() }, ['科技周什么时候开始？', 'What is the theme?', '報送郵箱是多少', '附件2要填什么']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2021年5月22日');
    expect(run.stdout).toContain('2021年5月28日');
    expect(run.stdout).toContain(zh('qa.source', { section: '通知第一部分（一）' }));
    expect(run.stdout).toContain('Theme: A Century in Retrospect');
    expect(run.stdout).toContain(en('qa.source', { section: 'Part I (2)' }));
    expect(run.stdout).toContain('kjjrencaichu@qd.shandong.cn');
    expect(run.stdout).toContain('拟参加人数');
    expect(run.stdout).toContain('/file key-project');
  });

  it('answers how to fill a field and what to do with nothing to file, outside a form', async () => {
    const run = await runConsoleScript({ dataDir: dataDir() }, ['邮编怎么填？', '不用参展怎么办']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(zh('flows.key-project.fields.postalCode.help'));
    expect(run.stdout).toContain(zh('qa.fill.asked', { prompt: '请输入邮政编码（6 位数字）' }));
    expect(run.stdout).toContain(zh('qa.fill.none', { example: '/none exhibitor' }));
    // Neither is answered with the list of the form's fields.
    expect(run.stdout).not.toContain('拟参加人数');
  });

  it('counts the days to the week from SCIWEEK_NOW: 10 days on 12 May', async () => {
    const run = await runConsoleScript({ dataDir: dataDir(), now: '2021-05-12T09:00:00+08:00' }, ['活动周还有几天？', 'How many days until the week starts?']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(zh('qa.week_before', { days: 10 }));
    expect(run.stdout).toContain(en('qa.week_before', { days: 10 }));
  });

  it('says the week is under way during it, and already over after it', async () => {
    const during = await runConsoleScript({ dataDir: dataDir(), now: '2021-05-24T09:00:00+08:00' }, ['科技周什么时候？']);
    expect(during.stdout).toContain(zh('qa.week_running', { day: 3, total: 7 }));
    const after = await runConsoleScript({ dataDir: dataDir(), now: '2021-06-01T09:00:00+08:00' }, ['科技周什么时候？', 'When is the deadline?']);
    expect(after.stdout).toContain(zh('qa.week_over'));
    // The forms' deadline has passed; the summary report is still 9 days away.
    expect(after.stdout).toContain(`by 30 April 2021 (Part III (1); notes to Attachments 2 and 3). ${en('qa.over')}`);
    expect(after.stdout).toContain(`by 10 June 2021 (Part III (4)). ${en('qa.days_left', { days: 9 })}`);
  });

  it('offers related questions as numbered choices, and a number asks one', async () => {
    const run = await runConsoleScript({ dataDir: dataDir() }, ['主题是什么？', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`1) ${zh('qa.suggest.contents')}`);
    expect(run.stdout).toContain('将“氢进万家”作为活动重要内容');
  });

  it('shows the common questions on /start and answers "帮助" with them', async () => {
    const run = await runConsoleScript({ dataDir: dataDir() }, ['/start', '帮助']);
    expect(run.stdout).toContain(zh('qa.suggest.deadlines'));
    expect(run.stdout).toContain(zh('qa.suggest.contact'));
    expect(run.stdout).toContain(zh('qa.help', { notice: '关于举办2021年青岛市科技活动周的通知' }));
  });

  it('says the notice does not say, with the contact phone, instead of inventing a venue or a date', async () => {
    const run = await runConsoleScript({ dataDir: dataDir() }, ['启动式在哪里举办？', 'Is there parking?']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(zh('qa.unknown'));
    expect(run.stdout).toContain(en('qa.unknown'));
    expect(run.stdout).toContain('0532-85911893');
    expect(run.stdout).not.toMatch(/\d{1,2}月\d{1,2}日|香港中路/u);
  });
});
