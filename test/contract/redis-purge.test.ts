/**
 * What only the Redis purge can show, beside the contract cases both stores pass: it walks keys with
 * SCAN (never KEYS) and touches only its own prefix, it leaves no key of the event behind (no empty
 * index, no session, no declarations hash), it removes damaged values that still name the event's
 * receipts, and it is safe while the bot keeps committing other data at the same time.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../src/store/keys.js';
import { createRedisClient } from '../../src/store/redis-client.js';
import { connectRedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';
import { createTestClock, makeAudit, makeFiling, makeFlowState, makeSessionData, SESSION_TTL_MS, uniqueId, uniqueKey } from '../support/store-fixtures.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('redis store purge', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A store under a fresh prefix on the shared Redis, on a client whose commands are recorded. */
  async function openStore(): Promise<{ store: Store; prefix: string; sent: string[] }> {
    const prefix = `test:purge:${randomUUID().slice(0, 12)}:`;
    const redis = createRedisClient(REDIS_URL);
    const sent: string[] = [];
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = (command, stream) => {
      sent.push(command.name);
      return sendCommand(command, stream);
    };
    const store = await connectRedisStore({ url: REDIS_URL, redis, prefix, nowMs: createTestClock().nowMs, maxWaitMs: 10_000 });
    cleanups.push(async () => {
      await store.close();
      await redis.quit();
      await deleteKeysByPrefix(REDIS_URL, prefix);
    });
    return { store, prefix, sent };
  }

  function rawClient(): Redis {
    const raw = new Redis(REDIS_URL);
    cleanups.push(async () => void (await raw.quit()));
    return raw;
  }

  async function keysUnder(raw: Redis, prefix: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await raw.scan(cursor, 'MATCH', createRedisKeys(prefix).pattern(), 'COUNT', 500);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found.map((key) => key.slice(prefix.length)).sort();
  }

  /** One event's data through the store API: two filings with audit, a draft, a declaration, a reminder, a group. */
  async function seed(store: Store, eventId: string) {
    const filings = [makeFiling({ eventId }), makeFiling({ eventId, district: '崂山区', formId: 'exhibitor' })];
    const key = uniqueKey('purge-redis');
    const audit = filings.map((f) => makeAudit(f.receipt, 'filing.submitted', f.createdAt));
    const data = makeSessionData({ flow: makeFlowState({ target: { kind: 'edit', receipt: filings[0]?.receipt ?? '', filingVersion: 1 } }) });
    const filingWrites = filings.map((filing) => ({ filing, expectedVersion: 0 }));
    expect((await store.commit({ key, expectedVersion: 0, data, sessionTtlMs: SESSION_TTL_MS, filings: filingWrites, audit })).ok).toBe(true);
    await store.putDeclaration({ eventId, district: '市南区', formId: 'open-institutions', declaredBy: 'telegram:1001', at: '2025-05-20T01:00:00.000Z' });
    await store.recordReminder({ at: '2025-05-20T01:00:00.000Z', ruleId: 'forms-t3', platform: 'telegram', chatId: '-100', district: '市南区', outcome: 'sent' });
    await store.putGroup({ platform: 'telegram', chatId: '-100', district: '市南区', boundBy: 'telegram:1001', boundAt: '2025-05-20T01:00:00.000Z' });
    return { filings, key };
  }

  it('uses SCAN, never KEYS, touches only its own prefix and leaves no key of the event behind', async () => {
    const mine = await openStore();
    const theirs = await openStore();
    const raw = rawClient();
    const eventId = uniqueId('purge-prefix');
    await seed(mine.store, eventId);
    await seed(theirs.store, eventId);
    const theirKeys = await keysUnder(raw, theirs.prefix);
    const theirCounts = await theirs.store.countEvent(eventId, { servedEvent: true });
    mine.sent.splice(0);

    const expected = { filings: 2, auditEntries: 2, declarations: 1, sessions: 1, reminderOutcomes: 1, inboxEntries: 0, outboxEntries: 0 };
    expect(await mine.store.purgeEvent(eventId, { servedEvent: true })).toEqual(expected);
    expect(mine.sent).toContain('scan');
    expect(mine.sent).not.toContain('keys');
    // What stays is not the event's: the group binding (and nothing else was written).
    expect(await keysUnder(raw, mine.prefix)).toEqual(['groups']);
    expect(await keysUnder(raw, theirs.prefix)).toEqual(theirKeys);
    expect(await theirs.store.countEvent(eventId, { servedEvent: true })).toEqual(theirCounts);
    expect(theirCounts).toEqual(expected);
  });

  it('removes damaged values that still name the event, and a filing whose index list is broken', async () => {
    const { store, prefix } = await openStore();
    const raw = rawClient();
    const keys = createRedisKeys(prefix);
    const eventId = uniqueId('purge-damaged');
    const other = makeFiling({ eventId: uniqueId('purge-damaged-other') });
    const { filings } = await seed(store, eventId);
    const [first, second] = filings;
    if (first === undefined || second === undefined) throw new Error('seed made two filings');
    await store.commit({ key: uniqueKey('other'), expectedVersion: 0, data: null, sessionTtlMs: 1, filings: [{ filing: other, expectedVersion: 0 }] });
    // An audit entry of another envelope version (unreadable, so listAudit skips it) about the first filing.
    await raw.lpush(keys.audit(), JSON.stringify({ v: 99, data: { receipt: first.receipt, changes: [{ field: 'phone', from: '1', to: '2' }] } }));
    await raw.hset(keys.filing(second.receipt), 'ix', '{broken');
    expect((await store.countEvent(eventId)).auditEntries).toBe(3);
    expect(await store.purgeEvent(eventId)).toEqual({ filings: 2, auditEntries: 3, declarations: 1, sessions: 1, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 });
    expect(await raw.exists(keys.filing(first.receipt), keys.filing(second.receipt), keys.filingsByEvent(eventId))).toBe(0);
    expect(await raw.lrange(keys.audit(), 0, -1)).toEqual([]);
    expect(await store.getFiling(other.receipt)).toEqual(other);
  });

  it('is safe while the bot keeps writing: other data committed during the purge is all there afterwards', async () => {
    const { store } = await openStore();
    const eventId = uniqueId('purge-live');
    const otherEvent = uniqueId('purge-live-other');
    const many = Array.from({ length: 300 }, () => makeFiling({ eventId }));
    await store.commit({ key: uniqueKey('live-seed'), expectedVersion: 0, data: null, sessionTtlMs: 1, filings: many.map((filing) => ({ filing, expectedVersion: 0 })), audit: many.map((f) => makeAudit(f.receipt, 'filing.submitted', f.createdAt)) });
    const writes = Array.from({ length: 60 }, async (_, i) => {
      const filing = makeFiling({ eventId: otherEvent });
      const result = await store.commit({ key: uniqueKey(`live-${i}`), expectedVersion: 0, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS, filings: [{ filing, expectedVersion: 0 }], audit: [makeAudit(filing.receipt, 'filing.submitted', filing.createdAt)] });
      expect(result.ok).toBe(true);
      return filing;
    });
    const [purged, ...written] = await Promise.all([store.purgeEvent(eventId), ...writes]);
    expect(purged).toEqual({ filings: 300, auditEntries: 300, declarations: 0, sessions: 0, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 });
    const listed = await store.listFilings({ eventId: otherEvent });
    expect(listed.map((f) => f.receipt).sort()).toEqual(written.map((f) => f.receipt).sort());
    expect(await store.listAudit(1000)).toHaveLength(60);
    expect(await store.countEvent(eventId)).toEqual({ filings: 0, auditEntries: 0, declarations: 0, sessions: 0, reminderOutcomes: 0, inboxEntries: 0, outboxEntries: 0 });
  });
});
