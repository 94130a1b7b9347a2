/**
 * Acceptance, on the engine — the city bureau staff's `/status [district]`, `/missing`,
 * `/list [form] [district]`, `/show <receipt>` and `/reopen <receipt>` over a seeded mix of filings
 * (written through `store.commit`, one withdrawn) and "nothing to file" declarations; every staff
 * command refused to non-staff with exactly `staff.refused` and no data. The engine is built as the
 * engine harness builds it, plus `staff` (STAFF_IDS) = `test:staff`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/kernel/clock.js';
import { createEngine } from '../../../src/bot/engine.js';
import type { Filing } from '../../../src/domain/filing.js';
import { silentLogger } from '../../../src/kernel/logger.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import type { Declaration, Store } from '../../../src/store/store.js';
import { allFlows } from '../../../flows/index.js';
import {
  AFTER_DEADLINE,
  BEFORE_DEADLINE,
  KEY_PROJECT_VALUES,
  event,
  i18n,
  makeInbound,
  submitKeyProject,
  toTurn,
  translate,
  type Harness,
  type Sender,
} from '../../support/engine-harness.js';
import { declaration, exhibitorFiling, keyProjectFiling, openInstitutionsFiling, summaryReportFiling } from '../../support/sample-filings.js';
import { botPorts } from '../../support/content.js';

const zh = translate('zh-CN');

const STAFF: Sender = { userId: 'staff', chatId: 'staff-chat', displayName: '市科技局' };
const DISTRICT_USER: Sender = { userId: 'district-user', chatId: 'district-chat', displayName: '区科技局' };

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

/** A real engine on a fresh SQLite file, as createHarness builds it, with `test:staff` as staff. */
function staffHarness(now: Date = BEFORE_DEADLINE): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-staff-'));
  const store = createSqliteStore({ file: path.join(dir, 'sciweek.db') });
  const clock = createManualClock(now);
  const engine = createEngine({
    ...botPorts,
    sessions: store,
    store,
    event,
    flows: allFlows,
    i18n,
    clock,
    log: silentLogger,
    defaultLocale: 'zh-CN',
    sessionTtlMs: 30 * 24 * 3600 * 1000,
    dedupeTtlMs: 24 * 3600 * 1000,
    staff: new Set(['test:staff']),
  });
  let counter = 0;
  const inbound: Harness['inbound'] = (content, sender = {}) => {
    counter += 1;
    return makeInbound(content, sender, { platform: 'test', deliveryId: `staff-d${counter}`, receivedAt: clock.now() });
  };
  const cleanup = async (): Promise<void> => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.push(cleanup);
  return {
    handle: engine.handle,
    store,
    clock,
    dir,
    inbound,
    say: async (text, sender) => toTurn(await engine.handle(inbound({ text }, sender))),
    press: async (payload, sender) => toTurn(await engine.handle(inbound({ action: payload }, sender))),
    cleanup,
  };
}

/**
 * Writes filings as the engine would: each created at version 0 as submitted; one at a later version
 * (withdrawn) is then written over its first version, as /withdraw does. Declarations via the store API.
 */
async function seed(store: Store, filings: readonly Filing[], declarations: readonly Declaration[]): Promise<void> {
  const key = { platform: 'seed', chatId: 'seed', userId: 'seed' };
  const created = await store.commit({
    key,
    expectedVersion: 0,
    data: null,
    sessionTtlMs: 1000,
    filings: filings.map((f) => ({ filing: { ...f, status: 'submitted' as const, version: 1 }, expectedVersion: 0 })),
  });
  if (!created.ok) throw new Error(`seed not committed: ${JSON.stringify(created)}`);
  const later = filings.filter((f) => f.version > 1);
  if (later.length > 0) {
    const updated = await store.commit({ key, expectedVersion: 0, data: null, sessionTtlMs: 1000, filings: later.map((f) => ({ filing: f, expectedVersion: f.version - 1 })) });
    if (!updated.ok) throw new Error(`seed not committed: ${JSON.stringify(updated)}`);
  }
  for (const d of declarations) await store.putDeclaration(d);
}

const FORM_IDS = ['exhibitor', 'key-project', 'open-institutions', 'summary-report'] as const;
type Mark = string;

/** The seeded mix and what staff must see, independent of the code under test. */
function seededMix(): {
  filings: Filing[];
  declarations: Declaration[];
  receipts: { shinanKp: [string, string]; shinanEx: string; laoshanEx: string[]; laoshanWithdrawn: string; shibeiKp: string; licangKp: string };
  matrix: Record<string, [Mark, Mark, Mark, Mark]>;
} {
  const shinanKp1 = keyProjectFiling('shinan', { projectName: '海洋科普嘉年华' });
  const shinanKp2 = keyProjectFiling('shinan', { projectName: '青少年机器人挑战赛' });
  const shinanEx = exhibitorFiling('shinan');
  const shibeiKp = keyProjectFiling('shibei', { projectName: '市北区科普大篷车' });
  const licangKp = keyProjectFiling('licang', { projectName: '李沧区院士讲堂' });
  const licangSr = summaryReportFiling('licang');
  const laoshanEx = [exhibitorFiling('laoshan'), exhibitorFiling('laoshan'), exhibitorFiling('laoshan')];
  const laoshanWithdrawn = keyProjectFiling('laoshan', { projectName: '已撤回的崂山项目' });
  laoshanWithdrawn.status = 'withdrawn';
  laoshanWithdrawn.version = 2;
  const huangdaoOi = openInstitutionsFiling('huangdao');
  const jimoSr = summaryReportFiling('jimo');
  const pingduEx = exhibitorFiling('pingdu');
  const filings = [shinanKp1, shinanKp2, shinanEx, shibeiKp, licangKp, licangSr, ...laoshanEx, laoshanWithdrawn, huangdaoOi, jimoSr, pingduEx];
  const declarations = [
    declaration('shinan', 'open-institutions'),
    declaration('shibei', 'exhibitor'),
    declaration('licang', 'exhibitor'),
    declaration('licang', 'open-institutions'),
    // Declared "none" but filed anyway: the filing wins (✓).
    declaration('pingdu', 'exhibitor'),
  ];
  const matrix: Record<string, [Mark, Mark, Mark, Mark]> = {};
  for (const d of event.districts) matrix[d.id] = ['✗', '✗', '✗', '✗'];
  matrix['shinan'] = ['✓', '✓2', '—', '✗'];
  matrix['shibei'] = ['—', '✓', '✗', '✗'];
  matrix['licang'] = ['—', '✓', '—', '✓'];
  matrix['laoshan'] = ['✓3', '✗', '✗', '✗'];
  matrix['huangdao'] = ['✗', '✗', '✓', '✗'];
  matrix['jimo'] = ['✗', '✗', '✗', '✓'];
  matrix['pingdu'] = ['✓', '✗', '✗', '✗'];
  return {
    filings,
    declarations,
    receipts: {
      shinanKp: [shinanKp1.receipt, shinanKp2.receipt],
      shinanEx: shinanEx.receipt,
      laoshanEx: laoshanEx.map((f) => f.receipt),
      laoshanWithdrawn: laoshanWithdrawn.receipt,
      shibeiKp: shibeiKp.receipt,
      licangKp: licangKp.receipt,
    },
    matrix,
  };
}

const SHORT = ['附1', '附2', '附3', '总结'] as const;

function districtName(id: string): string {
  const d = event.districts.find((x) => x.id === id);
  if (d === undefined) throw new Error(`no district ${id}`);
  return d.name['zh-CN'];
}

function title(formId: string): string {
  return zh(`flows.${formId}.title`);
}

/** The `• ` lines of a text, without the bullet. */
function items(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('• '))
    .map((line) => line.slice(2));
}

describe('staff status, missing, list and show', () => {
  it('/status shows ✓ (with counts above one), — and ✗ per district and form exactly as seeded', async () => {
    const h = staffHarness();
    const mix = seededMix();
    await seed(h.store, mix.filings, mix.declarations);

    const turn = await h.say('/status', STAFF);
    expect(turn.replies).toHaveLength(1);
    expect(turn.text).toContain(`${zh('staff.status_title')} (${SHORT.join(' · ')})`);
    expect(turn.text).toContain(zh('staff.legend'));
    const rows = items(turn.text);
    expect(rows).toHaveLength(event.districts.length);
    expect(rows).toEqual(
      event.districts.map((d) => {
        const marks = mix.matrix[d.id] ?? [];
        return `${d.name['zh-CN']}：${SHORT.map((s, i) => `${s} ${marks[i] ?? '?'}`).join(' · ')}`;
      }),
    );
    // The forms deadline is 10 days away on 20 April, the summary's 51.
    expect(turn.text).toContain('2021年4月30日（还有 10 天）');
    expect(turn.text).toContain('2021年6月10日（还有 51 天）');
  });

  it('/status <district> lists the receipts of each form, not withdrawn ones; an unknown district is named', async () => {
    const h = staffHarness();
    const mix = seededMix();
    await seed(h.store, mix.filings, mix.declarations);

    const shinan = await h.say('/status 市南区', STAFF);
    expect(shinan.text.split('\n')[0]).toBe('市南区');
    expect(items(shinan.text)).toEqual([
      `${title('exhibitor')}：✓ (${mix.receipts.shinanEx})`,
      `${title('key-project')}：✓2 (${mix.receipts.shinanKp.join(', ')})`,
      // Who declared "nothing to file" (the sample declaration: telegram:9, 25 April 2021, 09:00 in Qingdao).
      `${title('open-institutions')}：— · ${zh('declarations.by', { name: 'telegram:9', at: '2021年4月25日 09:00' })}`,
      `${title('summary-report')}：✗`,
    ]);

    const laoshan = await h.say('/status 崂山', STAFF);
    expect(items(laoshan.text)).toEqual([
      `${title('exhibitor')}：✓3 (${mix.receipts.laoshanEx.join(', ')})`,
      `${title('key-project')}：✗`,
      `${title('open-institutions')}：✗`,
      `${title('summary-report')}：✗`,
    ]);
    expect(laoshan.text).not.toContain(mix.receipts.laoshanWithdrawn);

    const unknown = await h.say('/status 不存在区', STAFF);
    expect(unknown.text).toContain(zh('group.unknown_district', { district: '不存在区' }));
    expect(items(unknown.text)).toEqual([]);
  });

  it('/missing lists exactly the districts that owe something, with what they owe', async () => {
    const h = staffHarness();
    const mix = seededMix();
    await seed(h.store, mix.filings, mix.declarations);

    const expected = event.districts
      .map((d) => ({ d, owed: FORM_IDS.filter((_, i) => (mix.matrix[d.id] ?? [])[i] === '✗') }))
      .filter(({ owed }) => owed.length > 0)
      .map(({ d, owed }) => `${d.name['zh-CN']}：${owed.map(title).join('、')}`);
    expect(expected).toHaveLength(event.districts.length - 1);

    const turn = await h.say('/missing', STAFF);
    expect(turn.text.split('\n')[0]).toBe(zh('staff.missing_title', { count: expected.length }));
    expect(items(turn.text)).toEqual(expected);
    expect(turn.text).not.toContain(districtName('licang'));
    expect(items(turn.text)).toContain(`市南区：${title('summary-report')}`);
  });

  it('/missing says nothing is missing once every district filed or declared everything', async () => {
    const h = staffHarness();
    const filings = event.districts.flatMap((d) => [keyProjectFiling(d.id), summaryReportFiling(d.id)]);
    const declarations = event.districts.flatMap((d) => [declaration(d.id, 'exhibitor'), declaration(d.id, 'open-institutions')]);
    await seed(h.store, filings, declarations);
    expect((await h.say('/missing', STAFF)).text).toBe(zh('staff.nothing_missing'));
  });

  it('/list filters by form and district (in either order) and leaves withdrawn filings out', async () => {
    const h = staffHarness();
    const mix = seededMix();
    await seed(h.store, mix.filings, mix.declarations);

    for (const command of ['/list key-project 市南区', '/list 市南区 key-project']) {
      const turn = await h.say(command, STAFF);
      expect(turn.text.split('\n')[0]).toBe(zh('staff.list_title', { count: 2 }));
      expect(items(turn.text)).toEqual([
        `${mix.receipts.shinanKp[0]} 附2 · 市南区 · 海洋科普嘉年华 · 2021-04-20`,
        `${mix.receipts.shinanKp[1]} 附2 · 市南区 · 青少年机器人挑战赛 · 2021-04-20`,
      ]);
    }

    const allKp = await h.say('/list key-project', STAFF);
    expect(allKp.text.split('\n')[0]).toBe(zh('staff.list_title', { count: 4 }));
    const listed = items(allKp.text).map((line) => line.split(' ')[0]);
    expect(new Set(listed)).toEqual(new Set([...mix.receipts.shinanKp, mix.receipts.shibeiKp, mix.receipts.licangKp]));
    expect(allKp.text).not.toContain(mix.receipts.laoshanWithdrawn);

    const everything = await h.say('/list', STAFF);
    expect(everything.text.split('\n')[0]).toBe(zh('staff.list_title', { count: mix.filings.length - 1 }));

    expect((await h.say('/list key-project 即墨区', STAFF)).text).toBe(zh('staff.no_filings'));
  });

  it('/show <receipt> shows the filing with its values, typed in any case; unknown receipts are not found', async () => {
    const h = staffHarness();
    const mix = seededMix();
    await seed(h.store, mix.filings, mix.declarations);
    const receipt = mix.receipts.shinanKp[0];

    const turn = await h.say(`/show ${receipt.toLowerCase()}`, STAFF);
    const lines = turn.text.split('\n');
    expect(lines[0]).toBe(title('key-project'));
    expect(lines[1]).toBe(`${zh('filings.receipt', { receipt })} · ${zh('filings.state_submitted', { at: '2021-04-21' })} · 王小明 (${mix.filings[0]?.ownerKey ?? '?'})`);
    const shown = items(turn.text);
    expect(shown).toContain('所属区市：市南区');
    expect(shown).toContain('项目名称：海洋科普嘉年华');
    expect(shown).toContain('主办单位：市南区科学技术局');
    expect(shown).toContain('联系电话：0532-85911893');
    expect(shown).toContain('电子邮箱：kjj@shinan.example.cn');
    expect(turn.text).not.toContain(mix.receipts.shinanKp[1]);

    const withdrawn = await h.say(`/show ${mix.receipts.laoshanWithdrawn}`, STAFF);
    expect(withdrawn.text).toContain(zh('filings.state_withdrawn', { at: '2021-04-21' }));
    expect(withdrawn.text).toContain('项目名称：已撤回的崂山项目');

    expect((await h.say('/show KP-NOSUCHRCPT', STAFF)).text).toBe(zh('filings.not_found'));
  });

  it('refuses every staff command to a non-staff user with exactly staff.refused, changing nothing', async () => {
    const h = staffHarness(AFTER_DEADLINE);
    const mix = seededMix();
    await seed(h.store, mix.filings, mix.declarations);
    const receipt = mix.receipts.shinanKp[0];
    const commands = ['/status', '/status 市南区', '/missing', '/list', '/list key-project 市南区', `/show ${receipt}`, `/reopen ${receipt}`, '/export xlsx', '/export csv key-project', '/remind preview', '/remind send'];
    for (const command of commands) {
      const turn = await h.say(command, DISTRICT_USER);
      expect(turn.replies, command).toEqual([{ kind: 'text', blocks: [{ kind: 'paragraph', spans: [zh('staff.refused')] }] }]);
    }
    // Also in a group chat the district is bound to.
    const inGroup = await h.say('/status', { ...DISTRICT_USER, chatId: 'district-group', chatKind: 'group' });
    expect(inGroup.text).toBe(zh('staff.refused'));

    const after = await h.store.getFiling(receipt);
    expect(after).toMatchObject({ reopened: false, version: 1 });
    expect(await h.store.listAudit(10)).toEqual([]);

    // The staff member is not refused.
    expect((await h.say('/status', STAFF)).text).not.toContain(zh('staff.refused'));
  });
});

describe('staff /reopen after the deadline', () => {
  it('unlocks a filing for its owner: /edit refused before, allowed after, and the submit bumps the version', async () => {
    const h = staffHarness(BEFORE_DEADLINE);
    const owner: Sender = { userId: 'owner', chatId: 'owner-chat', displayName: '张三' };
    const receipt = await submitKeyProject(h, owner);
    expect(await h.store.getFiling(receipt)).toMatchObject({ version: 1, reopened: false });

    h.clock.set(AFTER_DEADLINE);
    const locked = zh('filings.locked', { date: '2021年4月30日' });
    expect((await h.say(`/edit ${receipt}`, owner)).text).toBe(locked);
    expect((await h.say(`/withdraw ${receipt}`, owner)).text).toBe(locked);

    const reopened = await h.say(`/reopen ${receipt.toLowerCase()}`, STAFF);
    expect(reopened.text).toBe(zh('staff.reopened', { receipt }));
    expect(await h.store.getFiling(receipt)).toMatchObject({ version: 2, reopened: true, status: 'submitted' });
    const [audit] = await h.store.listAudit(1);
    expect(audit).toMatchObject({ action: 'filing.reopened', actor: 'test:staff', receipt, formId: 'key-project' });

    expect((await h.say(`/reopen ${receipt}`, STAFF)).text).toBe(zh('staff.already_reopened', { receipt }));
    expect(await h.store.getFiling(receipt)).toMatchObject({ version: 2 });
    expect((await h.say(`/show ${receipt}`, STAFF)).text).toContain(`· ${zh('staff.reopened_mark')}`);

    const opened = await h.say(`/edit ${receipt}`, owner);
    expect(opened.text).toContain(zh('flow.summary_title_edit', { form: title('key-project') }));
    await h.say('修改 2', owner);
    const changed = await h.say('青岛海洋科普嘉年华（补报）', owner);
    expect(changed.text).toContain('2. 项目名称：青岛海洋科普嘉年华（补报）');
    const done = await h.say('提交', owner);
    expect(done.text).toContain(zh('filings.updated', { form: title('key-project') }));
    expect(done.text).toContain(zh('filings.receipt', { receipt }));

    const stored = await h.store.getFiling(receipt);
    expect(stored).toMatchObject({ version: 3, reopened: true, status: 'submitted' });
    expect(stored?.values['projectName']).toBe('青岛海洋科普嘉年华（补报）');
    expect(stored?.values['organizer']).toBe(KEY_PROJECT_VALUES.organizer);
    const actions = (await h.store.listAudit(10)).map((entry) => entry.action);
    expect(actions).toEqual(['filing.updated', 'filing.reopened', 'filing.submitted']);
  });

  it('answers an unknown receipt with not found and reopens nothing', async () => {
    const h = staffHarness(AFTER_DEADLINE);
    expect((await h.say('/reopen KP-NOSUCHRCPT', STAFF)).text).toBe(zh('filings.not_found'));
    expect(await h.store.listAudit(10)).toEqual([]);
  });
});
