/**
 * The hours of the day through the real console chat (a child process on the embedded store): a key
 * project held 5月22日 9:00-16:00 shows its hours on the summary and the receipt and keeps them in the
 * CSV export from the command line; an English 附件3 row open May 22-23, 9am-4pm shows them on its summary.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirsPerTest, runConsoleScript, runSciweek } from '../support/console-process.js';
import { KEY_PROJECT_ANSWERS } from '../support/engine-harness.js';

const dataDir = dataDirsPerTest();

describe('hours of the day in the console chat', () => {
  it('zh-CN: 举办时间 5月22日 9:00-16:00 is kept on the summary, the receipt and the CSV export', async () => {
    const dir = dataDir();
    const answers = KEY_PROJECT_ANSWERS.map((answer) => (answer === '5月22日-28日' ? '5月22日 9:00-16:00' : answer));
    const run = await runConsoleScript({ dataDir: dir, user: 'kp1' }, ['/file key-project', ...answers, '提交']);
    expect(run.code).toBe(0);
    const receiptAt = run.stdout.search(/回执号：KP-[0-9A-Z]{10}/);
    expect(receiptAt).toBeGreaterThan(-1);
    // On the summary before 提交, and on the receipt after it.
    expect(run.stdout.slice(0, receiptAt)).toContain('举办时间：2021年5月22日 9:00–16:00');
    expect(run.stdout.slice(receiptAt)).toContain('2021年5月22日 9:00–16:00');
    const out = path.join(dir, 'kp.csv');
    const exported = await runSciweek(['export', '--format', 'csv', '--form', 'key-project', '--out', out], dir);
    expect(exported.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('2021年5月22日 9:00–16:00');
  });

  it('en: a 附件3 row open May 22-23, 9am-4pm is kept on the summary', async () => {
    const dir = dataDir();
    const run = await runConsoleScript({ dataDir: dir, user: 'oi1', lang: 'en' }, [
      '/file open-institutions',
      '1',
      'Ocean University of China',
      'Marine Science Museum',
      'May 22-23, 9am-4pm',
      'Lab tours',
      '5 Yushan Road, Shinan',
      'Zhang San',
      '0532-82031234',
      'done',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Marine Science Museum | 22–23 May 2021, 9:00–16:00 | Lab tours');
    expect(run.stdout).not.toContain('⚠');
  });
});
