/**
 * The durable pipeline on a real SQLite file and the real bot: updates kept in the inbox are handled
 * in order per chat and answered once; what a dead instance kept (inbox entries it never finished,
 * answers it committed and never sent) is taken over by the next one; a store call whose outcome is
 * unknown is handled again without a second interpretation, the user told once that the message is kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/app/app.js';
import { createPipeline, type Pipeline } from '../../../src/delivery/pipeline.js';
import type { Deliver } from '../../../src/delivery/outbox-sender.js';
import type { Inbound } from '../../../src/domain/inbound.js';
import { textReply, toPlainText, type Reply } from '../../../src/domain/reply.js';
import { createShiftedClock } from '../../../src/kernel/clock.js';
import { StoreError } from '../../../src/kernel/errors.js';
import { silentLogger } from '../../../src/kernel/logger.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import type { CommitRequest, Store } from '../../../src/store/store.js';
import { shipped } from '../../support/content.js';
import { BEFORE_DEADLINE, KEY_PROJECT_ANSWERS } from '../../support/engine-harness.js';

const NOTICE = '[kept]';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openStore(dir: string): Store {
  const store = createSqliteStore({ file: path.join(dir, 'sciweek.db') });
  cleanups.push(() => store.close().catch(() => undefined));
  return store;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pipeline-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What a chat was sent: one text per delivery (the replies of one update, joined). */
class Chats {
  readonly sent = new Map<string, string[]>();
  deliver: Deliver = (chatId, replies) => {
    const texts = this.sent.get(chatId) ?? [];
    texts.push(replies.map((reply: Reply) => toPlainText(reply)).join('\n'));
    this.sent.set(chatId, texts);
    return Promise.resolve('sent');
  };
  of(chatId: string): string[] {
    return this.sent.get(chatId) ?? [];
  }
}

function inbound(chatId: string, text: string, deliveryId: string): Inbound {
  return { platform: 'telegram', chat: { id: chatId, kind: 'private' }, user: { id: chatId, displayName: 'Filer', localeHint: 'zh-hans' }, text, deliveryId, receivedAt: new Date() };
}

function startPipeline(store: Store, deliver: Deliver, consumer: string): Pipeline {
  const bot = createBot({
    content: shipped,
    sessions: store,
    store,
    clock: createShiftedClock(BEFORE_DEADLINE),
    log: silentLogger,
    defaultLocale: 'zh-CN',
    sessionTtlMs: 86_400_000,
  });
  const pipeline = createPipeline({
    store,
    handle: bot.durable,
    deliverers: new Map([['telegram', deliver]]),
    notice: () => [textReply(NOTICE)],
    partitions: 4,
    consumer,
    leaseMs: 300,
    log: silentLogger,
    retryDelaysMs: [20],
  });
  cleanups.push(() => pipeline.stop(1000));
  return pipeline;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const SCRIPT = ['/file key-project', ...KEY_PROJECT_ANSWERS.slice(0, 3)];

describe('the durable pipeline (SQLite)', () => {
  it('answers every kept update once, in order per chat, and leaves inbox and outbox empty', async () => {
    const store = openStore(tempDir());
    const chats = new Chats();
    const pipeline = startPipeline(store, chats.deliver, 'a');
    pipeline.start();
    for (const [i, text] of SCRIPT.entries()) {
      for (const chat of ['101', '102', '103']) await pipeline.accept({ inbound: inbound(chat, text, `${chat}-${i}`), route: '' });
    }
    await until(() => ['101', '102', '103'].every((chat) => chats.of(chat).length >= SCRIPT.length), 'every answer');
    for (const chat of ['101', '102', '103']) {
      const progress = chats.of(chat).map((text) => /（(\d+)\/16）/u.exec(text)?.[1]);
      expect(progress, `chat ${chat}`).toEqual(['1', '2', '3', '4']);
    }
    // Delivered entries leave the outbox in batches just after the send: wait for the batch, then look.
    await until(async () => (await store.outboxChats(10)).length === 0, 'the outbox to drain');
    expect(chats.of('101')).toHaveLength(SCRIPT.length);
    expect((await store.inboxDepth(4)).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await store.outboxChats(10)).toEqual([]);
  });

  it('takes over what a dead instance kept: answers it never sent, updates it took and never finished, updates never taken', async () => {
    const dir = tempDir();
    const first = openStore(dir);
    // The first instance commits the first update's answer, then dies before the platform takes it.
    const never: Deliver = () => new Promise(() => undefined);
    const dying = startPipeline(first, never, 'dead');
    dying.start();
    await dying.accept({ inbound: inbound('201', SCRIPT[0] ?? '', '201-0'), route: '' });
    for (let i = 0; i < 100 && (await first.outboxChats(10)).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await first.outboxChats(10)).map((chat) => chat.chatId)).toEqual(['201']);
    // Stopped: its reading ends within the grace; the answer it could not deliver stays in the outbox.
    await dying.stop(1500);
    // A second update was taken by a worker that died with it; a third was kept and never taken.
    await dying.accept({ inbound: inbound('201', SCRIPT[1] ?? '', '201-1'), route: '' });
    const taken = await first.inboxTake('ghost', [0, 1, 2, 3], 10, 0);
    expect(taken).toHaveLength(1);
    await dying.accept({ inbound: inbound('201', SCRIPT[2] ?? '', '201-2'), route: '' });
    // Another instance on the same file.
    const chats = new Chats();
    const next = startPipeline(openStore(dir), chats.deliver, 'next');
    next.start();
    await until(() => chats.of('201').length >= 3, 'every answer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(chats.of('201').map((text) => /（(\d+)\/16）/u.exec(text)?.[1])).toEqual(['1', '2', '3']);
  });

  it('handles a message whose commit outcome was unknown again without a second interpretation', async () => {
    const store = openStore(tempDir());
    // The first commit of the second answer is written, but its caller hears a timeout.
    let failed = false;
    const flaky: Store = {
      ...store,
      commit: async (request: CommitRequest) => {
        const result = await store.commit(request);
        if (!failed && request.delivery?.id === 'telegram:301-2') {
          failed = true;
          throw new StoreError('redis store: commit failed (timeout)');
        }
        return result;
      },
    };
    const chats = new Chats();
    const pipeline = startPipeline(flaky, chats.deliver, 'a');
    pipeline.start();
    for (const [i, text] of SCRIPT.entries()) await pipeline.accept({ inbound: inbound('301', text, `301-${i}`), route: '' });
    await until(() => chats.of('301').filter((text) => text !== NOTICE).length >= SCRIPT.length, 'every answer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answers = chats.of('301').filter((text) => text !== NOTICE);
    expect(chats.of('301').filter((text) => text === NOTICE)).toHaveLength(1);
    expect(answers.map((text) => /（(\d+)\/16）/u.exec(text)?.[1])).toEqual(['1', '2', '3', '4']);
    const session = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'telegram', chatId: '301', userId: '301' } });
    expect(Object.keys(session.session?.data.flow?.values ?? {})).toHaveLength(3);
  });

  it('answers an update kept twice (a platform re-delivery) once', async () => {
    const store = openStore(tempDir());
    const chats = new Chats();
    const pipeline = startPipeline(store, chats.deliver, 'a');
    pipeline.start();
    await pipeline.accept({ inbound: inbound('401', '/file key-project', '401-0'), route: '' });
    await pipeline.accept({ inbound: inbound('401', '/file key-project', '401-0'), route: '' });
    await pipeline.accept({ inbound: inbound('401', KEY_PROJECT_ANSWERS[0] ?? '', '401-1'), route: '' });
    await until(() => chats.of('401').length >= 2, 'answers');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(chats.of('401')).toHaveLength(2);
    expect(chats.of('401')[1]).toMatch(/（2\/16）/u);
  });
});
