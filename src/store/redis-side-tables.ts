/**
 * The side tables of the Redis Store: group bindings, unreachable chats, "nothing to file"
 * declarations, named claims and the reminder log. Kept apart from redis-store.ts (sessions,
 * filings, audit and the client's lifecycle) so each file stays one concern; the methods are built
 * from the owning store's client, keys, scripts and `call` wrapper and spread into its Store object.
 */
import type { Redis } from 'ioredis';
import {
  compareDeclarations,
  compareGroups,
  compareUnreachable,
  parseDeclarationEnvelope,
  parseGroupEnvelope,
  parseReminderEnvelope,
  parseUnreachableEnvelope,
  toDeclarationEnvelopeJson,
  toGroupEnvelopeJson,
  toReminderEnvelopeJson,
  toUnreachableEnvelopeJson,
} from './envelope.js';
import { chatField, declarationField, type RedisKeys } from './keys.js';
import { checkClaimArgs, requireCount } from './commit-request.js';
import type { StoreScripts } from './redis-scripts.js';
import type { ReminderOutcome } from '../domain/records.js';
import type { SideTableMethods } from './store.js';

/** The Store methods {@link createRedisSideTables} builds. */
export type RedisSideTables = SideTableMethods;

/** The owning store's `call`: refuses after close and wraps every client error in a StoreError. */
export type RedisCall = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

/** What {@link createRedisSideTables} needs from the store that owns the side tables. */
export interface RedisSideTablesContext {
  /** The store's client. */
  redis: Redis;
  /** The store's key builders (with its prefix). */
  keys: RedisKeys;
  /** The store's registered Lua scripts (claims and the reminder log). */
  scripts: StoreScripts;
  /** The store's error and after-close wrapper; every method runs through it. */
  call: RedisCall;
  /** The time that decides claim expiry (ms since the epoch). */
  nowMs: () => number;
  /** How many reminder outcomes are kept (the newest); already checked by the store. */
  reminderLogLimit: number;
}

/** Parses every readable field of a hash (an unreadable one is skipped) and sorts them with `compare`. */
function readHash<T>(
  hash: Record<string, string>,
  parse: (text: string, field: string) => T | undefined,
  compare: (a: T, b: T) => number,
): T[] {
  return Object.entries(hash)
    .flatMap(([field, envelope]): T[] => {
      const value = parse(envelope, field);
      return value === undefined ? [] : [value];
    })
    .sort(compare);
}

/**
 * Builds the side-table methods of the Redis store, so that openRedisStore can spread them into its
 * Store object and redis-store.ts stays within the project's file-size limit. Same semantics as the
 * SQLite side tables (see sqlite-side-tables.ts).
 */
export function createRedisSideTables(context: RedisSideTablesContext): RedisSideTables {
  const { redis, keys, scripts, call, nowMs, reminderLogLimit } = context;
  return {
    putGroup: (binding) =>
      call('putGroup', async () => {
        const envelope = toGroupEnvelopeJson('redis', binding);
        await redis.hset(keys.groups(), chatField(binding.platform, binding.chatId), envelope);
      }),

    removeGroup: (platform, chatId) =>
      call('removeGroup', async () => (await redis.hdel(keys.groups(), chatField(platform, chatId))) > 0),

    getGroup: (platform, chatId) =>
      call('getGroup', async () => {
        const field = chatField(platform, chatId);
        const envelope = await redis.hget(keys.groups(), field);
        return envelope === null ? undefined : parseGroupEnvelope(envelope, field);
      }),

    listGroups: () =>
      call('listGroups', async () => readHash(await redis.hgetall(keys.groups()), parseGroupEnvelope, compareGroups)),

    markUnreachable: (record) =>
      call('markUnreachable', async () => {
        const envelope = toUnreachableEnvelopeJson('redis', record);
        await redis.hset(keys.unreachable(), chatField(record.platform, record.chatId), envelope);
      }),

    clearUnreachable: (platform, chatId) =>
      call('clearUnreachable', async () => (await redis.hdel(keys.unreachable(), chatField(platform, chatId))) > 0),

    listUnreachable: () =>
      call('listUnreachable', async () =>
        readHash(await redis.hgetall(keys.unreachable()), parseUnreachableEnvelope, compareUnreachable),
      ),

    putDeclaration: (declaration) =>
      call('putDeclaration', async () => {
        const envelope = toDeclarationEnvelopeJson('redis', declaration);
        const field = declarationField(declaration.district, declaration.formId);
        await redis.hset(keys.declarations(declaration.eventId), field, envelope);
      }),

    removeDeclaration: (eventId, district, formId) =>
      call(
        'removeDeclaration',
        async () => (await redis.hdel(keys.declarations(eventId), declarationField(district, formId))) > 0,
      ),

    listDeclarations: (eventId) =>
      call('listDeclarations', async () =>
        readHash(
          await redis.hgetall(keys.declarations(eventId)),
          (text, field) => parseDeclarationEnvelope(text, eventId, field),
          compareDeclarations,
        ),
      ),

    claim: (name, owner, ttlMs) =>
      call('claim', async () => {
        checkClaimArgs('redis', name, owner, ttlMs);
        return scripts.claim(keys.claim(name), owner, nowMs(), ttlMs);
      }),

    renewClaim: (name, owner, ttlMs) =>
      call('renewClaim', async () => {
        checkClaimArgs('redis', name, owner, ttlMs);
        return scripts.renewClaim(keys.claim(name), owner, nowMs(), ttlMs);
      }),

    releaseClaim: (name, owner) =>
      call('releaseClaim', async () => {
        checkClaimArgs('redis', name, owner);
        return scripts.releaseClaim(keys.claim(name), owner, nowMs());
      }),

    recordReminder: (outcome) =>
      call('recordReminder', async () => {
        const envelope = toReminderEnvelopeJson('redis', outcome);
        await scripts.recordReminder(keys.reminders(), envelope, reminderLogLimit);
      }),

    listReminders: (limit) =>
      call('listReminders', async () => {
        requireCount('redis', limit, 'limit', 0);
        if (limit === 0) return [];
        const envelopes = await redis.lrange(keys.reminders(), 0, limit - 1);
        return envelopes.flatMap((envelope): ReminderOutcome[] => {
          const outcome = parseReminderEnvelope(envelope);
          return outcome === undefined ? [] : [outcome];
        });
      }),
  };
}
