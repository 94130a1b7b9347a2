/**
 * The shared cases of the `sciweek purge` end-to-end tests (purge-cli-sqlite, purge-cli-redis): the
 * real command as a child process (`node bin/sciweek.js purge …`) with its stdin piped, on a real store
 * seeded through the store API (and, in one case, through the real console chat), checked afterwards
 * through the store API, and for SQLite its files read as raw bytes. Each backend gives its own isolated
 * data (a temp DATA_DIR, a fresh key prefix).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { runConsoleScript } from './console-process.js';
import { event } from './engine-harness.js';
import { replyTo, updateBody } from './purge-queue-fixtures.js';
import { valuesIn } from './purge-files.js';
import { makeAudit, makeFiling, makeFlowState, makeSessionData } from './store-fixtures.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'sciweek.js');

/** The event this bot serves (data/event.json), and an older one in the same store. */
export const SERVED = event.id;
const OTHER = 'qingdao-2020';

/** One isolated store the CLI is pointed at by `env`. */
export interface PurgeBackend {
  /** DATA_DIR and, for Redis, REDIS_URL and REDIS_KEY_PREFIX. */
  env: Record<string, string>;
  /** Opens the same data through the store API (the caller closes it). */
  open: () => Store;
  remove: () => Promise<void>;
  /** The line (English) the CLI prints once it has rewritten the store's files. */
  erased: string;
  /** The raw bytes of the store's files, when the test can read them. */
  files?: () => Buffer;
}

/** The store's files, once none of `values` is in them (a Redis deletes its old AOF files just after a rewrite), or after 5 s. */
async function filesWithout(files: () => Buffer, values: readonly string[]): Promise<Buffer> {
  for (let tries = 0; tries < 100 && valuesIn(files(), values).length > 0; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return files();
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `sciweek …args` with `input` piped to stdin (stdin closed at once when there is none). */
export function runCli(args: readonly string[], backend: PurgeBackend, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', SCIWEEK_NOW: '2021-06-20T10:00:00+08:00', ...backend.env };
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Runs `body` on a fresh store of the backend, closed afterwards. */
async function withStore<T>(backend: PurgeBackend, body: (store: Store) => Promise<T>): Promise<T> {
  const store = backend.open();
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** The served event's first filing's own values, looked for in the raw files after the purge. */
const S1_VALUES = { ownerName: '赵海燕', contactPerson: '孙立群', phone: '13912345678' };

/**
 * Seeds the served event (two filings, one withdrawn, three audit entries, a declaration, two drafts, a
 * reminder, an update and a reply waiting), an older event and a group. Returns the served event's
 * values that are its own (the older event's filing shares the fixtures' defaults) and the older receipt.
 */
async function seed(backend: PurgeBackend): Promise<{ servedValues: string[]; otherReceipt: string }> {
  return withStore(backend, async (store) => {
    const s1 = makeFiling({ eventId: SERVED, ownerName: S1_VALUES.ownerName, values: { contactPerson: S1_VALUES.contactPerson, phone: S1_VALUES.phone } });
    const s2 = makeFiling({ eventId: SERVED, ownerKey: 'telegram:2002', district: '崂山区' });
    const o1 = makeFiling({ eventId: OTHER });
    const at = '2021-04-20T02:00:00.000Z';
    const seedKey = { platform: 'seed', chatId: 'seed', userId: 'seed' };
    const commit = (filings: Array<[typeof s1, number]>, audit: ReturnType<typeof makeAudit>[]) =>
      store.commit({ key: seedKey, expectedVersion: 0, data: null, sessionTtlMs: 1, filings: filings.map(([filing, expectedVersion]) => ({ filing, expectedVersion })), audit });
    await commit([[s1, 0], [s2, 0], [o1, 0]], [makeAudit(s1.receipt, 'filing.submitted', at), makeAudit(s2.receipt, 'filing.submitted', at), makeAudit(o1.receipt, 'filing.submitted', at)]);
    await commit([[{ ...s2, status: 'withdrawn', version: 2 }, 1]], [makeAudit(s2.receipt, 'filing.withdrawn', at)]);
    const ttl = 30 * 86_400_000;
    await store.commit({ key: { platform: 'telegram', chatId: '3003', userId: '3003' }, expectedVersion: 0, data: makeSessionData(), sessionTtlMs: ttl });
    const editing = makeSessionData({ flow: makeFlowState({ target: { kind: 'edit', receipt: s1.receipt, filingVersion: 1 } }) });
    await store.commit({ key: { platform: 'slack', chatId: 'D04', userId: 'U04' }, expectedVersion: 0, data: editing, sessionTtlMs: ttl });
    for (const eventId of [SERVED, OTHER]) await store.putDeclaration({ eventId, district: 'shinan', formId: 'exhibitor', declaredBy: 'telegram:1001', at });
    await store.recordReminder({ at, ruleId: 'forms-t7', platform: 'telegram', chatId: '-100', district: 'shinan', outcome: 'sent' });
    await store.putGroup({ platform: 'telegram', chatId: '-100', district: 'shinan', boundBy: 'telegram:1001', boundAt: at });
    await store.inboxAppend(0, updateBody({ platform: 'telegram', userId: '1001', chatId: '1001' }, `电话改为 ${S1_VALUES.phone}`));
    await store.commit({ key: seedKey, expectedVersion: 0, data: null, sessionTtlMs: 1, outbox: replyTo('telegram', '1001', `回执号：${s1.receipt}`) });
    return { servedValues: [...Object.values(S1_VALUES), s1.receipt, s2.receipt], otherReceipt: o1.receipt };
  });
}

/** What the store holds of both events, through the store API. */
function snapshot(backend: PurgeBackend) {
  return withStore(backend, async (store) => {
    const otherFilings = await store.listFilings({ eventId: OTHER, includeWithdrawn: true });
    const otherReceipts = new Set(otherFilings.map((f) => f.receipt));
    return {
      served: await store.countEvent(SERVED, { servedEvent: true }),
      other: {
        filings: otherFilings,
        declarations: await store.listDeclarations(OTHER),
        audit: (await store.listAudit(100)).filter((entry) => otherReceipts.has(entry.receipt)),
      },
      groups: await store.listGroups(),
    };
  });
}

/** A key project (附件2) as a person types it into the console chat. */
const KEY_PROJECT_FILING = [
  '/file key-project', '市南', '青岛海洋科普嘉年华', '青岛市科学技术协会', '青岛市科学技术局', '青岛市市南区五四广场',
  '5月22日-28日', '张三', '李四', '青岛市香港中路１１号', '２６６０７１', '(0532)85911893', '138 0013 8000',
  'kp@example.cn', '5万元', '约300人', '活动面向青少年开放，内容包括海洋科普展览和科学家讲座；通过公众号宣传。', '提交',
];

const SEEDED = { filings: 2, auditEntries: 3, declarations: 1, sessions: 2, reminderOutcomes: 1, inboxEntries: 1, outboxEntries: 1 };
const EN_SEEDED = '2 filings, 3 audit entries, 1 "nothing to file" declarations, 2 chat sessions and drafts, 1 reminder records, 1 messages waiting to be handled, 1 replies waiting to be sent';
const ZERO = { filings: 0, auditEntries: 0, declarations: 0, sessions: 0, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 };

/** Registers the CLI cases for one backend; `make` gives a fresh isolated backend per call. */
export function registerPurgeCliCases(make: () => Promise<PurgeBackend>): void {
  const made: PurgeBackend[] = [];
  afterEach(async () => {
    for (const backend of made.splice(0)) await backend.remove();
  });
  const fresh = async (): Promise<PurgeBackend & Awaited<ReturnType<typeof seed>>> => {
    const backend = await make();
    made.push(backend);
    return { ...backend, ...(await seed(backend)) };
  };

  it('removes nothing and exits 1 without a confirmation or with a wrong one, after showing the counts', async () => {
    const backend = await fresh();
    const before = await snapshot(backend);
    expect(before.served).toEqual(SEEDED);
    const silent = await runCli(['purge', '--event', SERVED, '--lang', 'en'], backend);
    expect(silent.code, silent.stderr).toBe(1);
    expect(silent.stdout).toContain(`Event ${SERVED}: this would remove ${EN_SEEDED}.`);
    expect(silent.stdout).toContain(`type the event id (${SERVED})`);
    expect(silent.stderr).toContain(`The confirmation did not match "${SERVED}": nothing was removed.`);
    const wrong = await runCli(['purge', '--event', SERVED], backend, `${OTHER}\n`);
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toContain(`输入的确认内容与“${SERVED}”不符：未删除任何数据。`);
    expect(await snapshot(backend)).toEqual(before);
  }, 60_000);

  it('purges after the event id is typed back, prints the counts removed, and leaves the older event alone', async () => {
    const backend = await fresh();
    const before = await snapshot(backend);
    if (backend.files !== undefined) expect(valuesIn(backend.files(), backend.servedValues)).toEqual(backend.servedValues);
    const run = await runCli(['purge', '--event', SERVED, '--lang', 'en'], backend, `  ${SERVED}  \n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Removed for event ${SERVED}: ${EN_SEEDED}.`);
    expect(run.stdout).toContain(backend.erased);
    // The files themselves: none of the served event's values, the older event's receipt still there.
    if (backend.files !== undefined) {
      const bytes = await filesWithout(backend.files, backend.servedValues);
      expect(valuesIn(bytes, backend.servedValues)).toEqual([]);
      expect(valuesIn(bytes, [backend.otherReceipt])).toEqual([backend.otherReceipt]);
    }
    const after = await snapshot(backend);
    expect(after.served).toEqual(ZERO);
    expect(after.other).toEqual(before.other);
    expect(after.other.filings).toHaveLength(1);
    expect(after.other.audit).toHaveLength(1);
    expect(after.groups).toEqual(before.groups);
    expect(after.groups).toHaveLength(1);
    const again = await runCli(['purge', '--event', SERVED, '--lang', 'en'], backend);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 filings, 0 audit entries');
    expect(again.stdout).toContain('Nothing to remove.');
    expect(again.stdout).toContain(backend.erased);
  }, 60_000);

  it('purges with --yes without asking: a filing made through the real console chat is gone too', async () => {
    const backend = await fresh();
    const chatRun = { dataDir: backend.env['DATA_DIR'] ?? '', user: 'u1', env: backend.env };
    const chat = await runConsoleScript(chatRun, KEY_PROJECT_FILING);
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(chat.stdout)?.[1];
    expect(receipt, chat.stdout + chat.stderr).toBeDefined();
    const counts = (await snapshot(backend)).served;
    // The chat's filing, its audit entry and its session join the seeded ones.
    expect(counts).toEqual({ ...SEEDED, filings: 3, auditEntries: 4, sessions: 3 });
    const run = await runCli(['purge', '--event', SERVED, '--yes'], backend);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('请输入活动编号');
    expect(run.stdout).toContain(`已删除活动 ${SERVED} 的填报 ${counts.filings} 条、审计记录 ${counts.auditEntries} 条`);
    expect((await snapshot(backend)).served).toEqual(ZERO);
    const mine = await runConsoleScript(chatRun, ['/my']);
    expect(mine.code).toBe(0);
    expect(mine.stdout).not.toContain(receipt);
  }, 90_000);

  it('answers a missing --event with a usage error (exit 2) and an unknown event with 0 of everything', async () => {
    const backend = await fresh();
    const before = await snapshot(backend);
    const missing = await runCli(['purge', '--yes'], backend);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('sciweek purge needs --event ID');
    expect(missing.stderr).toContain('sciweek purge --event ID [--yes]');
    const unknown = await runCli(['purge', '--event', 'no-such-event', '--lang', 'en'], backend);
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain('0 filings, 0 audit entries, 0 "nothing to file" declarations, 0 chat sessions and drafts, 0 reminder records');
    expect(unknown.stdout).toContain('Nothing to remove.');
    expect(await snapshot(backend)).toEqual(before);
  }, 60_000);
}
