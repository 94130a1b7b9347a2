/**
 * Faults — a webhook request that outlives Telegram's patience. Telegram resends an update
 * whose webhook call it gave up on; the resend may reach the same instance or another one behind the
 * load balancer, while the first is still being handled or after. Two service instances share one
 * Redis (own key prefix); the Bot API stand-in's sendMessage is slowed to 1.5 s, so the first handling
 * is still sending its reply when the copies arrive. Asserted: every call is answered 200 at once, the
 * answer is applied once (one session version step), one reply is sent, and three copies are counted
 * as duplicates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_PROJECT_VALUES } from '../support/engine-harness.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';
import { startBotApi, type BotApi, type UpdateInput } from '../support/telegram-bot-api.js';
import { WEBHOOK_SECRET, chatOfCall, eventually, startTelegramBot, type TelegramBot } from '../support/telegram-harness.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PREFIX = `faults-dup-${process.pid}-${Date.now()}:`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** POSTs an update to one instance's webhook, as Telegram (or a load balancer) would; returns the status. */
async function post(bot: TelegramBot, update: UpdateInput): Promise<{ status: number }> {
  const response = await fetch(`http://127.0.0.1:${bot.service.port}/telegram/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });
  await response.text();
  return { status: response.status };
}

async function duplicatesCounted(bot: TelegramBot): Promise<number> {
  const values = (await bot.app.metrics.registry.getSingleMetric('sciweek_updates_total')?.get())?.values ?? [];
  return values.filter((value) => value.labels['outcome'] === 'duplicate').reduce((sum, value) => sum + value.value, 0);
}

describe('a webhook call Telegram gave up on', () => {
  it('is handled once across two instances sharing Redis: resent while slow and after, one effect, one reply', async () => {
    const api: BotApi = await startBotApi();
    cleanups.push(() => api.close());
    cleanups.push(() => deleteKeysByPrefix(REDIS_URL, PREFIX));
    const env = { REDIS_URL, REDIS_KEY_PREFIX: PREFIX };
    const first = await startTelegramBot({ mode: 'webhook', api, env });
    cleanups.push(() => first.close());
    const second = await startTelegramBot({ mode: 'webhook', api, env });
    cleanups.push(() => second.close());

    const chat = 7811;
    await first.say(chat, chat, '/file key-project');
    const before = await first.session(chat, chat);
    expect(before?.flow?.cursor).toMatchObject({ kind: 'field', fieldId: 'district' });
    const sendsBefore = api.callsOf('sendMessage').filter((call) => chatOfCall(call) === String(chat)).length;

    api.delay('sendMessage', 1_500);
    const update = { ...api.textMessage({ chatId: chat, fromId: chat, text: '市南' }), update_id: 515_151 };
    const answered = [await post(first, update)];
    // The first handling is now sending its (slow) reply: Telegram's patience ran out, it resends.
    const slow = await api.waitFor((call) => call.method === 'sendMessage' && chatOfCall(call) === String(chat) && call.response === undefined);
    answered.push(await post(first, update), await post(second, update));
    // Both re-sends were answered while the first handling's reply was still on its way.
    const acknowledgedWhileSending = slow.response === undefined;
    await eventually(() => (api.sentMessages(chat).length > 0 && api.calls.every((call) => call.response !== undefined) ? true : undefined), 'the slow reply', 10_000);
    // And once more after the reply went out, to the other instance.
    answered.push(await post(second, update));
    await eventually(async () => ((await duplicatesCounted(first)) + (await duplicatesCounted(second)) === 3 ? true : undefined), 'three duplicates counted');
    api.delay('sendMessage', 0);
    await first.settle(chat);

    // Telegram got its 200 each time without waiting for the slow reply (the first one too: the reply
    // was found still pending after its 200).
    expect(answered.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(acknowledgedWhileSending).toBe(true);
    // One effect: the district once, one version step; one reply.
    const after = await second.session(chat, chat);
    expect(after?.flow?.values['district']).toEqual(KEY_PROJECT_VALUES.district);
    expect(after?.flow?.cursor).toMatchObject({ kind: 'field', fieldId: 'projectName' });
    const stored = await first.app.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'telegram', chatId: String(chat), userId: String(chat) } });
    expect(stored.session?.version).toBe(2);
    const replies = api.callsOf('sendMessage').filter((call) => chatOfCall(call) === String(chat)).slice(sendsBefore);
    expect(replies).toHaveLength(1);
    expect(api.sentMessages(chat).filter((m) => m.plainText.includes('（2/16）'))).toHaveLength(1);
  }, 30_000);
});
