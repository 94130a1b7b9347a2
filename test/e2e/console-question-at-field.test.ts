/**
 * A question in the middle of a form and a typed confirmation, through the real console chat as a
 * child process: `截止日期是哪天？` at 项目名称 is answered with the deadline and 项目名称 asked again
 * (the filing keeps the name typed afterwards), and `/withdraw <receipt>` then `确定` withdraws.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadI18n } from '../../src/kernel/i18n.js';
import { makeDataDir, spawnConsole } from '../support/console-process.js';
import { KEY_PROJECT_ANSWERS } from '../support/engine-harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const zh = loadI18n(path.join(ROOT, 'locales')).forLocale('zh-CN');

/** The key project's answers after its district, then 提交. */
const REST = [...KEY_PROJECT_ANSWERS.slice(1), '提交'];

/** A text as a pattern that matches it literally. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

describe('console chat: a question at a field, a typed confirmation', () => {
  it('answers the deadline at 项目名称 and asks it again; /withdraw then 确定 withdraws', async () => {
    const made = makeDataDir();
    cleanups.push(made.remove);
    const chat = spawnConsole({ dataDir: made.dir });
    for (const line of ['/file key-project', '市南', '截止日期是哪天？']) chat.send(line);
    const asked = await chat.waitFor(/2021年4月30日[\s\S]*（2\/16） 项目名称[^\n]*\n[^\n]*\n/);
    const afterQuestion = asked.slice(asked.indexOf('2021年4月30日'));
    expect(afterQuestion).toContain(zh('flows.key-project.fields.projectName.prompt'));
    for (const line of REST) chat.send(line);
    const filed = await chat.waitFor(/回执号：KP-[0-9A-Z]{10}/);
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(filed)?.[1] ?? '';
    expect(filed).toContain('项目名称：青岛海洋科普嘉年华');
    expect(filed).not.toContain('项目名称：截止日期是哪天？');
    chat.send(`/withdraw ${receipt}`);
    await chat.waitFor(new RegExp(escape(zh('filings.withdraw_confirm', { receipt, title: '青岛海洋科普嘉年华' }))));
    chat.send('确定');
    const withdrawn = zh('filings.withdrawn', { receipt, title: '青岛海洋科普嘉年华' });
    await chat.waitFor(new RegExp(escape(withdrawn)));
    chat.child.stdin.end();
    const done = await chat.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(withdrawn);
  });
});
