/**
 * The summary report is filed once per district (`onePerDistrict` in the event data), through the
 * real engine on the SQLite store: starting a second one for a district that has one offers to edit
 * the existing one (its owner) or says who to ask (anyone else), and starts no draft. zh-CN and en.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, event, sessionOf, submitKeyProject, translate, type Harness, type Sender } from '../../support/engine-harness.js';
import { seedFilings, summaryReportFiling } from '../../support/sample-filings.js';

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

function harness(): Harness {
  const h = createHarness({ now: new Date('2021-06-01T10:00:00+08:00') });
  harnesses.push(h);
  return h;
}

it('the event data marks the summary report, and only it, as filed once per district', () => {
  expect(event.forms.filter((f) => f.onePerDistrict === true).map((f) => f.id)).toEqual(['summary-report']);
});

describe.each([
  { locale: 'zh-CN', t: translate('zh-CN'), setup: [] as string[], district: '市南区' },
  { locale: 'en', t: translate('en'), setup: ['/lang en'], district: 'Shinan District' },
])('a second summary report ($locale)', ({ t, setup, district }) => {
  const form = t('flows.summary-report.title');

  async function contact(h: Harness, sender?: Sender): Promise<void> {
    await submitKeyProject(h, sender);
    for (const line of setup) await h.say(line, sender);
  }

  it('offers its owner to edit the existing one instead; the edit button loads it', async () => {
    const h = harness();
    await contact(h);
    const existing = { ...summaryReportFiling('shinan'), ownerKey: 'test:u1' };
    await seedFilings(h.store, [existing]);
    const offer = await h.say('/file summary-report');
    expect(offer.text).toContain(t('forms.one_per_district', { district, form, receipt: existing.receipt }));
    expect(offer.buttons.map((b) => [b.label, b.payload])).toEqual([
      [t('forms.edit_existing'), `/edit ${existing.receipt}`],
      [t('forms.cancel'), '/start'],
    ]);
    expect((await sessionOf(h))?.flow).toBeUndefined();
    await h.press(offer.buttons[0]?.payload ?? '');
    expect((await sessionOf(h))?.flow?.target).toEqual({ kind: 'edit', receipt: existing.receipt, filingVersion: 1 });
  });

  it('tells another contact of the district to ask, without its receipt, and starts nothing', async () => {
    const h = harness();
    await contact(h);
    const existing = summaryReportFiling('shinan');
    await seedFilings(h.store, [existing]);
    const offer = await h.say('/file summary-report');
    expect(offer.text).toContain(t('forms.one_per_district_other', { district, form }));
    expect(offer.text).not.toContain(existing.receipt);
    expect((await sessionOf(h))?.flow).toBeUndefined();
  });

  it('starts as usual for a district without one', async () => {
    const h = harness();
    await contact(h);
    await seedFilings(h.store, [summaryReportFiling('jimo')]);
    await h.say('/file summary-report');
    expect((await sessionOf(h))?.flow?.flowId).toBe('summary-report');
  });
});
