/**
 * 取消 at the summary of the 16-field key-project form, in the console chat as a child process: it
 * asks 确认放弃 / 继续填写 first; 2 (继续填写) keeps the draft and shows the summary again, and 1
 * (确认放弃) drops it, so 提交 afterwards files nothing.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { makeDataDir, runConsoleScript } from '../support/console-process.js';
import { KEY_PROJECT_ANSWERS, event, translate } from '../support/engine-harness.js';

const zh = translate('zh-CN');

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

describe('console: 取消 at the summary', () => {
  it('asks first; 继续填写 keeps the draft, 确认放弃 drops it and nothing is filed', async () => {
    const made = makeDataDir();
    cleanups.push(made.remove);
    const run = await runConsoleScript({ dataDir: made.dir, user: 'cx1' }, ['/file key-project', ...KEY_PROJECT_ANSWERS, '取消', '2', '取消', '1', '提交']);
    expect(run.code).toBe(0);
    const question = zh('flow.discard.question', { count: 16 });
    const [, afterFirst = '', afterSecond = ''] = run.stdout.split(question);
    expect(afterFirst).toContain(zh('flow.discard.kept'));
    expect(afterFirst).toContain('青岛海洋科普嘉年华');
    expect(afterFirst).not.toContain(zh('flow.cancelled'));
    expect(afterSecond).toContain(zh('flow.cancelled'));
    expect(afterSecond).not.toContain('回执号');
    const store = createSqliteStore({ file: path.join(made.dir, 'sciweek.db') });
    try {
      expect(await store.listFilings({ eventId: event.id, includeWithdrawn: true })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
