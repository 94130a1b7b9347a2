/**
 * Test support for the deadline reminders: the shipped event, rules and locales, a fake clock
 * shared by the dispatcher and the store (claims and the leader lease expire on it), stores on the
 * shared Redis (a random key prefix per test, deleted after) or on SQLite in a temp directory, the real
 * Telegram adapter pointed at the Bot API stand-in, a dispatcher built as `service.ts` builds it, and a
 * real engine on the same store to file forms the way a district would.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Bot } from 'grammy';
import type { PlatformAdapter } from '../../src/domain/platform.js';
import { createTelegramAdapter } from '../../src/adapters/telegram/telegram-adapter.js';
import { createManualClock, type Clock } from '../../src/kernel/clock.js';
import { createEngine } from '../../src/bot/engine.js';
import { loadEvent, type EventData } from '../../src/domain/event.js';
import type { Filing } from '../../src/domain/filing.js';
import { loadI18n, type I18n } from '../../src/kernel/i18n.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { toPlainText } from '../../src/domain/reply.js';
import { createHttpServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/app/metrics.js';
import { EVENT_FILE, LOCALES_DIR, REMINDERS_FILE } from '../../src/app/paths.js';
import { createDispatcher, type Dispatcher, type DispatcherDeps } from '../../src/reminders/dispatcher.js';
import { loadReminderRules, type ReminderRules } from '../../src/reminders/rules.js';
import { createRedisStore } from '../../src/store/redis-store.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { GroupBinding, Store } from '../../src/store/store.js';
import { allFlows } from '../../flows/index.js';
import { makeInbound, submitKeyProject, toTurn, type Harness, type Sender } from './engine-harness.js';
import { deleteKeysByPrefix } from './redis-server.js';
import type { BotApi, CallRecord, SentMessage } from './telegram-bot-api.js';
import { botPorts } from './content.js';

/** The shared Redis of the test run (never flushed: every test uses its own key prefix). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The shipped event, locales and reminder rules. */
export const event: EventData = loadEvent(EVENT_FILE);
export const i18n: I18n = loadI18n(LOCALES_DIR);
export const rules: ReminderRules = loadReminderRules(REMINDERS_FILE, event);
export const zh = i18n.forLocale('zh-CN');
export const en = i18n.forLocale('en');

/** The staff member of every dispatcher here; a Telegram private chat id is the user id. */
export const STAFF_USER_ID = 900;
export const STAFF = [`telegram:${STAFF_USER_ID}`] as const;

/** A Shanghai wall-clock instant: `sh('2021-04-27 09:00')`. */
export function sh(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+08:00`);
}

/** The locale titles of the forms of the `forms` deadline (附件1/2/3) and of the summary report. */
export const TITLES = {
  exhibitor: zh('flows.exhibitor.title'),
  keyProject: zh('flows.key-project.title'),
  openInstitutions: zh('flows.open-institutions.title'),
  summary: zh('flows.summary-report.title'),
} as const;

/** The forms deadline as the reminders write it (2021年4月30日). */
export const FORMS_DATE_ZH = '2021年4月30日';

/** A manual clock, and the same time in ms for the store's `nowMs` (claims and lease expire on it). */
export interface FakeTime {
  clock: Clock & { set(next: Date): void };
  nowMs: () => number;
  /** Moves to a Shanghai wall-clock time (`2021-04-27 09:00`). */
  at(text: string): void;
  advance(ms: number): void;
}

/** A fake time starting at a Shanghai wall-clock time. */
export function fakeTime(start: string): FakeTime {
  const clock = createManualClock(sh(start));
  return {
    clock,
    nowMs: () => clock.now().getTime(),
    at: (text) => clock.set(sh(text)),
    advance: (ms) => clock.set(new Date(clock.now().getTime() + ms)),
  };
}

/** Which store implementation a test runs on. */
export type StoreKind = 'redis' | 'sqlite';

/** A store opened for one test, and how to remove everything it created. */
export interface OpenedStore {
  store: Store;
  kind: StoreKind;
  cleanup(): Promise<void>;
}

/** A fresh key prefix, so a test's keys on the shared Redis are its own. */
export function newPrefix(): string {
  return `test:reminders:${randomUUID().slice(0, 12)}:`;
}

/** Opens a store of `kind` whose expiry follows `nowMs`. */
export function openStore(kind: StoreKind, nowMs: () => number): OpenedStore {
  if (kind === 'redis') {
    const prefix = newPrefix();
    const store = createRedisStore({ url: REDIS_URL, prefix, nowMs });
    return {
      store,
      kind,
      cleanup: async () => {
        await store.close();
        await deleteKeysByPrefix(REDIS_URL, prefix);
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-reminders-'));
  const store = createSqliteStore({ file: path.join(dir, 'sciweek.db'), nowMs });
  return {
    store,
    kind,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A group binding as `/bind` writes it. */
export function groupBinding(district: string, chatId: string, platform = 'telegram'): GroupBinding {
  return { platform, chatId, district, title: `${district} 科技周群`, boundBy: 'telegram:1', boundAt: '2021-04-01T00:00:00.000Z' };
}

/** Binds groups to districts in the store. */
export async function bindGroups(store: Store, bindings: readonly GroupBinding[]): Promise<void> {
  for (const binding of bindings) await store.putGroup(binding);
}

/** A "nothing to file" declaration, as `/none` writes it. */
export async function declareNone(store: Store, district: string, formId: string, at = '2021-04-20T02:00:00.000Z'): Promise<void> {
  await store.putDeclaration({ eventId: event.id, district, formId, declaredBy: 'telegram:42', at });
}

let receiptCounter = 0;

/** Writes a submitted filing straight into the store with `store.commit`, as the engine would. */
export async function commitFiling(store: Store, district: string, formId: string): Promise<Filing> {
  receiptCounter += 1;
  const filing: Filing = {
    receipt: `T-${randomUUID().slice(0, 8)}-${receiptCounter}`,
    eventId: event.id,
    formId,
    flowVersion: 1,
    district,
    ownerKey: `telegram:${district}-filer`,
    ownerName: '填报员',
    values: {},
    status: 'submitted',
    reopened: false,
    version: 1,
    createdAt: '2021-04-20T02:00:00.000Z',
    updatedAt: '2021-04-20T02:00:00.000Z',
  };
  const result = await store.commit({
    key: { platform: 'telegram', chatId: `filer-${filing.receipt}`, userId: `filer-${filing.receipt}` },
    expectedVersion: 0,
    data: {},
    sessionTtlMs: 24 * 3600 * 1000,
    filings: [{ filing, expectedVersion: 0 }],
  });
  if (!result.ok) throw new Error(`filing not committed: ${JSON.stringify(result)}`);
  return filing;
}

/**
 * Files the key-project form (附件2) for 市南区 through the real engine on `store`, as a user typing
 * every answer and 提交; resolves with the receipt.
 */
export async function fileKeyProjectViaEngine(store: Store, clock: FakeTime['clock'], sender: Sender = { userId: 'shinan-filer', chatId: 'shinan-filer' }): Promise<string> {
  const engine = createEngine({
    ...botPorts,
    sessions: store,
    store,
    event,
    flows: allFlows,
    i18n,
    clock,
    log: silentLogger,
    defaultLocale: 'zh-CN',
    sessionTtlMs: 30 * 24 * 3600 * 1000,
    dedupeTtlMs: 24 * 3600 * 1000,
  });
  let counter = 0;
  const inbound: Harness['inbound'] = (content, from = {}) => {
    counter += 1;
    return makeInbound(content, from, { platform: 'test', deliveryId: `reminders-${randomUUID()}-${counter}`, receivedAt: clock.now() });
  };
  const harness: Harness = {
    handle: engine.handle,
    store,
    clock,
    dir: '',
    inbound,
    say: async (text, from) => toTurn(await engine.handle(inbound({ text }, from))),
    press: async (payload, from) => toTurn(await engine.handle(inbound({ action: payload }, from))),
    cleanup: () => Promise.resolve(),
  };
  return submitKeyProject(harness, sender);
}

/** The real Telegram adapter (grammY) on the stand-in, initialised (getMe) but not polling. */
export async function telegramAdapterOn(
  api: BotApi,
  onUnreachable: (chatId: string, reason: string) => void = () => undefined,
): Promise<PlatformAdapter & { bot: Bot }> {
  const http = createHttpServer({ ready: () => Promise.resolve(), registry: createMetrics().registry, log: silentLogger });
  const adapter = createTelegramAdapter({
    token: api.token,
    apiRoot: api.apiRoot,
    accept: () => Promise.resolve(),
    http,
    log: silentLogger,
    menus: [],
    onUnreachable,
    onFatal: () => undefined,
    retryBaseDelayMs: 10,
  });
  await adapter.bot.init();
  return adapter;
}

/** What a dispatcher needs from the test; everything else is as `service.ts` wires it. */
export type DispatcherOptions = Partial<DispatcherDeps> & Pick<DispatcherDeps, 'store' | 'clock' | 'adapters'>;

/** A dispatcher on the shipped event, rules and locales (zh-CN), staff `telegram:900`, a silent log. */
export function reminderDispatcher(options: DispatcherOptions): Dispatcher {
  return createDispatcher({
    event,
    rules,
    log: silentLogger,
    i18n,
    locale: 'zh-CN',
    staff: STAFF,
    instanceId: `test-${randomUUID().slice(0, 8)}`,
    ...options,
  });
}

/** The chat id a Bot API call was made for, as a string. */
export function chatOf(call: CallRecord): string {
  const id = call.params.chat_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** True when the stand-in answered the call with ok. */
export function succeeded(call: CallRecord): boolean {
  return typeof call.response === 'object' && call.response.ok;
}

/** The successful sendMessage calls (to one chat, or to any), in arrival order. */
export function deliveredCalls(api: BotApi, chatId?: string): CallRecord[] {
  return api.callsOf('sendMessage').filter((call) => succeeded(call) && (chatId === undefined || chatOf(call) === chatId));
}

/** The messages the stand-in holds for a chat (string id), in order. */
export function messagesTo(api: BotApi, chatId: string | number): SentMessage[] {
  return api.sentMessages(Number(chatId));
}

/** Plain text of every reply of a send, for fake adapters. */
export function plainTextOf(replies: Parameters<PlatformAdapter['send']>[1]): string {
  return replies.map((reply) => toPlainText(reply)).join('\n\n');
}

/** Polls `probe` every 5 ms until it returns a value; throws after `timeoutMs`. */
export async function waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
