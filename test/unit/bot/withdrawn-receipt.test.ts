/**
 * A withdrawn filing's receipt, given to /edit or /withdraw by its owner, answers that it was withdrawn
 * and on which day (zh-CN and en); to anyone else it is still "not found". Real engine, real SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, fillKeyProject, translate, type Harness, type Sender } from '../../support/engine-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('a withdrawn receipt', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`answers its owner "withdrawn on <date>" at /edit and /withdraw (${locale})`, async () => {
      const t = translate(locale);
      const owner: Sender = { localeHint: locale };
      harness = createHarness();
      await fillKeyProject(harness, owner);
      const receipt = /KP-[0-9A-Z]{10}/.exec((await harness.say(locale === 'en' ? 'submit' : '提交', owner)).text)?.[0] ?? 'none';
      await harness.say(`/withdraw ${receipt} confirm`, owner);
      const expected = t('filings.already_withdrawn', { receipt, at: '2021-04-20' });
      expect((await harness.say(`/edit ${receipt}`, owner)).text).toBe(expected);
      expect((await harness.say(`/withdraw ${receipt}`, owner)).text).toBe(expected);
      expect(expected).toContain('2021-04-20');
      expect(expected).not.toBe(t('filings.not_found'));

      const stranger: Sender = { userId: 'u2', chatId: 'c2', localeHint: locale };
      expect((await harness.say(`/edit ${receipt}`, stranger)).text).toBe(t('filings.not_found'));
    });
  }
});
