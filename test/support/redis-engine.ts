/**
 * A real engine on the Redis store, for tests of what only Redis shows: several instances on one
 * Redis, round trips, and outages. It is built like test/support/engine-harness.ts (the shipped event,
 * locales and flows, a manual clock before the deadline, a silent logger), but every engine gets its
 * own Redis store with its own ioredis client, its sessions through the session cache as `npm start`
 * wires it, and delivery ids are unique across instances.
 */
import { randomUUID } from 'node:crypto';
import { createManualClock, type Clock } from '../../src/kernel/clock.js';
import { createEngine, type MessageHandler } from '../../src/bot/engine.js';
import type { Inbound } from '../../src/domain/inbound.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { SessionKey, StoredSession } from '../../src/domain/session.js';
import { createRedisStore, type RedisStore } from '../../src/store/redis-store.js';
import { withSessionCache } from '../../src/store/session-cache.js';
import type { SessionStore } from '../../src/store/store.js';
import { allFlows } from '../../flows/index.js';
import { BEFORE_DEADLINE, event, i18n, makeInbound, toTurn, type Sender, type Turn } from './engine-harness.js';
import { botPorts } from './content.js';

/** The platform of every message built here. */
export const TEST_PLATFORM = 'test';

/** The session TTL and dedupe TTL the engines are given (as in the harness). */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
export const DEDUPE_TTL_MS = 24 * 3600 * 1000;

/** A fresh key prefix, so a test's keys on a shared Redis are its own and can be deleted after. */
export function newRedisPrefix(): string {
  return `test:e2e:${randomUUID().slice(0, 12)}:`;
}

/** Options of {@link createRedisEngine}. */
export interface RedisEngineOptions {
  url: string;
  prefix: string;
  /** Wraps the real store before the engine (and its session cache) gets it (counting, recording). */
  wrapStore?: (store: RedisStore) => RedisStore;
  now?: Date;
}

/** One engine instance on its own Redis store. */
export interface RedisEngine {
  handle: MessageHandler;
  /** The real Redis store (unwrapped, even when the engine was given a wrapper; no session cache). */
  store: RedisStore;
  clock: Clock & { set(next: Date): void };
  /** A message from `sender` (default user `u1` in private chat `c1`), with a unique delivery id unless given. */
  inbound(content: { text?: string; action?: string }, sender?: Sender): Inbound;
  say(text: string, sender?: Sender): Promise<Turn>;
  /** Closes the store (and with it the client it created). */
  close(): Promise<void>;
}

/** The session key of a sender, as the engine derives it from an Inbound built here. */
export function sessionKeyOf(sender: Sender = {}): SessionKey {
  return { platform: TEST_PLATFORM, chatId: sender.chatId ?? 'c1', userId: sender.userId ?? 'u1' };
}

/** The owner key of a sender's filings (`platform:userId`). */
export function ownerKeyOf(sender: Sender = {}): string {
  return `${TEST_PLATFORM}:${sender.userId ?? 'u1'}`;
}

/** Reads a session without marking any delivery (begin with no delivery id). */
export async function readSession(store: SessionStore, sender: Sender = {}): Promise<StoredSession | undefined> {
  const begun = await store.begin({ deliveryId: undefined, dedupeTtlMs: DEDUPE_TTL_MS, key: sessionKeyOf(sender) });
  return begun.session;
}

/** Builds a real engine on a new Redis store (own ioredis client). Call `close` when done. */
export function createRedisEngine(options: RedisEngineOptions): RedisEngine {
  const store = createRedisStore({ url: options.url, prefix: options.prefix });
  const clock = createManualClock(options.now ?? BEFORE_DEADLINE);
  const engineStore = options.wrapStore === undefined ? store : options.wrapStore(store);
  const engine = createEngine({
    ...botPorts,
    sessions: withSessionCache(engineStore),
    store: engineStore,
    event,
    flows: allFlows,
    i18n,
    clock,
    log: silentLogger,
    defaultLocale: 'zh-CN',
    sessionTtlMs: SESSION_TTL_MS,
    dedupeTtlMs: DEDUPE_TTL_MS,
  });

  function inbound(content: { text?: string; action?: string }, sender: Sender = {}): Inbound {
    return makeInbound(content, sender, { platform: TEST_PLATFORM, deliveryId: randomUUID(), receivedAt: clock.now() });
  }

  return {
    handle: engine.handle,
    store,
    clock,
    inbound,
    say: async (text, sender) => toTurn(await engine.handle(inbound({ text }, sender))),
    close: () => store.close(),
  };
}

/** Retries `fn` until it resolves, at most `timeoutMs` (bounded polling, no wall-time assertion). */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
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
