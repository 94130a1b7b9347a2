/**
 * Acceptance — three dispatcher instances on one Redis (each its own store and ioredis client,
 * one key prefix), each with its own real Telegram adapter on ONE Bot API stand-in, 30 groups due at the
 * same moment. All three tick at once; the one that leads dies on its 5th send (its adapter never
 * answers), holding the lease and that send's claim. Time moves past both TTLs (the store's claims run
 * on the same fake clock) and the survivors keep ticking: every group gets its reminder exactly once,
 * the dead instance's unfinished one included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter, SendOutcome } from '../../src/domain/platform.js';
import type { Dispatcher, WaveResult } from '../../src/reminders/dispatcher.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';
import {
  bindGroups,
  chatOf,
  deliveredCalls,
  event,
  fakeTime,
  groupBinding,
  messagesTo,
  newPrefix,
  REDIS_URL,
  reminderDispatcher,
  telegramAdapterOn,
  waitUntil,
} from '../support/reminders-harness.js';
import { startBotApi } from '../support/telegram-bot-api.js';

const GROUPS = 30;
const LEASE_TTL_MS = 1_000;
const SENDING_TTL_MS = 500;
/** The send (counted over all instances) on which the leading instance dies. */
const DEADLY_SEND = 5;

describe('three dispatcher instances on one Redis, one killed mid-wave', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('delivers every due reminder exactly once, the dead instance’s unfinished one by a survivor after its claim expired', async () => {
    const api = await startBotApi();
    cleanups.push(() => api.close());
    const prefix = newPrefix();
    cleanups.push(() => deleteKeysByPrefix(REDIS_URL, prefix));
    const time = fakeTime('2021-04-23 09:00');

    const chats = Array.from({ length: GROUPS }, (_, i) => String(-1002000000 - i));
    const districts = event.districts.map((d) => d.id);

    let sends = 0;
    let hung: { instance: string; chatId: string } | undefined;
    const passedOn = new Map<string, string[]>();

    const instances: Array<{ name: string; store: Store; dispatcher: Dispatcher }> = [];
    for (const name of ['a', 'b', 'c']) {
      const store = createRedisStore({ url: REDIS_URL, prefix, nowMs: time.nowMs });
      cleanups.push(() => store.close());
      const real = await telegramAdapterOn(api);
      passedOn.set(name, []);
      // The real adapter, except that the 5th send of the whole run never returns: that instance is dead.
      const adapter: Pick<PlatformAdapter, 'send'> = {
        send: (chatId, replies) => {
          sends += 1;
          if (sends === DEADLY_SEND) {
            hung = { instance: name, chatId };
            return new Promise<SendOutcome>(() => undefined);
          }
          passedOn.get(name)?.push(chatId);
          return real.send(chatId, replies);
        },
      };
      const dispatcher = reminderDispatcher({
        store,
        clock: time.clock,
        adapters: new Map([['telegram', adapter]]),
        instanceId: `instance-${name}`,
        leaseTtlMs: LEASE_TTL_MS,
        sendingTtlMs: SENDING_TTL_MS,
      });
      instances.push({ name, store, dispatcher });
    }
    const first = instances[0];
    if (first === undefined) throw new Error('no instance');
    await bindGroups(
      first.store,
      chats.map((chatId, i) => groupBinding(districts[i % districts.length] ?? 'shinan', chatId)),
    );

    // All three tick at once; exactly one leads, and dies on its 5th send.
    const firstTicks = instances.map((instance) => ({ name: instance.name, wave: instance.dispatcher.tick() }));
    const dead = await waitUntil(() => hung, 'the leading instance to reach its 5th send');
    const survivors = instances.filter((instance) => instance.name !== dead.instance);
    expect(survivors).toHaveLength(2);
    for (const tick of firstTicks.filter((t) => t.name !== dead.instance)) {
      expect(await tick.wave).toMatchObject({ leader: false, due: 0, sent: 0 });
    }
    expect(deliveredCalls(api)).toHaveLength(DEADLY_SEND - 1);

    // While the dead instance's lease is live (the clock has not moved), the survivors send nothing.
    for (const survivor of survivors) expect(await survivor.dispatcher.tick()).toMatchObject({ leader: false, sent: 0 });
    expect(deliveredCalls(api)).toHaveLength(DEADLY_SEND - 1);

    // Past the lease and the sending claim's TTL, the survivors keep ticking until the plan is done.
    time.advance(LEASE_TTL_MS + SENDING_TTL_MS);
    const waves: WaveResult[] = [];
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.all(survivors.map((survivor) => survivor.dispatcher.tick()));
      waves.push(...results.filter((r) => r.leader));
      expect(results.filter((r) => r.leader)).toHaveLength(1);
      if (results.some((r) => r.leader && r.due === GROUPS && r.skipped === GROUPS)) break;
    }
    // One survivor's wave sent the rest (the dead one's unfinished send included), then all was skipped.
    expect(waves[0]).toMatchObject({ due: GROUPS, sent: GROUPS - (DEADLY_SEND - 1), skipped: DEADLY_SEND - 1, failed: 0 });
    expect(waves.at(-1)).toMatchObject({ due: GROUPS, sent: 0, skipped: GROUPS });

    // What reached the stand-in: one message per group, no failed call, no group twice.
    const calls = api.callsOf('sendMessage');
    expect(calls.every((call) => typeof call.response === 'object' && call.response.ok)).toBe(true);
    const perChat = new Map<string, number>();
    for (const call of calls) perChat.set(chatOf(call), (perChat.get(chatOf(call)) ?? 0) + 1);
    expect([...perChat.keys()].sort()).toEqual([...chats].sort());
    expect([...perChat.values()].every((count) => count === 1)).toBe(true);
    for (const chatId of chats) expect(messagesTo(api, chatId)).toHaveLength(1);

    // The hung group: never reached by the dead instance, delivered once by a survivor after the takeover.
    expect(passedOn.get(dead.instance)).not.toContain(dead.chatId);
    const hungCalls = deliveredCalls(api, dead.chatId);
    expect(hungCalls).toHaveLength(1);
    expect(calls.findIndex((call) => chatOf(call) === dead.chatId)).toBeGreaterThanOrEqual(DEADLY_SEND - 1);
    expect(survivors.some((survivor) => passedOn.get(survivor.name)?.includes(dead.chatId))).toBe(true);

    // The store's log has one 'sent' outcome per group.
    const log = await first.store.listReminders(100);
    expect(log.filter((o) => o.outcome === 'sent').map((o) => o.chatId).sort()).toEqual([...chats].sort());
    expect(log).toHaveLength(GROUPS);

    for (const survivor of survivors) await survivor.dispatcher.stop();
  });
});
