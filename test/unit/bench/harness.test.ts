/**
 * The benchmark harness (bench/): the in-memory Bot API answers grammY and Telegraf as the real one
 * would (and counts what they sent), parses chunked bodies too, and the driver keeps its promises —
 * round-robin order, at most 64 updates in flight, one user's updates in order.
 */
import { request } from 'node:http';
import { Bot } from 'grammy';
import { Telegraf } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { drive, IN_FLIGHT } from '../../../bench/driver.js';
import { STUB_API_ROOT, STUB_API_ROOT_HTTPS, STUB_TOKEN, StubBotApi } from '../../../bench/http-stub.js';
import type { Target } from '../../../bench/targets/target.js';
import { userScripts, type TextUpdate } from '../../../bench/workload.js';

describe('the in-memory Bot API', () => {
  it('answers grammY: getMe, then sendMessage with increasing message ids, counting watched texts', async () => {
    const api = new StubBotApi({ receipts: /回执号/ });
    const bot = new Bot(STUB_TOKEN, { client: { apiRoot: STUB_API_ROOT, baseFetchConfig: { agent: api.agent('http:') } } });
    await bot.init();
    expect(bot.botInfo.username).toBe('sciweek_bench_bot');
    const first = await bot.api.sendMessage(7, 'hello');
    const second = await bot.api.sendMessage(7, '回执号：KP-1');
    expect(second.message_id).toBe(first.message_id + 1);
    expect(second.chat.id).toBe(7);
    expect(await bot.api.answerCallbackQuery('q1')).toBe(true);
    expect(api.count('receipts')).toBe(1);
    expect(api.calls.get('sendMessage')).toBe(2);
    expect(api.totalCalls()).toBe(4);
  });

  it('answers Telegraf over its https root', async () => {
    const api = new StubBotApi();
    const bot = new Telegraf(STUB_TOKEN, { telegram: { apiRoot: STUB_API_ROOT_HTTPS, agent: api.agent('https:') } });
    const me = await bot.telegram.getMe();
    expect(me.id).toBe(424242);
    const sent = await bot.telegram.sendMessage(9, 'hi');
    expect(sent.text).toBe('hi');
    expect(api.calls.get('getMe')).toBe(1);
  });

  it('reads a chunked request body', async () => {
    const api = new StubBotApi({ hello: /^hello$/ });
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${STUB_API_ROOT}/bot${STUB_TOKEN}/sendMessage`, { method: 'POST', agent: api.agent('http:'), headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write('{"chat_id":5,');
      req.end('"text":"hello"}');
    });
    expect(JSON.parse(body)).toMatchObject({ ok: true, result: { chat: { id: 5 }, text: 'hello' } });
    expect(api.count('hello')).toBe(1);
  });
});

describe('the driver', () => {
  function recordingTarget(): Target & { log: { user: number; text: string }[]; started: number[]; maxInFlight: number } {
    let inFlight = 0;
    const target = {
      name: 'ours' as const,
      api: new StubBotApi(),
      meter: { writes: 0, commands: 0 },
      log: [] as { user: number; text: string }[],
      started: [] as number[],
      maxInFlight: 0,
      init: () => Promise.resolve(),
      sessionKeys: () => [],
      close: () => Promise.resolve(),
      handle: async (update: TextUpdate) => {
        inFlight += 1;
        target.started.push(update.update_id);
        target.maxInFlight = Math.max(target.maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, (update.update_id * 7) % 3));
        target.log.push({ user: update.message.from.id, text: update.message.text });
        inFlight -= 1;
      },
    };
    return target;
  }

  it('sends every update once, at most 64 at a time, each user in script order', async () => {
    const target = recordingTarget();
    const scripts = userScripts(0, 150, 5);
    const result = await drive(target, scripts);
    expect(result.updates).toBe(750);
    expect(target.log).toHaveLength(750);
    expect(target.maxInFlight).toBeLessThanOrEqual(IN_FLIGHT);
    expect(target.maxInFlight).toBeGreaterThan(1);
    // Round-robin: every user's step 0, then every user's step 1, …
    const roundRobin = [0, 1, 2, 3, 4].flatMap((step) => scripts.map((script) => script[step]?.update_id));
    expect(target.started).toEqual(roundRobin);
    for (const script of scripts) {
      const user = script[0]?.message.from.id;
      expect(target.log.filter((entry) => entry.user === user).map((entry) => entry.text)).toEqual(script.map((update) => update.message.text));
    }
  });

  it('fails when the target fails an update', async () => {
    const target = recordingTarget();
    target.handle = () => Promise.reject(new Error('boom'));
    await expect(drive(target, userScripts(0, 3, 2))).rejects.toThrow('boom');
  });
});
