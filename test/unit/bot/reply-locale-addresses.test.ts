/**
 * An e-mail or web address typed outside a form is no sign of English: a user the bot answers in
 * Chinese is still answered in Chinese, while English words still switch the guess. Real engine,
 * real SQLite, no platform language hint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, sessionOf, type Harness } from '../../support/engine-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const CHINESE = /[\u4e00-\u9fff]{4,}/u;

describe('the reply language after an address', () => {
  it('stays Chinese for a Chinese writer who types an e-mail or a web address outside a form', async () => {
    harness = createHarness();
    await harness.say('科技周什么时候开始？');
    expect((await sessionOf(harness))?.guessedLocale).toBe('zh-CN');
    for (const typed of ['lina@example.com', 'kp@qdkj.gov.cn', 'https://www.example.com/page', 'www.qdsti.gov.cn']) {
      const reply = await harness.say(typed);
      expect(reply.text, typed).toMatch(CHINESE);
      expect((await sessionOf(harness))?.guessedLocale, typed).toBe('zh-CN');
    }
  });

  it('answers an English writer in English when they type an e-mail alone', async () => {
    harness = createHarness();
    await harness.say('when does the science week start?');
    const reply = await harness.say('lina@example.com');
    expect(reply.text).not.toMatch(/[\u4e00-\u9fff]/u);
    expect((await sessionOf(harness))?.guessedLocale).toBe('en');
  });

  it('still switches to English on English words, with or without an address', async () => {
    harness = createHarness();
    await harness.say('科技周什么时候开始？');
    await harness.say('when does the week start? mail me at lina@example.com');
    expect((await sessionOf(harness))?.guessedLocale).toBe('en');
  });
});
