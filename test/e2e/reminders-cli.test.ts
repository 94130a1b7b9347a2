/**
 * Acceptance — `sciweek remind plan --at <ISO> [--json]` as a child process (node bin/sciweek.js)
 * on a DATA_DIR whose SQLite store was prepared through the store API: three bound groups, two of
 * districts that still owe forms and one whose district filed or declared everything. The plan lists
 * exactly the two, with what each owes; without --json, one line a reminder. It sends nothing.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { makeDataDir, runSciweek } from '../support/console-process.js';
import { bindGroups, commitFiling, declareNone, groupBinding } from '../support/reminders-harness.js';

const AT = '2021-04-27T09:00:00+08:00';


describe('sciweek remind plan', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A DATA_DIR: 市南区 owes all three forms, 李沧区 filed 附件1, 崂山区 filed 附件2 and declared 附件1/3. */
  async function prepare(): Promise<string> {
    const data = makeDataDir();
    cleanups.push(data.remove);
    const store = createSqliteStore({ file: path.join(data.dir, 'sciweek.db') });
    try {
      await bindGroups(store, [groupBinding('shinan', '-1006000001'), groupBinding('licang', '-1006000002'), groupBinding('laoshan', '-1006000003')]);
      await commitFiling(store, 'licang', 'exhibitor');
      await commitFiling(store, 'laoshan', 'key-project');
      await declareNone(store, 'laoshan', 'exhibitor');
      await declareNone(store, 'laoshan', 'open-institutions');
    } finally {
      await store.close();
    }
    return data.dir;
  }

  it('--json lists exactly the two groups whose districts owe something, with what they owe', { timeout: 30_000 }, async () => {
    const dir = await prepare();
    const run = await runSciweek(['remind', 'plan', '--at', AT, '--json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const plan: unknown = JSON.parse(run.stdout);
    expect(plan).toEqual([
      {
        audience: 'groups',
        ruleId: 'forms-t3',
        deadlineId: 'forms',
        sendAt: '2021-04-27T01:00:00.000Z',
        group: groupBinding('shinan', '-1006000001'),
        district: 'shinan',
        owed: [
          { formId: 'exhibitor', filed: 0 },
          { formId: 'key-project', filed: 0 },
          { formId: 'open-institutions', filed: 0 },
        ],
      },
      {
        audience: 'groups',
        ruleId: 'forms-t3',
        deadlineId: 'forms',
        sendAt: '2021-04-27T01:00:00.000Z',
        group: groupBinding('licang', '-1006000002'),
        district: 'licang',
        owed: [
          { formId: 'key-project', filed: 0 },
          { formId: 'open-institutions', filed: 0 },
        ],
      },
    ]);
  });

  it('without --json prints one line a reminder, and nothing in the quiet hours', { timeout: 30_000 }, async () => {
    const dir = await prepare();
    const run = await runSciweek(['remind', 'plan', '--at', AT], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line !== '')).toEqual([
      '2021-04-27 09:00 forms-t3 telegram:-1006000001 shinan exhibitor(0) key-project(0) open-institutions(0)',
      '2021-04-27 09:00 forms-t3 telegram:-1006000002 licang key-project(0) open-institutions(0)',
    ]);

    const quiet = await runSciweek(['remind', 'plan', '--at', '2021-04-27T21:00:00+08:00'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
  });
});
