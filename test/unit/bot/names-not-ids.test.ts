/**
 * What a person reads names districts and forms by their localized names, never by their ids: `/my`
 * titles a summary report (titled by its district) `崂山区` / `University`, not `laoshan` /
 * `university`; staff `/list` names the district once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Sender } from '../../support/engine-harness.js';
import { filing, seedFilings } from '../../support/sample-filings.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const ZH_USER: Sender = { userId: 'zh-user', chatId: 'zh-chat', localeHint: 'zh-CN' };
const EN_USER: Sender = { userId: 'en-user', chatId: 'en-chat', localeHint: 'en' };
const STAFF: Sender = { userId: 'staff', chatId: 'staff-chat', localeHint: 'zh-CN' };

async function seeded(): Promise<Harness> {
  const h = createHarness({ staff: ['test:staff'] });
  harness = h;
  await seedFilings(h.store, [
    filing('summary-report', 'laoshan', { summaryText: '崂山区共举办科普活动12场。' }, { ownerKey: 'test:zh-user', receipt: 'SR-NAME-0001' }),
    filing('summary-report', 'university', { summaryText: 'Twelve events were held.' }, { ownerKey: 'test:en-user', receipt: 'SR-NAME-0002' }),
  ]);
  return h;
}

describe('names, not ids', () => {
  it('/my titles a summary report by its district name (zh-CN)', async () => {
    const h = await seeded();
    const mine = await h.say('/my', ZH_USER);
    expect(mine.text).toContain('崂山区');
    expect(mine.text).not.toContain('laoshan');
  });

  it('/my titles a summary report by its district name (en)', async () => {
    const h = await seeded();
    const mine = await h.say('/my', EN_USER);
    expect(mine.text).toContain(' · University · ');
    expect(mine.text).not.toMatch(/\buniversity\b/);
  });

  it('staff /list names each district once, by name', async () => {
    const h = await seeded();
    const listed = await h.say('/list', STAFF);
    expect(listed.text).toContain('崂山区');
    expect(listed.text).toContain('高校');
    expect(listed.text).not.toMatch(/laoshan|university/);
    expect(listed.text.match(/崂山区/g)).toHaveLength(1);
  });
});
