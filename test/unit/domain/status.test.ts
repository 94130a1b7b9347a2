/**
 * Who has filed what. `computeStatus(event, filings, declarations)` on its own (submitted
 * filings count, withdrawn ones and other events do not, a declaration counts as done), and filer
 * kinds: a university (高校) picked at the first field files and is stored as such, while the status of
 * the districts stays as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Filing } from '../../../src/domain/filing.js';
import { computeStatus, type DistrictStatus } from '../../../src/domain/status.js';
import type { Declaration } from '../../../src/domain/records.js';
import {
  KEY_PROJECT_ANSWERS,
  KEY_PROJECT_VALUES,
  createHarness,
  event,
  fillKeyProject,
  submitKeyProject,
  translate,
  type Harness,
} from '../../support/engine-harness.js';

const zh = translate('zh-CN');

function filing(overrides: Partial<Filing> & { receipt: string; formId: string }): Filing {
  return {
    eventId: event.id,
    flowVersion: 1,
    ownerKey: 'test:u1',
    ownerName: '测试员',
    values: {},
    status: 'submitted',
    reopened: false,
    version: 1,
    createdAt: '2021-04-20T02:00:00.000Z',
    updatedAt: '2021-04-20T02:00:00.000Z',
    ...overrides,
  };
}

function declaration(district: string, formId: string, eventId = event.id): Declaration {
  return { eventId, district, formId, declaredBy: 'test:u1', at: '2021-04-20T02:00:00.000Z' };
}

function formOf(status: readonly DistrictStatus[], districtId: string, formId: string): unknown {
  return status.find((d) => d.district.id === districtId)?.forms.find((f) => f.formId === formId);
}

describe('computeStatus', () => {
  it('lists every district of the event, in order, with every form, nothing done when nothing is filed', () => {
    const status = computeStatus(event, [], []);
    expect(status.map((d) => d.district.id)).toEqual(event.districts.map((d) => d.id));
    for (const district of status) {
      expect(district.forms.map((f) => f.formId)).toEqual(event.forms.map((f) => f.id));
      expect(district.forms.every((f) => !f.done && f.filed === 0 && !f.declaredNone)).toBe(true);
    }
  });

  it('counts submitted filings per district and form', () => {
    const status = computeStatus(
      event,
      [
        filing({ receipt: 'KP-1', formId: 'key-project', district: 'shinan' }),
        filing({ receipt: 'KP-2', formId: 'key-project', district: 'shinan' }),
        filing({ receipt: 'EX-1', formId: 'exhibitor', district: 'laoshan' }),
      ],
      [],
    );
    expect(formOf(status, 'shinan', 'key-project')).toEqual({ formId: 'key-project', filed: 2, declaredNone: false, done: true });
    expect(formOf(status, 'shinan', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: false, done: false });
    expect(formOf(status, 'laoshan', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 1, declaredNone: false, done: true });
  });

  it('does not count withdrawn filings, filings of another event, or filings without a district', () => {
    const status = computeStatus(
      event,
      [
        filing({ receipt: 'KP-1', formId: 'key-project', district: 'shinan', status: 'withdrawn' }),
        filing({ receipt: 'KP-2', formId: 'key-project', district: 'shinan', eventId: 'qingdao-2020' }),
        filing({ receipt: 'KP-3', formId: 'key-project' }),
      ],
      [],
    );
    expect(status.flatMap((d) => d.forms).every((f) => f.filed === 0 && !f.done)).toBe(true);
  });

  it('counts a declaration of this event as done, and ignores one of another event', () => {
    const status = computeStatus(event, [], [declaration('shinan', 'exhibitor'), declaration('shibei', 'exhibitor', 'qingdao-2020')]);
    expect(formOf(status, 'shinan', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: true, done: true });
    expect(formOf(status, 'shibei', 'exhibitor')).toEqual({ formId: 'exhibitor', filed: 0, declaredNone: false, done: false });
  });

  it('leaves filer kinds (高校, 市直部门, 科研院所) out of the district status', () => {
    const status = computeStatus(
      event,
      [
        filing({ receipt: 'KP-1', formId: 'key-project', district: 'university' }),
        filing({ receipt: 'OI-1', formId: 'open-institutions', district: 'institute' }),
      ],
      [],
    );
    expect(status.map((d) => d.district.id)).not.toContain('university');
    expect(status).toHaveLength(event.districts.length);
    expect(status.flatMap((d) => d.forms).every((f) => !f.done)).toBe(true);
  });
});

describe('filer kinds: 高校 at the first field', () => {
  let harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses) await h.cleanup();
    harnesses = [];
  });
  function harness(): Harness {
    const h = createHarness();
    harnesses.push(h);
    return h;
  }

  it('is offered as a choice after the districts', async () => {
    const h = harness();
    const started = await h.say('/file key-project');
    const labels = started.buttons.map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['市南区', '市直部门（单位）', '高校', '科研院所']));
    expect(labels.indexOf('高校')).toBeGreaterThan(labels.indexOf('中国（山东）自由贸易试验区青岛片区'));
  });

  it('typed 高校 files a key project stored as university; the districts\' status is unaffected', async () => {
    const h = harness();
    const before = computeStatus(event, await h.store.listFilings({ eventId: event.id }), await h.store.listDeclarations(event.id));
    const summary = await fillKeyProject(h, {}, ['高校', ...KEY_PROJECT_ANSWERS.slice(1)]);
    expect(summary.text).toContain('1. 所属区市：高校');
    const receipt = await submitKeyProject(h, { userId: 'u2' }, ['高校', ...KEY_PROJECT_ANSWERS.slice(1)]);
    const stored = await h.store.getFiling(receipt);
    expect(stored?.district).toBe('university');
    expect(stored?.values).toEqual({ ...KEY_PROJECT_VALUES, district: 'university' });

    const after = computeStatus(event, await h.store.listFilings({ eventId: event.id }), await h.store.listDeclarations(event.id));
    expect(after).toEqual(before);
    expect(await h.store.listFilings({ eventId: event.id, district: 'university' })).toHaveLength(1);
  });

  it('picked by its button (and by the alias 大学) works the same', async () => {
    const h = harness();
    const started = await h.say('/file exhibitor');
    const button = started.buttons.find((b) => b.label === '高校');
    expect(button).toBeDefined();
    const picked = await h.press(button?.payload ?? '');
    expect(picked.text).toContain(zh('flows.exhibitor.fields.exhibitor.prompt'));
    const draft = (await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'test', chatId: 'c1', userId: 'u1' } })).session?.data.flow;
    expect(draft?.values['district']).toBe('university');

    const other = await h.say('/file exhibitor', { userId: 'u3' });
    expect(other.text).toContain(zh('flows.exhibitor.fields.district.prompt'));
    const alias = await h.say('大学', { userId: 'u3' });
    expect(alias.text).toContain(zh('flows.exhibitor.fields.exhibitor.prompt'));
  });

  it('is remembered for the next form, and a district filing next to it still counts for its district', async () => {
    const h = harness();
    await submitKeyProject(h, {}, ['高校', ...KEY_PROJECT_ANSWERS.slice(1)]);
    const next = await h.say('/file exhibitor');
    // The district question is skipped: the remembered filer kind is prefilled.
    expect(next.text).toContain(zh('flows.exhibitor.fields.exhibitor.prompt'));
    await submitKeyProject(h, { userId: 'u9' });
    const status = computeStatus(event, await h.store.listFilings({ eventId: event.id }), await h.store.listDeclarations(event.id));
    expect(formOf(status, 'shinan', 'key-project')).toEqual({ formId: 'key-project', filed: 1, declaredNone: false, done: true });
  });
});
