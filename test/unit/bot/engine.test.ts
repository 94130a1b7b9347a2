/**
 * The engine end to end on the real SQLite store: dedupe (per platform), sessions per platform + chat
 * + user, the filing written in the commit that says "submitted", /my, /edit, /withdraw, the deadline
 * lock, the compare-and-set retry, the error boundary and drafts of an older flow version.
 */
import { afterEach, describe, it, expect } from 'vitest';
import { StoreError } from '../../../src/kernel/errors.js';
import { startFlow } from '../../../src/flow/runner.js';
import type { CommitRequest, CommitResult, Store } from '../../../src/store/store.js';
import {
  AFTER_DEADLINE,
  KEY_PROJECT_ANSWERS,
  KEY_PROJECT_VALUES,
  createHarness,
  fillKeyProject,
  keyProject,
  runnerContext,
  sessionOf,
  submitKeyProject,
  translate,
  type Harness,
  type HarnessOptions,
  type Sender,
} from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
const FORM = zh('flows.key-project.title');
const DEADLINE_ZH = '2021年4月30日';

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

function harness(options: HarnessOptions = {}): Harness {
  const h = createHarness(options);
  harnesses.push(h);
  return h;
}

/** Delegates every call to `store`, except the ones overridden. */
function wrapStore(store: Store, overrides: Partial<Store>): Store {
  return { ...store, ...overrides };
}

function receiptIn(text: string): string | undefined {
  return /(?:回执号：|Receipt: )(KP-[0-9A-Z]{10})/.exec(text)?.[1];
}

describe('dedupe', () => {
  it('drops a repeated delivery silently and applies it once', async () => {
    const h = harness();
    await h.say('/file key-project');
    const first = await h.say('市南', { deliveryId: 'update-42' });
    expect(first.text).toContain('（2/16） 项目名称');
    const again = await h.say('市南', { deliveryId: 'update-42' });
    expect(again.replies).toEqual([]);
    const draft = (await sessionOf(h))?.flow;
    expect(draft?.cursor).toEqual({ kind: 'field', fieldId: 'projectName' });
    expect(draft?.values).toEqual({ district: 'shinan' });
  });

  it('drops a repeated delivery id on one platform, not the same id from another platform', async () => {
    const h = harness();
    const first = await h.handle(h.inbound({ text: '/help' }, { deliveryId: 'same-1' }));
    const again = await h.handle(h.inbound({ text: '/help' }, { deliveryId: 'same-1' }));
    const otherPlatform = await h.handle({ ...h.inbound({ text: '/help' }, { deliveryId: 'same-1' }), platform: 'other' });
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual([]);
    expect(otherPlatform.length).toBeGreaterThan(0);
  });
});

describe('sessions', () => {
  it('keeps one session per user in a group chat', async () => {
    const h = harness();
    const alice: Sender = { userId: 'alice', chatId: 'g1', chatKind: 'group' };
    const bob: Sender = { userId: 'bob', chatId: 'g1', chatKind: 'group' };
    await h.say('/lang en', alice);
    expect((await h.say('/help', alice)).text).toContain(en('help.group_intro'));
    expect((await h.say('/help', bob)).text).toContain(zh('help.group_intro'));
    expect((await sessionOf(h, alice))?.locale).toBe('en');
    expect((await sessionOf(h, bob))?.locale).toBeUndefined();
  });

  it('files forms in private: in a group, /file links to the private chat and starts no draft', async () => {
    const h = harness();
    const inGroup = await h.say('/file key-project', { chatId: 'group', chatKind: 'group' });
    expect(inGroup.text).toContain(zh('group.file_in_private'));
    const link = inGroup.replies[0]?.kind === 'text' ? inGroup.replies[0].blocks.flatMap((b) => (b.kind === 'paragraph' ? b.spans : [])) : [];
    expect(link).toContainEqual({ kind: 'start-link', text: zh('flows.key-project.title'), payload: 'key-project' });
    expect((await sessionOf(h, { chatId: 'group', chatKind: 'group' }))?.flow).toBeUndefined();
  });

  it('keeps the same user’s drafts apart in two private chats', async () => {
    const h = harness();
    await h.say('/file key-project', { chatId: 'private' });
    await h.say('市南', { chatId: 'private' });
    const other = await h.say('/file key-project', { chatId: 'other-private' });
    expect(other.text).toContain('（1/16） 所属区市');
    expect((await sessionOf(h, { chatId: 'other-private' }))?.flow?.values).toEqual({});
    expect((await sessionOf(h, { chatId: 'private' }))?.flow?.values).toEqual({ district: 'shinan' });
  });

  it('resumes a draft at the same step with /file', async () => {
    const h = harness();
    await h.say('/file key-project');
    await h.say('市南');
    const resumed = await h.say('/file key-project');
    expect(resumed.text).toContain(zh('flow.resumed', { form: FORM }));
    expect(resumed.text).toContain('（2/16） 项目名称');
  });
});

describe('submitting', () => {
  it('writes the filing with the receipt the reply names, and ends the draft', async () => {
    const h = harness();
    const summary = await fillKeyProject(h);
    expect(summary.text).toContain(zh('flow.summary_title', { form: FORM }));
    expect(await h.store.listFilings({ eventId: 'qingdao-2021', includeWithdrawn: true })).toEqual([]);

    const done = await h.say('提交');
    expect(done.text).toContain(zh('filings.submitted', { form: FORM }));
    expect(done.text).toContain(zh('filings.after_submit', { date: DEADLINE_ZH }));
    const receipt = receiptIn(done.text);
    expect(receipt).toMatch(/^KP-[2-9A-HJKMNP-Z]{10}$/);

    const filing = await h.store.getFiling(receipt ?? '');
    expect(filing).toMatchObject({
      receipt,
      formId: 'key-project',
      flowVersion: 1,
      ownerKey: 'test:u1',
      ownerName: '测试员',
      district: 'shinan',
      status: 'submitted',
      reopened: false,
      version: 1,
      createdAt: '2021-04-20T02:00:00.000Z',
    });
    expect(filing?.values).toEqual(KEY_PROJECT_VALUES);
    const audit = await h.store.listAudit(5);
    expect(audit[0]).toMatchObject({ action: 'filing.submitted', receipt, actor: 'test:u1', formId: 'key-project' });

    const session = await sessionOf(h);
    expect(session?.flow).toBeUndefined();
    expect(session?.district).toBe('shinan');
  });

  it('remembers the district for the next form', async () => {
    const h = harness();
    await submitKeyProject(h);
    const next = await h.say('/file key-project');
    expect(next.text).toContain('（2/16） 项目名称');
    expect((await sessionOf(h))?.flow?.values).toEqual({ district: 'shinan' });
  });

  it('says nothing about a receipt when the filing could not be written', async () => {
    const h = harness({
      wrapStore: (store) =>
        wrapStore(store, {
          commit: (request: CommitRequest): Promise<CommitResult> =>
            (request.filings?.length ?? 0) > 0 ? Promise.resolve({ ok: false, conflict: 'session' }) : store.commit(request),
        }),
    });
    await fillKeyProject(h);
    const done = await h.say('提交');
    expect(done.text).toContain(zh('errors.conflict'));
    expect(done.text).not.toContain('回执号');
    expect(await h.store.listFilings({ eventId: 'qingdao-2021', includeWithdrawn: true })).toEqual([]);
    // The draft is still there, at the summary.
    const draft = (await sessionOf(h))?.flow;
    expect(draft?.cursor).toEqual({ kind: 'summary' });
    expect(draft?.values).toEqual(KEY_PROJECT_VALUES);
  });
});

describe('/my', () => {
  it('lists only one’s own filings', async () => {
    const h = harness();
    const mine = await submitKeyProject(h, { userId: 'u1' });
    const theirs = await submitKeyProject(h, { userId: 'u2' }, ['市北', '别人的项目', ...KEY_PROJECT_ANSWERS.slice(2)]);

    const myList = await h.say('/my', { userId: 'u1' });
    expect(myList.text).toContain(zh('filings.mine_title', { count: 1 }));
    expect(myList.text).toContain(mine);
    expect(myList.text).toContain(KEY_PROJECT_VALUES.projectName);
    expect(myList.text).toContain(zh('filings.state_open'));
    expect(myList.text).not.toContain(theirs);
    expect(myList.buttons.map((b) => b.payload)).toEqual([`/edit ${mine}`, `/withdraw ${mine}`]);

    const theirList = await h.say('/my', { userId: 'u2' });
    expect(theirList.text).toContain(theirs);
    expect(theirList.text).toContain('别人的项目');
    expect(theirList.text).not.toContain(mine);

    const nobody = await h.say('/my', { userId: 'u3' });
    expect(nobody.text).toContain(zh('filings.none'));
  });

  it('lists the same user’s filings from any private chat on the platform, and never in a group', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h, { chatId: 'private' });
    const fromOther = await h.say('/my', { chatId: 'other-private' });
    expect(fromOther.text).toContain(receipt);
    const fromGroup = await h.say('/my', { chatId: 'group', chatKind: 'group' });
    expect(fromGroup.text).not.toContain(receipt);
    expect(fromGroup.text).toContain(zh('group.file_in_private'));
  });
});

describe('/edit', () => {
  it('loads the filing at its summary; a change and submit keep the receipt and bump the version', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const opened = await h.say(`/edit ${receipt}`);
    expect(opened.text).toContain(zh('flow.summary_title_edit', { form: FORM }));
    expect(opened.text).toContain(`2. 项目名称：${KEY_PROJECT_VALUES.projectName}`);

    const asked = await h.say('修改 2');
    expect(asked.text).toContain('（2/16） 项目名称');
    expect(asked.text).toContain(`${zh('flow.current_value')}${KEY_PROJECT_VALUES.projectName}`);
    const back = await h.say('青岛海洋科普嘉年华（第二届）');
    expect(back.text).toContain('2. 项目名称：青岛海洋科普嘉年华（第二届）');

    h.clock.set(new Date('2021-04-25T09:00:00+08:00'));
    const done = await h.say('提交');
    expect(done.text).toContain(zh('filings.updated', { form: FORM }));
    expect(receiptIn(done.text)).toBe(receipt);

    const filing = await h.store.getFiling(receipt);
    expect(filing?.version).toBe(2);
    expect(filing?.status).toBe('submitted');
    expect(filing?.values).toEqual({ ...KEY_PROJECT_VALUES, projectName: '青岛海洋科普嘉年华（第二届）' });
    expect(filing?.createdAt).toBe('2021-04-20T02:00:00.000Z');
    expect(filing?.updatedAt).toBe('2021-04-25T01:00:00.000Z');
    const audit = await h.store.listAudit(5);
    expect(audit.map((entry) => entry.action)).toEqual(['filing.updated', 'filing.submitted']);
    expect(audit[0]?.receipt).toBe(receipt);
    expect(await h.store.listFilings({ eventId: 'qingdao-2021', includeWithdrawn: true })).toHaveLength(1);
  });

  it('accepts the receipt as typed: lower case, spaces, full-width dash', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const typed = ` ${receipt.toLowerCase().replace('-', '－')} `;
    const opened = await h.say(`/edit ${typed}`);
    expect(opened.text).toContain(zh('flow.summary_title_edit', { form: FORM }));
  });

  it('refuses while another draft is open', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    await h.say('/file key-project');
    const refused = await h.say(`/edit ${receipt}`);
    expect(refused.text).toContain(zh('flow.other_draft', { form: FORM }));
  });
});

describe('/withdraw', () => {
  it('asks first, withdraws on confirm, and /my then hides it', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    const asked = await h.say(`/withdraw ${receipt}`);
    expect(asked.text).toContain(zh('filings.withdraw_confirm', { receipt, title: KEY_PROJECT_VALUES.projectName }));
    expect(asked.buttons.map((b) => b.payload)).toContain(`/withdraw ${receipt} confirm`);
    expect((await h.store.getFiling(receipt))?.status).toBe('submitted');

    const done = await h.press(`/withdraw ${receipt} confirm`);
    expect(done.text).toContain(zh('filings.withdrawn', { receipt, title: KEY_PROJECT_VALUES.projectName }));
    const filing = await h.store.getFiling(receipt);
    expect(filing?.status).toBe('withdrawn');
    expect(filing?.version).toBe(2);
    expect((await h.store.listAudit(1))[0]).toMatchObject({ action: 'filing.withdrawn', receipt });

    const mine = await h.say('/my');
    expect(mine.text).toContain(zh('filings.none'));
    expect(mine.text).not.toContain(receipt);

    const again = await h.say(`/withdraw ${receipt} confirm`);
    // Its owner hears that it was withdrawn, and when, not that it does not exist.
    expect(again.text).toContain(zh('filings.already_withdrawn', { receipt, at: '2021-04-20' }));
    expect((await h.say(`/edit ${receipt}`)).text).toContain(zh('filings.already_withdrawn', { receipt, at: '2021-04-20' }));
  });
});

describe('after the deadline', () => {
  it('refuses edit and withdraw as locked, and /my shows the filing locked without buttons', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    h.clock.set(AFTER_DEADLINE);
    const locked = zh('filings.locked', { date: DEADLINE_ZH });
    expect((await h.say(`/edit ${receipt}`)).text).toContain(locked);
    expect((await h.say(`/withdraw ${receipt}`)).text).toContain(locked);
    expect((await h.say(`/withdraw ${receipt} confirm`)).text).toContain(locked);
    expect((await sessionOf(h))?.flow).toBeUndefined();
    const filing = await h.store.getFiling(receipt);
    expect(filing?.status).toBe('submitted');
    expect(filing?.version).toBe(1);

    const mine = await h.say('/my');
    expect(mine.text).toContain(receipt);
    expect(mine.text).toContain(zh('filings.state_locked'));
    expect(mine.buttons).toEqual([]);
  });

  it('is still open on the deadline day itself', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    h.clock.set(new Date('2021-04-30T23:59:59+08:00'));
    expect((await h.say(`/edit ${receipt}`)).text).toContain(zh('flow.summary_title_edit', { form: FORM }));
  });

  it('refuses an edit opened before the deadline and submitted after it, and keeps the filing', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h);
    await h.say(`/edit ${receipt}`);
    await h.say('修改 2');
    await h.say('迟到的新名称');
    h.clock.set(AFTER_DEADLINE);
    const refused = await h.say('提交');
    expect(refused.text).toContain(zh('filings.locked', { date: DEADLINE_ZH }));
    expect(refused.text).not.toContain(zh('filings.updated', { form: FORM }));
    const filing = await h.store.getFiling(receipt);
    expect(filing?.values['projectName']).toBe(KEY_PROJECT_VALUES.projectName);
    expect(filing?.version).toBe(1);
  });

  it('still takes a new filing, with a notice that it is late', async () => {
    const h = harness({ now: AFTER_DEADLINE });
    const started = await h.say('/file key-project');
    expect(started.text).toContain(zh('forms.late', { date: DEADLINE_ZH }));
    expect(started.text).toContain('（1/16） 所属区市');
  });
});

describe('someone else’s receipt', () => {
  it('is refused as not found for edit and withdraw, and the filing is untouched', async () => {
    const h = harness();
    const receipt = await submitKeyProject(h, { userId: 'owner' });
    const notFound = zh('filings.not_found');
    expect((await h.say(`/edit ${receipt}`, { userId: 'intruder' })).text).toContain(notFound);
    expect((await h.say(`/withdraw ${receipt}`, { userId: 'intruder' })).text).toContain(notFound);
    expect((await h.say(`/withdraw ${receipt} confirm`, { userId: 'intruder' })).text).toContain(notFound);
    expect((await h.press(`/withdraw ${receipt} confirm`, { userId: 'intruder' })).text).toContain(notFound);
    const filing = await h.store.getFiling(receipt);
    expect(filing?.status).toBe('submitted');
    expect(filing?.version).toBe(1);
    expect((await sessionOf(h, { userId: 'intruder' }))?.flow).toBeUndefined();
  });

  it.each(['/edit', '/edit KP-2222222222', '/withdraw', '/withdraw nonsense confirm'])('%s is refused as not found', async (command) => {
    const h = harness();
    expect((await h.say(command)).text).toContain(zh('filings.not_found'));
  });
});

describe('compare-and-set', () => {
  function firstCommitConflicts(calls: { begin: number; commit: number }): HarnessOptions {
    return {
      wrapStore: (store) =>
        wrapStore(store, {
          begin: (input) => {
            calls.begin += 1;
            return store.begin(input);
          },
          commit: (request) => {
            calls.commit += 1;
            return calls.commit === 1 ? Promise.resolve({ ok: false, conflict: 'session' }) : store.commit(request);
          },
        }),
    };
  }

  it('reruns once after a session conflict and answers correctly', async () => {
    const calls = { begin: 0, commit: 0 };
    const h = harness(firstCommitConflicts(calls));
    const started = await h.say('/file key-project');
    expect(calls).toEqual({ begin: 2, commit: 2 });
    expect(started.text).toContain(zh('flows.key-project.intro'));
    expect(started.text).toContain('（1/16） 所属区市');
    expect(started.text).not.toContain(zh('errors.conflict'));
    expect((await sessionOf(h))?.flow?.cursor).toEqual({ kind: 'field', fieldId: 'district' });
    // The rerun is not dropped as a duplicate of its own delivery, and the next message goes on.
    expect((await h.say('市南')).text).toContain('（2/16） 项目名称');
  });

  it('writes exactly one filing when the submit commit conflicts once', async () => {
    let conflicted = 0;
    const h = harness({
      wrapStore: (store) =>
        wrapStore(store, {
          commit: (request) => {
            if ((request.filings?.length ?? 0) > 0 && conflicted === 0) {
              conflicted += 1;
              return Promise.resolve({ ok: false, conflict: 'session' });
            }
            return store.commit(request);
          },
        }),
    });
    await fillKeyProject(h);
    const done = await h.say('提交');
    expect(conflicted).toBe(1);
    const receipt = receiptIn(done.text);
    expect(receipt).toBeDefined();
    const all = await h.store.listFilings({ eventId: 'qingdao-2021', includeWithdrawn: true });
    expect(all.map((f) => f.receipt)).toEqual([receipt]);
  });

  it('gives up after the second conflict with the conflict message', async () => {
    const h = harness({
      wrapStore: (store) => wrapStore(store, { commit: () => Promise.resolve({ ok: false, conflict: 'session' }) }),
    });
    const turn = await h.say('/file key-project');
    expect(turn.text).toBe(zh('errors.conflict'));
    expect(await sessionOf(h)).toBeUndefined();
  });

  it('a real concurrent change is seen by the rerun', async () => {
    // Another message lands between this message's begin and commit: the rerun sees its result.
    let injected = false;
    const h = harness({
      wrapStore: (store) =>
        wrapStore(store, {
          commit: async (request) => {
            if (!injected) {
              injected = true;
              const current = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: request.key });
              // Another message (a delivery of its own) of the same session.
              const { delivery: _own, ...another } = request;
              await store.commit({ ...another, expectedVersion: current.session?.version ?? 0, data: { locale: 'en' } });
            }
            return store.commit(request);
          },
        }),
    });
    const turn = await h.say('/help');
    expect(turn.text).toContain('/file');
    expect((await sessionOf(h))?.locale).toBe('en');
  });
});

describe('delivery marks', () => {
  it('handles a re-delivery whose first commit failed: the message is not lost as a "duplicate"', async () => {
    let failNext = true;
    const h = harness({
      wrapStore: (store) =>
        wrapStore(store, {
          commit: (request) => {
            if (!failNext) return store.commit(request);
            failNext = false;
            return Promise.reject(new StoreError('redis down', { cause: new Error('ECONNRESET') }));
          },
        }),
    });
    const sender = { deliveryId: 'update-7' };
    expect((await h.say('/file key-project', sender)).text).toBe(zh('errors.store_unavailable'));
    // The platform re-delivers the same update: this time it is handled.
    const again = await h.say('/file key-project', sender);
    expect(again.text).toContain('所属区市');
    expect((await sessionOf(h))?.flow?.flowId).toBe('key-project');
    // Once committed, a further re-delivery is dropped silently.
    expect((await h.handle(h.inbound({ text: '/file key-project' }, sender))).length).toBe(0);
  });
});

describe('error boundary', () => {
  it('answers "temporarily unavailable, may not have been handled, see /my" when the store fails outside the inbox, and never rejects', async () => {
    const h = harness({
      wrapStore: (store) =>
        wrapStore(store, { begin: () => Promise.reject(new StoreError('redis down', { cause: new Error('ECONNREFUSED') })) }),
    });
    const turn = await h.say('/file key-project');
    expect(turn.text).toBe(zh('errors.store_unavailable'));
    expect(turn.text).toContain('系统暂时不可用');
    // Outside the durable inbox the message is not kept: the answer promises nothing it cannot keep.
    expect(turn.text).toContain('可能没有处理完');
    expect(turn.text).toContain('/my');
    expect(turn.text).not.toContain('不会丢失');

    const english = await h.say('hello', { localeHint: 'en-US' });
    expect(english.text).toBe(en('errors.store_unavailable'));
    expect(english.text).toMatch(/temporarily unavailable[\s\S]*may not have been handled[\s\S]*\/my/);
  });

  it('apologises for a plain error, and never rejects', async () => {
    const h = harness({ wrapStore: (store) => wrapStore(store, { begin: () => Promise.reject(new Error('boom')) }) });
    await expect(h.handle(h.inbound({ text: '市南' }))).resolves.toHaveLength(1);
    const turn = await h.say('/my');
    expect(turn.text).toBe(zh('errors.internal'));
  });

  it('apologises when a store call throws synchronously', async () => {
    const h = harness({
      wrapStore: (store) =>
        wrapStore(store, {
          listFilings: () => {
            throw new StoreError('sync failure');
          },
        }),
    });
    const turn = await h.say('/my');
    expect(turn.text).toBe(zh('errors.store_unavailable'));
  });

  it('loses nothing of the draft when a commit fails', async () => {
    let failing = false;
    const h = harness({
      wrapStore: (store) =>
        wrapStore(store, {
          commit: (request) => (failing ? Promise.reject(new StoreError('disk full')) : store.commit(request)),
        }),
    });
    await h.say('/file key-project');
    await h.say('市南');
    await h.say('青岛海洋科普嘉年华');
    failing = true;
    expect((await h.say('青岛市科学技术协会')).text).toBe(zh('errors.store_unavailable'));
    failing = false;
    const draft = (await sessionOf(h))?.flow;
    expect(draft?.values).toEqual({ district: 'shinan', projectName: '青岛海洋科普嘉年华' });
    expect(draft?.cursor).toEqual({ kind: 'field', fieldId: 'organizer' });
    expect((await h.say('青岛市科学技术协会')).text).toContain('（4/16） 主管部门');
  });
});

describe('a draft of an older flow version', () => {
  it('is dropped with the "format updated" notice and the message handled without it', async () => {
    const h = harness();
    const flow = keyProject();
    const old = startFlow(flow, runnerContext(), { target: { kind: 'new' }, values: { district: 'shinan', projectName: '旧草稿' } }).state;
    const committed = await h.store.commit({
      key: { platform: 'test', chatId: 'c1', userId: 'u1' },
      expectedVersion: 0,
      data: { locale: 'zh-CN', flow: { ...old, flowVersion: flow.version + 1 } },
      sessionTtlMs: 60_000,
    });
    expect(committed.ok).toBe(true);

    const turn = await h.say('/file key-project');
    expect(turn.replies.length).toBeGreaterThanOrEqual(2);
    expect(turn.text.startsWith(zh('flow.restarted', { form: FORM }))).toBe(true);
    expect(turn.text).toContain(zh('flows.key-project.intro'));
    expect(turn.text).not.toContain(zh('flow.resumed', { form: FORM }));
    const draft = (await sessionOf(h))?.flow;
    expect(draft?.flowVersion).toBe(flow.version);
    expect(draft?.values).toEqual({});
  });

  it('is dropped on any message, not only on /file', async () => {
    const h = harness();
    const flow = keyProject();
    const old = startFlow(flow, runnerContext(), { target: { kind: 'new' } }).state;
    await h.store.commit({
      key: { platform: 'test', chatId: 'c1', userId: 'u1' },
      expectedVersion: 0,
      data: { flow: { ...old, flowVersion: 99 } },
      sessionTtlMs: 60_000,
    });
    const turn = await h.say('市南');
    expect(turn.text).toContain(zh('flow.restarted', { form: FORM }));
    expect((await sessionOf(h))?.flow).toBeUndefined();
  });
});
