/**
 * A flood through the real grammY adapter and the Bot API stand-in, as `npm start` runs
 * it: one user sends 100 messages at once while another sends one. The other user is answered while
 * the flood is still being slowed; every one of the flooder's messages is either read, in order, or
 * covered by the one "too fast" answer and counted in the answer to their next message. None is
 * lost without a word.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SentMessage } from '../support/telegram-bot-api.js';
import { eventually, startTelegramBot, type TelegramBot } from '../support/telegram-harness.js';
import { translate } from '../support/engine-harness.js';

const zh = translate('zh-CN');
const FLOODER = 7701;
const OTHER = 7702;
const FLOOD = 100;

let running: TelegramBot[] = [];
afterEach(async () => {
  await Promise.allSettled(running.map((bot) => bot.close()));
  running = [];
});

/** The flood message a reply answers: each is an unknown command `/fN`, answered "no such command /fN". */
function floodNumber(message: SentMessage): number | undefined {
  const match = /“\/f(\d+)”/u.exec(message.plainText);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

describe('telegram: per-user rate limit', () => {
  it('slows a 100-message flood in order, refuses the rest with one answer, and answers another user meanwhile', async () => {
    const bot = await startTelegramBot({ mode: 'polling' });
    running.push(bot);
    for (let n = 1; n <= FLOOD; n += 1) await bot.deliver(bot.api.textMessage({ chatId: FLOODER, fromId: FLOODER, text: `/f${n}` }));
    await bot.deliver(bot.api.textMessage({ chatId: OTHER, fromId: OTHER, text: '/help' }));

    // The other user is answered while the flood is still being slowed (at most 20 of it read by then).
    await eventually(() => (bot.api.sentMessages(OTHER).length > 0 ? true : undefined), 'the other user answered', 20_000);
    const all = bot.api.sentMessages();
    const otherAt = all.findIndex((message) => message.chat_id === OTHER);
    const floodReadBefore = new Set(all.slice(0, otherAt).flatMap((message) => floodNumber(message) ?? []));
    expect(floodReadBefore.size).toBeLessThan(20);

    // The flood ends with the one "too fast" answer, after every message that was read.
    const tooFast = zh('limits.too_fast');
    await eventually(() => (bot.api.sentMessages(FLOODER).some((m) => m.plainText.includes(tooFast)) ? true : undefined), 'the too-fast answer', 30_000);
    await bot.settle(FLOODER);
    const flooded = bot.api.sentMessages(FLOODER);
    const read = flooded.flatMap((message) => floodNumber(message) ?? []);
    const unique = [...new Set(read)];
    expect(unique.length).toBeGreaterThanOrEqual(10);
    expect(unique.length).toBeLessThan(FLOOD);
    expect(unique).toEqual(Array.from({ length: unique.length }, (_, i) => i + 1));
    const tooFastAt = flooded.map((m) => m.plainText.includes(tooFast));
    expect(tooFastAt.filter(Boolean)).toHaveLength(1);
    expect(tooFastAt.lastIndexOf(true)).toBe(flooded.length - 1);

    // A moment later the flooder is read again, and told how many of the flood were not read.
    const notRead = FLOOD - unique.length;
    const next = await bot.say(FLOODER, FLOODER, '/f101', { timeoutMs: 10_000 });
    const text = next.map((m) => m.plainText).join('\n');
    expect(text).toContain(zh('limits.not_read', { count: notRead }));
    expect(text).toContain('“/f101”');
  });
});
