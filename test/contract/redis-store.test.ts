/**
 * Runs the Store contract against Redis (127.0.0.1:6379, or REDIS_URL) under a fresh key prefix per
 * case — the store alone, and behind the session cache as the engine uses it —, plus what only the
 * Redis store can show: one round trip for `begin`, for `commit` and for each
 * claim and reminder call, unreadable values as misses, a capped reminder log, failing fast during an
 * outage and recovering by itself, every key under the prefix, and the start-up wait with one log line
 * per attempt.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/kernel/errors.js';
import type { Logger } from '../../src/kernel/logger.js';
import { createRedisKeys } from '../../src/store/keys.js';
import { createRedisClient } from '../../src/store/redis-client.js';
import { connectRedisStore, createRedisStore } from '../../src/store/redis-store.js';
import { toEnvelopeJson } from '../../src/store/envelope.js';
import { withSessionCache } from '../../src/store/session-cache.js';
import type { Declaration, GroupBinding, ReminderOutcome, SessionStore, Store, UnreachableChat } from '../../src/store/store.js';
import { deleteKeysByPrefix, freePort, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { describeStoreContract, type OpenStore } from './store-contract.js';
import {
  GROUP,
  createTestClock,
  makeAudit,
  makeFiling,
  makeSessionData,
  SESSION_TTL_MS,
  uniqueId,
  uniqueKey,
} from '../support/store-fixtures.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';


const UNREACHABLE: UnreachableChat = {
  platform: 'slack',
  chatId: 'C042',
  reason: 'not_in_channel',
  at: '2025-05-20T01:00:00.000Z',
};

const DECLARATION: Declaration = {
  eventId: 'sciweek-2025',
  district: '市南区',
  formId: 'exhibitor',
  declaredBy: 'telegram:1001',
  at: '2025-05-20T01:00:00.000Z',
};

const REMINDER: ReminderOutcome = {
  at: '2025-05-20T01:00:00.000Z',
  ruleId: 'exhibitor-deadline-3d',
  platform: 'telegram',
  chatId: '-1001234567890',
  district: '市南区',
  outcome: 'sent',
};

function newPrefix(): string {
  return `test:${randomUUID().slice(0, 12)}:`;
}

/**
 * Opens the Redis store for one contract case under a fresh prefix; `cached`: its sessions behind the
 * session cache (a fresh one on every open, like a restarted process), as the engine uses it.
 */
function openRedisContractStore(cached: boolean): OpenStore {
  return async ({ nowMs }) => {
    const prefix = newPrefix();
    const stores: Store[] = [];
    let raw: Redis | undefined;
    const open = async (): Promise<Store> => {
      const store = await connectRedisStore({ url: REDIS_URL, prefix, nowMs, maxWaitMs: 10_000 });
      stores.push(store);
      return cached ? { ...store, ...withSessionCache(store) } : store;
    };
    return {
      store: await open(),
      reopen: open,
      // The layout the store promises: one hash per event, field the JSON array [district, formId].
      writeRawDeclaration: async (eventId, district, formId, text) => {
        raw ??= new Redis(REDIS_URL);
        await raw.hset(createRedisKeys(prefix).declarations(eventId), JSON.stringify([district, formId]), text);
      },
      cleanup: async () => {
        for (const store of stores.splice(0)) await store.close();
        await raw?.quit();
        await deleteKeysByPrefix(REDIS_URL, prefix);
      },
    };
  };
}

describeStoreContract('redis', openRedisContractStore(false));
describeStoreContract('redis behind the session cache', openRedisContractStore(true));

/** A Logger that keeps every line, for assertions. */
function createMemoryLogger() {
  const lines: Array<{ level: string; obj: object; msg: string }> = [];
  const logger: Logger = {
    debug: (obj, msg) => void lines.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
    child: () => logger,
  };
  return { logger, lines };
}

/** Retries `fn` until it resolves (at most `timeoutMs`). */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Every call of the Store, each expected to reject while Redis is down. */
function everyCall(store: Store): Array<() => Promise<unknown>> {
  const key = uniqueKey('down');
  const filing = makeFiling();
  return [
    () => store.begin({ deliveryId: uniqueId('d'), dedupeTtlMs: 1000, key }),
    () => store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: 1000, filings: [{ filing, expectedVersion: 0 }] }),
    () => store.getFiling(filing.receipt),
    () => store.listFilings({ eventId: filing.eventId }),
    () => store.listAudit(5),
    () => store.putGroup(GROUP),
    () => store.removeGroup(GROUP.platform, GROUP.chatId),
    () => store.getGroup(GROUP.platform, GROUP.chatId),
    () => store.listGroups(),
    () => store.markUnreachable(UNREACHABLE),
    () => store.clearUnreachable(UNREACHABLE.platform, UNREACHABLE.chatId),
    () => store.listUnreachable(),
    () => store.putDeclaration(DECLARATION),
    () => store.removeDeclaration(DECLARATION.eventId, DECLARATION.district, DECLARATION.formId),
    () => store.listDeclarations(DECLARATION.eventId),
    () => store.claim('lease:dispatcher', 'instance-a', 1000),
    () => store.renewClaim('lease:dispatcher', 'instance-a', 1000),
    () => store.releaseClaim('lease:dispatcher', 'instance-a'),
    () => store.recordReminder(REMINDER),
    () => store.listReminders(5),
    () => store.countEvent(DECLARATION.eventId),
    () => store.purgeEvent(DECLARATION.eventId),
    () => store.ping(),
  ];
}

describe('redis store', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function privateServer(): Promise<RedisServer> {
    const server = await startRedisServer();
    cleanups.push(() => server.remove());
    return server;
  }

  function track<S extends Store>(store: S, url = REDIS_URL, prefix?: string): S {
    cleanups.push(async () => {
      await store.close();
      if (prefix !== undefined) await deleteKeysByPrefix(url, prefix);
    });
    return store;
  }

  it('costs one round trip for begin and one for a commit with a filing and audit', async () => {
    const server = await privateServer();
    const redis = createRedisClient(server.url);
    cleanups.push(async () => void (await redis.quit()));
    const clock = createTestClock();
    const store = track(await connectRedisStore({ url: server.url, redis, nowMs: clock.nowMs, maxWaitMs: 10_000 }));
    const sent: string[] = [];
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = (command, stream) => {
      sent.push(command.name);
      return sendCommand(command, stream);
    };
    const admin = new Redis(server.url);
    cleanups.push(async () => void (await admin.quit()));
    const scriptCalls = async (): Promise<number> => {
      const info = await admin.info('commandstats');
      return [...info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const key = uniqueKey('round-trips');
    const filing = makeFiling();
    const before = await scriptCalls();
    const begun = await store.begin({ deliveryId: uniqueId('update'), dedupeTtlMs: 86_400_000, key });
    expect(begun).toEqual({ duplicate: false, session: undefined });
    expect(sent).toEqual(['evalsha']);
    const committed = await store.commit({
      key,
      expectedVersion: 0,
      data: makeSessionData(),
      sessionTtlMs: SESSION_TTL_MS,
      filings: [{ filing, expectedVersion: 0 }],
      audit: [makeAudit(filing.receipt, 'filing.submitted', filing.createdAt)],
    });
    expect(committed).toEqual({ ok: true, version: 1 });
    expect(sent).toEqual(['evalsha', 'evalsha']);
    expect((await store.begin({ deliveryId: uniqueId('update'), dedupeTtlMs: 1000, key })).session?.version).toBe(1);
    expect(sent).toHaveLength(3);
    expect((await scriptCalls()) - before).toBe(3);
  });

  it('reads unreadable values as misses, and a save at version 0 replaces an unreadable session', async () => {
    const prefix = newPrefix();
    const clock = createTestClock();
    // The store alone, without the session cache: the values are changed behind the store's back at the
    // same version, which only another process (holding nothing) would read.
    const store = track(createRedisStore({ url: REDIS_URL, prefix, nowMs: clock.nowMs }), REDIS_URL, prefix);
    const keys = createRedisKeys(prefix);
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => void (await raw.quit()));
    const key = uniqueKey('corrupt');
    const filing = makeFiling({ eventId: uniqueId('corrupt-event') });
    const audit = [makeAudit(filing.receipt, 'filing.submitted', filing.createdAt)];
    const filings = [{ filing, expectedVersion: 0 }];
    await store.commit({ key, expectedVersion: 0, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS, filings, audit });
    await store.commit({ key, expectedVersion: 1, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS });
    for (const envelope of ['{not json', '{"v":2,"data":{}}', '{"v":1,"data":{"locale":"fr"}}', 'null', '[]']) {
      await raw.hset(keys.session(key), 'e', envelope);
      await raw.hset(keys.filing(filing.receipt), 'e', envelope);
      await raw.lset(keys.audit(), 0, envelope);
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toBeUndefined();
      expect(await store.getFiling(filing.receipt)).toBeUndefined();
      expect(await store.listFilings({ eventId: filing.eventId, includeWithdrawn: true })).toEqual([]);
      expect(await store.listAudit(10)).toEqual([]);
    }
    expect(await store.commit({ key, expectedVersion: 7, data: {}, sessionTtlMs: 1000 })).toEqual({
      ok: false,
      conflict: 'session',
    });
    const saved = await store.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: SESSION_TTL_MS });
    expect(saved).toEqual({ ok: true, version: 1 });
    expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({
      version: 1,
      data: { locale: 'en' },
    });
    const wrongType = uniqueKey('wrong-type');
    await raw.set(keys.session(wrongType), 'not a hash');
    expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key: wrongType })).session).toBeUndefined();
    expect(await store.commit({ key: wrongType, expectedVersion: 0, data: {}, sessionTtlMs: 1000 })).toEqual({
      ok: true,
      version: 1,
    });
  });

  it('behind the session cache, remembers the sessions it read or wrote: the same version is not sent again, any other version is read', async () => {
    const prefix = newPrefix();
    const clock = createTestClock();
    const cached = withSessionCache(track(createRedisStore({ url: REDIS_URL, prefix, nowMs: clock.nowMs }), REDIS_URL, prefix));
    const other = track(createRedisStore({ url: REDIS_URL, prefix, nowMs: clock.nowMs }));
    const keys = createRedisKeys(prefix);
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => void (await raw.quit()));
    const key = uniqueKey('cache');
    const begin = async (store: SessionStore) => (await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session;
    expect(cached.held(key)).toBeUndefined();
    expect(await cached.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: SESSION_TTL_MS })).toEqual({ ok: true, version: 1 });
    expect(cached.held(key)).toEqual({ version: 1, data: { locale: 'en' } });
    // Held at version 1: Redis leaves the envelope out (proved by spoiling it: the cached store does not read it).
    const envelope = await raw.hget(keys.session(key), 'e');
    await raw.hset(keys.session(key), 'e', '{spoiled');
    expect(await begin(cached)).toEqual({ version: 1, data: { locale: 'en' } });
    expect(await begin(other)).toBeUndefined();
    await raw.hset(keys.session(key), 'e', envelope ?? '');
    // Another instance writes version 2: read in full, then held.
    expect(await other.commit({ key, expectedVersion: 1, data: { locale: 'zh-CN', district: '市南区' }, sessionTtlMs: SESSION_TTL_MS })).toEqual({ ok: true, version: 2 });
    const second = await begin(cached);
    expect(second).toEqual({ version: 2, data: { locale: 'zh-CN', district: '市南区' } });
    expect(Object.isFrozen(second?.data)).toBe(true);
    // A lost compare-and-set forgets what was held; the next read is in full.
    expect(await cached.commit({ key, expectedVersion: 1, data: {}, sessionTtlMs: SESSION_TTL_MS })).toEqual({ ok: false, conflict: 'session' });
    expect(await begin(cached)).toEqual({ version: 2, data: { locale: 'zh-CN', district: '市南区' } });
    // Expired (or purged): gone, whatever was held.
    clock.advance(SESSION_TTL_MS + 1);
    expect(await begin(cached)).toBeUndefined();
    expect(await cached.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS })).toEqual({ ok: true, version: 1 });
    await raw.del(keys.session(key));
    expect(await begin(cached)).toBeUndefined();
    expect(cached.held(key)).toBeUndefined();
    // Deleted and made again elsewhere at the same version (versions restart): the token tells them apart.
    expect(await cached.commit({ key, expectedVersion: 0, data: { district: '崂山区' }, sessionTtlMs: SESSION_TTL_MS })).toEqual({ ok: true, version: 1 });
    expect(await begin(cached)).toEqual({ version: 1, data: { district: '崂山区' } });
    await raw.del(keys.session(key));
    expect(await other.commit({ key, expectedVersion: 0, data: { district: '黄岛区' }, sessionTtlMs: SESSION_TTL_MS })).toEqual({ ok: true, version: 1 });
    // A commit over the held copy (version 1, but the other write) is refused, and brings the live one.
    expect(cached.held(key)).toEqual({ version: 1, data: { district: '崂山区' } });
    expect(await cached.commit({ key, expectedVersion: 1, data: { district: '崂山区', locale: 'en' }, sessionTtlMs: SESSION_TTL_MS })).toEqual({ ok: false, conflict: 'session' });
    expect(cached.held(key)).toEqual({ version: 1, data: { district: '黄岛区' } });
    expect(await begin(cached)).toEqual({ version: 1, data: { district: '黄岛区' } });
    expect(await begin(other)).toEqual({ version: 1, data: { district: '黄岛区' } });
  });

  it('costs one round trip for each group, unreachable-chat and declaration call', async () => {
    const prefix = newPrefix();
    const redis = createRedisClient(REDIS_URL);
    cleanups.push(async () => void (await redis.quit()));
    const store = track(await connectRedisStore({ url: REDIS_URL, redis, prefix, maxWaitMs: 10_000 }), REDIS_URL, prefix);
    const sent: string[] = [];
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = (command, stream) => {
      sent.push(command.name);
      return sendCommand(command, stream);
    };
    const calls: Array<[() => Promise<unknown>, string]> = [
      [() => store.putGroup(GROUP), 'hset'],
      [() => store.getGroup(GROUP.platform, GROUP.chatId), 'hget'],
      [() => store.listGroups(), 'hgetall'],
      [() => store.removeGroup(GROUP.platform, GROUP.chatId), 'hdel'],
      [() => store.markUnreachable(UNREACHABLE), 'hset'],
      [() => store.listUnreachable(), 'hgetall'],
      [() => store.clearUnreachable(UNREACHABLE.platform, UNREACHABLE.chatId), 'hdel'],
      [() => store.putDeclaration(DECLARATION), 'hset'],
      [() => store.listDeclarations(DECLARATION.eventId), 'hgetall'],
      [() => store.removeDeclaration(DECLARATION.eventId, DECLARATION.district, DECLARATION.formId), 'hdel'],
    ];
    for (const [call, command] of calls) {
      sent.length = 0;
      await call();
      expect(sent).toEqual([command]);
    }
  });

  it('costs one round trip for each claim and reminder call', async () => {
    const prefix = newPrefix();
    const redis = createRedisClient(REDIS_URL);
    cleanups.push(async () => void (await redis.quit()));
    const clock = createTestClock();
    const store = track(
      await connectRedisStore({ url: REDIS_URL, redis, prefix, nowMs: clock.nowMs, maxWaitMs: 10_000 }),
      REDIS_URL,
      prefix,
    );
    const sent: string[] = [];
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = (command, stream) => {
      sent.push(command.name);
      return sendCommand(command, stream);
    };
    const calls: Array<[() => Promise<unknown>, string, unknown]> = [
      [() => store.claim('lease:dispatcher', 'instance-a', 10_000), 'evalsha', true],
      [() => store.claim('lease:dispatcher', 'instance-b', 10_000), 'evalsha', false],
      [() => store.renewClaim('lease:dispatcher', 'instance-a', 10_000), 'evalsha', true],
      [() => store.renewClaim('lease:dispatcher', 'instance-b', 10_000), 'evalsha', false],
      [() => store.releaseClaim('lease:dispatcher', 'instance-b'), 'evalsha', false],
      [() => store.releaseClaim('lease:dispatcher', 'instance-a'), 'evalsha', true],
      [() => store.recordReminder(REMINDER), 'evalsha', undefined],
      [() => store.listReminders(5), 'lrange', [REMINDER]],
    ];
    for (const [call, command, result] of calls) {
      sent.length = 0;
      expect(await call()).toEqual(result);
      expect(sent).toEqual([command]);
    }
    // listReminders(0) asks nothing.
    sent.length = 0;
    expect(await store.listReminders(0)).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('keeps a claim as a hash of owner and logical expiry, with a real expiry only for cleanup', async () => {
    const prefix = newPrefix();
    const clock = createTestClock();
    const store = track(createRedisStore({ url: REDIS_URL, prefix, nowMs: clock.nowMs }), REDIS_URL, prefix);
    const keys = createRedisKeys(prefix);
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => void (await raw.quit()));
    const name = 'reminder:exhibitor-deadline-3d:["telegram","-100123"]';
    expect(await store.claim(name, 'instance-a', 10_000)).toBe(true);
    expect(await raw.hgetall(keys.claim(name))).toEqual({ o: 'instance-a', x: String(clock.nowMs() + 10_000) });
    const pttl = await raw.pttl(keys.claim(name));
    expect(pttl).toBeGreaterThan(10_000);
    expect(pttl).toBeLessThanOrEqual(70_000);
    clock.advance(5_000);
    expect(await store.renewClaim(name, 'instance-a', 120_000)).toBe(true);
    expect(await raw.hget(keys.claim(name), 'x')).toBe(String(clock.nowMs() + 120_000));
    expect(await raw.pttl(keys.claim(name))).toBeGreaterThan(120_000);
    expect(await store.releaseClaim(name, 'instance-a')).toBe(true);
    expect(await raw.exists(keys.claim(name))).toBe(0);
    // A value the store did not write there (another type, a hash without a readable expiry) is no
    // claim: nobody holds it, and claiming replaces it.
    const foreign: Array<() => Promise<unknown>> = [
      () => raw.set(keys.claim(name), 'instance-a'),
      () => raw.hset(keys.claim(name), 'o', 'instance-a', 'x', 'never'),
      () => raw.hset(keys.claim(name), 'x', String(clock.nowMs() + 60_000)),
      () => raw.rpush(keys.claim(name), 'instance-a'),
    ];
    for (const plant of foreign) {
      await raw.del(keys.claim(name));
      await plant();
      expect(await store.renewClaim(name, 'instance-a', 10_000)).toBe(false);
      expect(await store.releaseClaim(name, 'instance-a')).toBe(false);
      expect(await store.claim(name, 'instance-b', 10_000)).toBe(true);
      expect(await store.claim(name, 'instance-a', 10_000)).toBe(false);
      expect(await raw.hget(keys.claim(name), 'o')).toBe('instance-b');
    }
  });

  it('reads unreadable reminder outcomes as misses, and keeps only the newest up to the log limit', async () => {
    const prefix = newPrefix();
    const store = track(createRedisStore({ url: REDIS_URL, prefix, reminderLogLimit: 3 }), REDIS_URL, prefix);
    const keys = createRedisKeys(prefix);
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => void (await raw.quit()));
    const outcomes = Array.from({ length: 5 }, (_, i) => ({ ...REMINDER, at: `2025-05-20T01:00:0${i}.000Z` }));
    for (const outcome of outcomes) await store.recordReminder(outcome);
    expect(await raw.llen(keys.reminders())).toBe(3);
    expect(await raw.lrange(keys.reminders(), 0, -1)).toEqual(outcomes.slice(2).reverse().map(toEnvelopeJson));
    expect(await store.listReminders(10)).toEqual(outcomes.slice(2).reverse());
    const damaged = [
      '{not json',
      'null',
      JSON.stringify({ v: 2, data: REMINDER }),
      toEnvelopeJson({ ...REMINDER, at: 'yesterday' }),
      JSON.stringify({ v: 1, data: { ...REMINDER, outcome: 'lost' } }),
      toEnvelopeJson(GROUP),
    ];
    for (const envelope of damaged) {
      await raw.lset(keys.reminders(), 1, envelope);
      expect(await store.listReminders(10)).toEqual([outcomes[4], outcomes[2]]);
    }
    expect(() => createRedisStore({ url: REDIS_URL, prefix, reminderLogLimit: 0 })).toThrow(StoreError);
  });

  it('reads unreadable group and unreachable-chat values as misses, and lists the readable ones', async () => {
    const prefix = newPrefix();
    const store = track(createRedisStore({ url: REDIS_URL, prefix }), REDIS_URL, prefix);
    const keys = createRedisKeys(prefix);
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => void (await raw.quit()));
    const other: GroupBinding = { ...GROUP, chatId: '-100999', district: '崂山区' };
    await store.putGroup(GROUP);
    await store.putGroup(other);
    await store.markUnreachable(UNREACHABLE);
    const chat = JSON.stringify([GROUP.platform, GROUP.chatId]);
    const unreachableChat = JSON.stringify([UNREACHABLE.platform, UNREACHABLE.chatId]);
    // Pairs of [group value, unreachable value] that must each read as a miss.
    const damaged: Array<[string, string]> = [
      ['{not json', '{not json'],
      ['null', '[]'],
      [JSON.stringify({ v: 2, data: GROUP }), JSON.stringify({ v: 2, data: UNREACHABLE })],
      [toEnvelopeJson({ ...GROUP, boundAt: 'yesterday' }), toEnvelopeJson({ ...UNREACHABLE, at: 'yesterday' })],
      [toEnvelopeJson(UNREACHABLE), toEnvelopeJson(GROUP)],
      [toEnvelopeJson({ ...GROUP, chatId: 'someone-else' }), toEnvelopeJson({ ...UNREACHABLE, platform: 'telegram' })],
    ];
    for (const [groupValue, unreachableValue] of damaged) {
      await raw.hset(keys.groups(), chat, groupValue);
      await raw.hset(keys.unreachable(), unreachableChat, unreachableValue);
      expect(await store.getGroup(GROUP.platform, GROUP.chatId)).toBeUndefined();
      expect(await store.listGroups()).toEqual([other]);
      expect(await store.listUnreachable()).toEqual([]);
    }
    // A field whose name is not a chat at all is skipped too.
    await raw.hset(keys.groups(), 'not-a-chat', toEnvelopeJson(GROUP));
    expect(await store.listGroups()).toEqual([other]);
    expect(await store.clearUnreachable(UNREACHABLE.platform, UNREACHABLE.chatId)).toBe(true);
    await store.putGroup(GROUP);
    expect(await store.getGroup(GROUP.platform, GROUP.chatId)).toEqual(GROUP);
  });

  it('keeps one hash per event of declarations, and skips fields that name no declaration', async () => {
    const prefix = newPrefix();
    const store = track(createRedisStore({ url: REDIS_URL, prefix }), REDIS_URL, prefix);
    const keys = createRedisKeys(prefix);
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => void (await raw.quit()));
    const other: Declaration = { ...DECLARATION, eventId: 'sciweek-2026', formId: 'key-project' };
    await store.putDeclaration(DECLARATION);
    await store.putDeclaration(other);
    expect(await raw.hgetall(keys.declarations(DECLARATION.eventId))).toEqual({
      [JSON.stringify([DECLARATION.district, DECLARATION.formId])]: toEnvelopeJson(DECLARATION),
    });
    expect(await raw.hlen(keys.declarations(other.eventId))).toBe(1);
    // The right envelope under a field that is not its [district, formId] pair is unreadable.
    const strayFields = [
      'not-a-pair',
      JSON.stringify([DECLARATION.district]),
      `${DECLARATION.district}:${DECLARATION.formId}`,
    ];
    for (const field of strayFields) {
      await raw.hset(keys.declarations(DECLARATION.eventId), field, toEnvelopeJson(DECLARATION));
    }
    expect(await store.listDeclarations(DECLARATION.eventId)).toEqual([DECLARATION]);
    expect(await store.removeDeclaration(DECLARATION.eventId, DECLARATION.district, DECLARATION.formId)).toBe(true);
    expect(await store.listDeclarations(DECLARATION.eventId)).toEqual([]);
    expect(await store.listDeclarations(other.eventId)).toEqual([other]);
  });

  it('fails fast with StoreError while Redis is down and recovers without being recreated', async () => {
    const server = await privateServer();
    const store = track(createRedisStore({ url: server.url }));
    const key = uniqueKey('outage');
    expect(await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS })).toEqual({
      ok: true,
      version: 1,
    });
    await server.kill();
    for (const call of everyCall(store)) await expect(call()).rejects.toBeInstanceOf(StoreError);
    for (const call of everyCall(store)) await expect(call()).rejects.toBeInstanceOf(StoreError);
    await server.restart();
    await eventually(() => store.ping());
    // The restarted server kept nothing (no persistence) and has no scripts loaded: both must still work.
    expect((await store.begin({ deliveryId: uniqueId('after'), dedupeTtlMs: 1000, key })).session).toBeUndefined();
    expect(await store.commit({ key, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS })).toEqual({
      ok: true,
      version: 1,
    });
    // Scripts flushed again while many calls leave in one auto-pipelined write: each falls back and succeeds.
    const admin = new Redis(server.url);
    await admin.script('FLUSH');
    admin.disconnect();
    const keys = Array.from({ length: 20 }, (_, i) => uniqueKey(`pipelined-${i}`));
    const results = await Promise.all(keys.map((k) => store.commit({ key: k, expectedVersion: 0, data: {}, sessionTtlMs: SESSION_TTL_MS })));
    expect(results).toEqual(keys.map(() => ({ ok: true, version: 1 })));
    const begun = await Promise.all(keys.map((k) => store.begin({ deliveryId: uniqueId('p'), dedupeTtlMs: 1000, key: k })));
    expect(begun.map((b) => b.session?.version)).toEqual(keys.map(() => 1));
  });

  it('rejects with StoreError when Redis was never reachable, and after close', async () => {
    const store = createRedisStore({ url: `redis://127.0.0.1:${await freePort()}` });
    await expect(store.ping()).rejects.toBeInstanceOf(StoreError);
    await store.close();
    for (const call of everyCall(store)) await expect(call()).rejects.toBeInstanceOf(StoreError);
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('keeps every key under the prefix', async () => {
    const server = await privateServer();
    const clock = createTestClock();
    const prefix = 'sciweek-test:';
    const store = track(createRedisStore({ url: server.url, prefix, nowMs: clock.nowMs }));
    const key = uniqueKey('prefix');
    const filing = makeFiling();
    const other = makeFiling();
    delete other.district;
    await store.begin({ deliveryId: uniqueId('update'), dedupeTtlMs: 86_400_000, key });
    await store.commit({
      key,
      expectedVersion: 0,
      data: makeSessionData(),
      sessionTtlMs: SESSION_TTL_MS,
      filings: [{ filing, expectedVersion: 0 }, { filing: other, expectedVersion: 0 }],
      audit: [makeAudit(filing.receipt, 'filing.submitted', filing.createdAt)],
    });
    const withdrawn = { ...filing, status: 'withdrawn' as const, district: '崂山区', version: 2 };
    const delivery = { id: uniqueId('update'), dedupeTtlMs: 60_000 };
    await store.commit({ key, expectedVersion: 1, data: null, sessionTtlMs: 1000, filings: [{ filing: withdrawn, expectedVersion: 1 }], delivery });
    await store.putGroup(GROUP);
    await store.markUnreachable(UNREACHABLE);
    await store.putDeclaration(DECLARATION);
    expect(await store.claim('reminder:exhibitor-deadline-3d', 'instance-a', 60_000)).toBe(true);
    expect(await store.claim('lease:dispatcher', 'instance-a', 60_000)).toBe(true);
    await store.recordReminder(REMINDER);
    expect(await store.listFilings({ eventId: filing.eventId, district: '市南区' })).toEqual([]);
    expect(await store.listFilings({ eventId: filing.eventId, district: '崂山区', includeWithdrawn: true })).toEqual([withdrawn]);
    const admin = new Redis(server.url);
    cleanups.push(async () => void (await admin.quit()));
    // The filing moved from 市南区 to 崂山区: its old district index entry is gone, not just filtered out.
    expect(await admin.exists(createRedisKeys(prefix).filingsByDistrict(filing.eventId, '市南区'))).toBe(0);
    const all = await admin.keys('*');
    expect(all.length).toBeGreaterThanOrEqual(14);
    expect(all).toEqual(
      expect.arrayContaining([
        `${prefix}groups`,
        `${prefix}unreachable`,
        `${prefix}declarations:${JSON.stringify([DECLARATION.eventId])}`,
        `${prefix}claim:reminder:exhibitor-deadline-3d`,
        `${prefix}claim:lease:dispatcher`,
        `${prefix}reminders`,
      ]),
    );
    expect(all.filter((k) => !k.startsWith(prefix))).toEqual([]);
  });

  it('waits for the first connection, logging one line per attempt without the password', async () => {
    const port = await freePort();
    const { logger, lines } = createMemoryLogger();
    const url = `redis://:s3cret-pw@127.0.0.1:${port}`;
    await expect(connectRedisStore({ url, log: logger, maxWaitMs: 1_500 })).rejects.toBeInstanceOf(StoreError);
    const retries = lines.filter((line) => line.msg === 'redis not reachable yet, retrying');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.map((line) => (line.obj as { attempt: number }).attempt).slice(0, 2)).toEqual([1, 2]);
    expect(JSON.stringify(lines.map((line) => line.obj))).not.toContain('s3cret-pw');

    const { logger: log2, lines: lines2 } = createMemoryLogger();
    const connecting = connectRedisStore({ url: `redis://127.0.0.1:${port}`, log: log2, maxWaitMs: 20_000 });
    await eventually(() => (lines2.length >= 2 ? Promise.resolve() : Promise.reject(new Error('not yet retried twice'))));
    const server = await startRedisServer({ port });
    cleanups.push(() => server.remove());
    const store = track(await connecting);
    await expect(store.ping()).resolves.toBeUndefined();
    expect(lines2.at(-1)?.msg).toBe('redis store connected');
  });
});
