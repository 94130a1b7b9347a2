/**
 * Emoji sequences through the real Telegram adapter against the Bot API stand-in: a long reply full
 * of ZWJ families, flags, skin tones and marked letters is split over several messages under the
 * 4096 limit, each cut between two whole characters; and sequences typed into a form come back
 * whole in its summary and in the filing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../src/adapters/telegram/telegram-adapter.js';
import { MAX_MESSAGE_CHARS } from '../../src/adapters/telegram/render.js';
import { createMetrics } from '../../src/app/metrics.js';
import { paragraph, textReply } from '../../src/domain/reply.js';
import { createHttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { KEY_PROJECT_ANSWERS } from '../support/engine-harness.js';
import { startBotApi, type BotApi } from '../support/telegram-bot-api.js';
import { startTelegramBot, textOf, type TelegramBot } from '../support/telegram-harness.js';

const CLUSTERS = ['👨‍👩‍👧‍👦', '🏳️‍🌈', '🇨🇳', '👍🏽', '👩🏽‍💻', 'e\u0301\u0302', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '青'];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function clustersOf(text: string): string[] {
  return [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
}

describe('emoji sequences on Telegram', () => {
  it('splits a long reply of emoji over several messages, never inside a sequence', async () => {
    const api: BotApi = await startBotApi();
    cleanups.push(() => api.close());
    const adapter = createTelegramAdapter({
      token: api.token,
      apiRoot: api.apiRoot,
      accept: () => Promise.resolve(),
      http: createHttpServer({ ready: () => Promise.resolve(), registry: createMetrics().registry, log: silentLogger }),
      log: silentLogger,
      menus: [],
      onUnreachable: () => undefined,
      onFatal: () => undefined,
    });
    await adapter.bot.init();
    cleanups.push(() => adapter.stop());
    // One line (no place to break between lines), offset by one letter so the cuts fall anywhere.
    const line = `a${Array.from({ length: 3000 }, (_, i) => CLUSTERS[(i * 7) % CLUSTERS.length]).join('')}`;
    expect(line.length).toBeGreaterThan(3 * MAX_MESSAGE_CHARS);
    const chat = 6401;
    expect(await adapter.send(String(chat), [textReply(paragraph(line))])).toBe('sent');

    const sent = api.sentMessages(chat).map((message) => message.plainText);
    expect(sent.length).toBeGreaterThan(3);
    for (const text of sent) {
      expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      // Every message is whole characters only: no half family, no lone regional indicator or joiner.
      for (const cluster of clustersOf(text)) expect(['a', ...CLUSTERS], JSON.stringify(cluster)).toContain(cluster);
    }
    expect(sent.join('')).toBe(line);
  });

  it('keeps emoji sequences typed into a form whole in its summary and its filing', async () => {
    const bot: TelegramBot = await startTelegramBot({ mode: 'polling' });
    cleanups.push(() => bot.close());
    const chat = 6402;
    const name = '亲子科学日 👨‍👩‍👧‍👦🏳️‍🌈👩🏽‍💻';
    await bot.say(chat, chat, '/file key-project');
    await bot.say(chat, chat, KEY_PROJECT_ANSWERS[0] ?? '');
    await bot.say(chat, chat, name);
    let last = await bot.say(chat, chat, KEY_PROJECT_ANSWERS[2] ?? '');
    for (const answer of KEY_PROJECT_ANSWERS.slice(3)) last = await bot.say(chat, chat, answer);
    expect(textOf(last)).toContain(`2. 项目名称：${name}`);
    const submitted = await bot.press(chat, chat, '提交');
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(textOf(submitted.replies))?.[1];
    expect(receipt, textOf(submitted.replies)).toBeDefined();
    const filing = receipt === undefined ? undefined : await bot.app.store.getFiling(receipt);
    expect(filing?.values['projectName']).toBe(name);
  });
});
