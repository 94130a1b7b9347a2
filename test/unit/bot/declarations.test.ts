/**
 * "nothing to file" (`/none <form> [district] [undo]`) through the real engine on the
 * SQLite store: a district declares it has no exhibit (附件1) or no open-day institution (附件3), which
 * counts as done in `computeStatus`; it can be undone until the form's deadline and not after; a form
 * that cannot be declared gets the usage. Here the user is staff (who may declare for any district)
 * and confirms each declaration; who else may declare is in declarations-guard.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { computeStatus, type FormStatus } from '../../../src/domain/status.js';
import {
  AFTER_DEADLINE,
  createHarness,
  event,
  submitKeyProject,
  translate,
  type Harness,
  type Turn,
} from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const EXHIBITOR = zh('flows.exhibitor.title');
const OPEN_INSTITUTIONS = zh('flows.open-institutions.title');
const USAGE = zh('declarations.usage', { forms: 'exhibitor, open-institutions' });

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

function harness(now?: Date): Harness {
  const h = createHarness({ staff: ['test:u1'], ...(now === undefined ? {} : { now }) });
  harnesses.push(h);
  return h;
}

/** Sends a `/none` command and, when it asks for a confirmation, presses 确认. */
async function say(h: Harness, command: string): Promise<Turn> {
  const asked = await h.say(command);
  const yes = asked.buttons.find((b) => b.label === zh('declarations.yes'));
  return yes === undefined ? asked : h.press(yes.payload);
}

/** The status of one district's form, from what the store holds now. */
async function statusOf(h: Harness, districtId: string, formId: string): Promise<FormStatus | undefined> {
  const filings = await h.store.listFilings({ eventId: event.id, includeWithdrawn: true });
  const declarations = await h.store.listDeclarations(event.id);
  const district = computeStatus(event, filings, declarations).find((d) => d.district.id === districtId);
  return district?.forms.find((f) => f.formId === formId);
}

describe('/none exhibitor 市南区', () => {
  it('records the declaration and computeStatus shows shinan/exhibitor done with declaredNone', async () => {
    const h = harness();
    expect(await statusOf(h, 'shinan', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: false, done: false });

    const declared = await say(h, '/none exhibitor 市南区');
    expect(declared.text).toContain(zh('declarations.declared', { form: EXHIBITOR, district: '市南区' }));
    expect(declared.text).toContain(zh('declarations.how_to_undo', { form: 'exhibitor' }));

    expect(await statusOf(h, 'shinan', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: true, done: true });
    // Only that district and that form.
    expect((await statusOf(h, 'shinan', 'key-project'))?.done).toBe(false);
    expect((await statusOf(h, 'shinan', 'open-institutions'))?.done).toBe(false);
    expect((await statusOf(h, 'shibei', 'exhibitor'))?.done).toBe(false);
    expect(await h.store.listDeclarations(event.id)).toEqual([
      { eventId: event.id, district: 'shinan', formId: 'exhibitor', declaredBy: 'test:u1', declaredByName: '测试员', at: h.clock.now().toISOString() },
    ]);
  });

  it('accepts the district by alias or English name', async () => {
    const h = harness();
    expect((await say(h, '/none exhibitor 市南')).text).toContain(zh('declarations.declared', { form: EXHIBITOR, district: '市南区' }));
    expect((await say(h, '/none open-institutions Huangdao')).text).toContain(
      zh('declarations.declared', { form: OPEN_INSTITUTIONS, district: '黄岛区（西海岸新区）' }),
    );
    expect((await statusOf(h, 'huangdao', 'open-institutions'))?.declaredNone).toBe(true);
  });

  it('undo removes it: shinan/exhibitor is no longer done', async () => {
    const h = harness();
    await say(h, '/none exhibitor 市南区');
    const undone = await say(h, '/none exhibitor 市南区 undo');
    expect(undone.text).toContain(zh('declarations.undone', { form: EXHIBITOR, district: '市南区' }));
    expect(await statusOf(h, 'shinan', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: false, done: false });
    expect(await h.store.listDeclarations(event.id)).toEqual([]);

    const again = await say(h, '/none exhibitor 市南区 undo');
    expect(again.text).toContain(zh('declarations.none_to_undo', { form: EXHIBITOR, district: '市南区' }));
  });

  it('takes the district a filing remembered, so the undo the reply suggests (/none exhibitor undo) works', async () => {
    const h = harness();
    await submitKeyProject(h);
    await say(h, '/none exhibitor');
    const undone = await say(h, '/none exhibitor undo');
    expect(undone.text).toContain(zh('declarations.undone', { form: EXHIBITOR, district: '市南区' }));
    const other = await say(h, '/none open-institutions');
    expect(other.text).toContain(zh('declarations.declared', { form: OPEN_INSTITUTIONS, district: '市南区' }));
  });

  it('asks which district when none is given or known, or the name is unknown', async () => {
    const h = harness();
    expect((await say(h, '/none exhibitor')).text).toContain(zh('declarations.which_district'));
    expect((await say(h, '/none exhibitor 火星区')).text).toContain(zh('declarations.which_district'));
    expect(await h.store.listDeclarations(event.id)).toEqual([]);
  });

  it('a filing and a declaration both count: filed 1, declaredNone, done', async () => {
    const h = harness();
    await submitKeyProject(h);
    await say(h, '/none exhibitor 市南区');
    expect(await statusOf(h, 'shinan', 'key-project')).toEqual({ formId: 'key-project', filed: 1, declaredNone: false, done: true });
    expect(await statusOf(h, 'shinan', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: true, done: true });
  });
});

describe('/none after the deadline', () => {
  it('is still open on the last day, 30 April, 23:59:59 Asia/Shanghai', async () => {
    const h = harness(new Date('2021-04-30T23:59:59+08:00'));
    expect((await say(h, '/none exhibitor 市南区')).text).toContain(zh('declarations.declared', { form: EXHIBITOR, district: '市南区' }));
  });

  it('refuses declaring and undoing with declarations.locked, and keeps what was declared', async () => {
    const h = harness();
    await say(h, '/none exhibitor 市南区');
    h.clock.set(AFTER_DEADLINE);
    const locked = zh('declarations.locked', { form: EXHIBITOR, district: '市南区' });

    const undo = await say(h, '/none exhibitor 市南区 undo');
    expect(undo.text).toContain(locked);
    expect(undo.text).not.toContain(zh('declarations.undone', { form: EXHIBITOR, district: '市南区' }));
    expect(await statusOf(h, 'shinan', 'exhibitor')).toMatchObject({ declaredNone: true, done: true });

    const declare = await say(h, '/none open-institutions 市北区');
    expect(declare.text).toContain(zh('declarations.locked', { form: OPEN_INSTITUTIONS, district: '市北区' }));
    expect(await statusOf(h, 'shibei', 'open-institutions')).toMatchObject({ declaredNone: false, done: false });
    expect(await h.store.listDeclarations(event.id)).toHaveLength(1);
  });
});

describe('/none of a form that cannot be declared', () => {
  it.each(['/none key-project', '/none key-project 市南区', '/none summary-report 市南区', '/none', '/none nonsense 市南区'])(
    '%s gets the usage and records nothing',
    async (command) => {
      const h = harness();
      const reply = await h.say(command);
      expect(reply.text).toContain(USAGE);
      expect(await h.store.listDeclarations(event.id)).toEqual([]);
    },
  );
});
