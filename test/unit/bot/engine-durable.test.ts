/**
 * The engine's durable handler on a real SQLite file: a message's replies are committed to its chat's
 * outbox with the session (under the delivery id, with the adapter's route); a delivery handled before
 * is a duplicate with nothing to answer; a store failure is handed back to be tried again, unanswered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/app/app.js';
import type { Inbound } from '../../../src/domain/inbound.js';
import { toPlainText } from '../../../src/domain/reply.js';
import { decodeReplies } from '../../../src/domain/wire.js';
import { createShiftedClock } from '../../../src/kernel/clock.js';
import { StoreError } from '../../../src/kernel/errors.js';
import { silentLogger } from '../../../src/kernel/logger.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { shipped } from '../../support/content.js';
import { BEFORE_DEADLINE } from '../../support/engine-harness.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(): Store {
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-durable-'));
  const store = createSqliteStore({ file: path.join(dir, 'sciweek.db') });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return store;
}

function botOn(store: Store) {
  return createBot({ content: shipped, sessions: store, store, clock: createShiftedClock(BEFORE_DEADLINE), log: silentLogger, defaultLocale: 'zh-CN', sessionTtlMs: 86_400_000 });
}

function message(text: string, deliveryId: string): Inbound {
  return { platform: 'telegram', chat: { id: '77', kind: 'private' }, user: { id: '77', displayName: 'Filer' }, text, deliveryId, receivedAt: new Date() };
}

describe('the durable handler', () => {
  it('commits the replies to the chat outbox with the session, under the delivery id and the route', async () => {
    const store = open();
    const result = await botOn(store).durable(message('/file key-project', '9001'), '{"retire":[77,5]}');
    expect(result.outcome).toBe('ok');
    expect(result.outboxId).toBe('telegram:9001');
    const [entry, ...rest] = await store.outboxPeek('telegram', '77', 10);
    expect(rest).toEqual([]);
    expect(entry?.id).toBe('telegram:9001');
    expect(entry?.route).toBe('{"retire":[77,5]}');
    expect(decodeReplies(entry?.body ?? '').map(toPlainText)).toEqual(result.replies.map(toPlainText));
    expect(result.replies.map(toPlainText).join('\n')).toMatch(/（1\/16）/u);
  });

  it('answers a delivery handled before with nothing, and writes no second outbox entry', async () => {
    const store = open();
    const bot = botOn(store);
    await bot.durable(message('/file key-project', '9002'), '');
    const again = await bot.durable(message('/file key-project', '9002'), '');
    expect(again).toEqual({ outcome: 'duplicate', replies: [] });
    expect(await store.outboxPeek('telegram', '77', 10)).toHaveLength(1);
  });

  it('hands a store failure back to be tried again, with no answer of its own', async () => {
    const store = open();
    const failing: Store = { ...store, commit: () => Promise.reject(new StoreError('sqlite store: commit failed (disk I/O)')) };
    const result = await botOn(failing).durable(message('/file key-project', '9003'), '');
    expect(result).toEqual({ outcome: 'store_error', replies: [], retry: true });
    // The plain handler, outside the inbox, answers the failure instead.
    const plain = await botOn(failing)(message('/file key-project', '9004'));
    expect(plain.map(toPlainText).join('')).toMatch(/系统暂时不可用/u);
    expect(await store.outboxChats(10)).toEqual([]);
  });
});
