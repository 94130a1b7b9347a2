/**
 * A real engine for tests: the shipped event, locales and flows, the embedded SQLite store in a fresh
 * temporary directory, a manual clock and a silent logger. `say` / `press` drive it as one user in one
 * chat (or as another one) and return the plain text of the replies and the last reply's buttons.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManualClock, type Clock } from '../../src/kernel/clock.js';
import { createEngine, type MessageHandler } from '../../src/bot/engine.js';
import { loadEvent, type EventData } from '../../src/domain/event.js';
import { loadI18n, type I18n, type Translate } from '../../src/kernel/i18n.js';
import type { Inbound } from '../../src/domain/inbound.js';
import type { SessionData } from '../../src/domain/session.js';
import type { Locale } from '../../src/kernel/locale.js';
import { silentLogger, type Logger } from '../../src/kernel/logger.js';
import { toPlainText, type Button, type Reply } from '../../src/domain/reply.js';
import type { FlowDefinition } from '../../src/flow/define.js';
import type { RunnerContext } from '../../src/flow/runner.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { allFlows } from '../../flows/index.js';
import { botPorts } from './content.js';
import type { ChatAdminPort } from '../../src/bot/ports.js';

/** The repository root, resolved from this file. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Before the forms' deadline (30 April 2021). */
export const BEFORE_DEADLINE = new Date('2021-04-20T10:00:00+08:00');

/** One second after the end of the forms' deadline day. */
export const AFTER_DEADLINE = new Date('2021-05-01T00:00:01+08:00');

/** The shipped event, loaded once per test file. */
export const event: EventData = loadEvent(path.join(REPO_ROOT, 'data', 'event.json'));

/** The shipped locales, loaded once per test file. */
export const i18n: I18n = loadI18n(path.join(REPO_ROOT, 'locales'));

/** The key-project flow as shipped. */
export function keyProject(): FlowDefinition {
  const flow = allFlows.find((f) => f.id === 'key-project');
  if (flow === undefined) throw new Error('key-project flow is not registered');
  return flow;
}

/** A translator for a locale (the strings tests compare replies with). */
export function translate(locale: Locale): Translate {
  return i18n.forLocale(locale);
}

/** A runner context on the real event and locales, for the pure runner tests. */
export function runnerContext(locale: Locale = 'zh-CN', now: Date = BEFORE_DEADLINE): RunnerContext {
  return {
    event,
    locale,
    now,
    t: i18n.forLocale(locale),
    inAllLocales: (key) => (['zh-CN', 'en'] as const).map((l) => i18n.forLocale(l)(key)),
  };
}

/** Who sends a message (defaults to user `u1` in private chat `c1`). */
export interface Sender {
  /** The Inbound's platform (default `test`, which spells commands with a slash). */
  platform?: string;
  userId?: string;
  chatId?: string;
  chatKind?: 'private' | 'group';
  displayName?: string;
  localeHint?: string;
  deliveryId?: string;
}

/** What one message produced. */
export interface Turn {
  replies: Reply[];
  /** All replies' plain text, joined by blank lines. */
  text: string;
  /** The buttons of the last reply that has any. */
  buttons: Button[];
}

/** A running engine with its store, clock and helpers. */
export interface Harness {
  handle: MessageHandler;
  /** The real SQLite store (unwrapped, even when the engine was given a wrapper). */
  store: Store;
  clock: Clock & { set(next: Date): void };
  dir: string;
  say(text: string, sender?: Sender): Promise<Turn>;
  press(payload: string, sender?: Sender): Promise<Turn>;
  inbound(content: { text?: string; action?: string }, sender?: Sender): Inbound;
  cleanup(): Promise<void>;
}

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** Wraps the real store before the engine gets it (fault injection). */
  wrapStore?: (store: Store) => Store;
  flows?: readonly FlowDefinition[];
  log?: Logger;
  now?: Date;
  /** Staff as `platform:userId`. */
  staff?: readonly string[];
  /** Who administers which group, as a platform would say it (nobody when absent). */
  chatAdmin?: ChatAdminPort;
}

/** Summarises replies as text and buttons. */
export function toTurn(replies: Reply[]): Turn {
  const withButtons = [...replies].reverse().find((reply) => reply.kind === 'choices');
  return {
    replies,
    text: replies.map((reply) => toPlainText(reply)).join('\n\n'),
    buttons: withButtons?.kind === 'choices' ? withButtons.buttons : [],
  };
}

/** An Inbound from `sender` (defaults: user `u1` in private chat `c1`) with the given content. */
export function makeInbound(
  content: { text?: string; action?: string },
  sender: Sender,
  defaults: { platform: string; deliveryId: string; receivedAt: Date },
): Inbound {
  const user: Inbound['user'] = { id: sender.userId ?? 'u1', displayName: sender.displayName ?? '测试员' };
  if (sender.localeHint !== undefined) user.localeHint = sender.localeHint;
  const message: Inbound = {
    platform: sender.platform ?? defaults.platform,
    chat: { id: sender.chatId ?? 'c1', kind: sender.chatKind ?? 'private' },
    user,
    deliveryId: sender.deliveryId ?? defaults.deliveryId,
    receivedAt: defaults.receivedAt,
  };
  if (content.text !== undefined) message.text = content.text;
  if (content.action !== undefined) message.action = content.action;
  return message;
}

/** Builds a real engine on a fresh SQLite file. Call `cleanup` when done. */
export function createHarness(options: HarnessOptions = {}): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-engine-'));
  const store = createSqliteStore({ file: path.join(dir, 'sciweek.db') });
  const clock = createManualClock(options.now ?? BEFORE_DEADLINE);
  const engineStore = options.wrapStore === undefined ? store : options.wrapStore(store);
  const engine = createEngine({
    ...botPorts,
    sessions: engineStore,
    store: engineStore,
    event,
    flows: options.flows ?? allFlows,
    i18n,
    clock,
    log: options.log ?? silentLogger,
    defaultLocale: 'zh-CN',
    sessionTtlMs: 30 * 24 * 3600 * 1000,
    dedupeTtlMs: 24 * 3600 * 1000,
    ...(options.staff === undefined ? {} : { staff: new Set(options.staff) }),
    ...(options.chatAdmin === undefined ? {} : { chatAdmin: options.chatAdmin }),
  });
  let counter = 0;

  function inbound(content: { text?: string; action?: string }, sender: Sender = {}): Inbound {
    counter += 1;
    return makeInbound(content, sender, { platform: 'test', deliveryId: `d${counter}`, receivedAt: clock.now() });
  }

  return {
    handle: engine.handle,
    store,
    clock,
    dir,
    inbound,
    say: async (text, sender) => toTurn(await engine.handle(inbound({ text }, sender))),
    press: async (payload, sender) => toTurn(await engine.handle(inbound({ action: payload }, sender))),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The stored session of a sender of `h` (same defaults as its messages), read without marking a delivery. */
export async function sessionOf(h: Harness, sender: Sender = {}): Promise<SessionData | undefined> {
  const begun = await h.store.begin({
    deliveryId: undefined,
    dedupeTtlMs: 1,
    key: { platform: 'test', chatId: sender.chatId ?? 'c1', userId: sender.userId ?? 'u1' },
  });
  return begun.session?.data;
}

/** A valid description for 项目简介 (over 20 characters; no full-width ASCII, so it is stored unchanged). */
export const SUMMARY_TEXT = '活动面向青少年开放。内容包括海洋科普展览、科学家讲座和互动实验。参加人员为中小学生及家长。通过报纸、公众号和短视频宣传。';

/** One valid answer per key-project field, in order, as a person types them. */
export const KEY_PROJECT_ANSWERS: readonly string[] = [
  '市南',
  '青岛海洋科普嘉年华',
  '青岛市科学技术协会',
  '青岛市科学技术局',
  '青岛市市南区五四广场',
  '5月22日-28日',
  '张三',
  '李四',
  '青岛市香港中路11号',
  '266071',
  '0532-85911893',
  '0532-85911894',
  'kp@example.cn',
  '5万元',
  '300',
  SUMMARY_TEXT,
];

/** Every exhibitor (附件1) field before the photos, in order, as a person types them. */
export const EXHIBITOR_ANSWERS: readonly string[] = [
  '市南',
  '青岛海洋科学馆',
  '王五',
  '13800138000',
  '展出深海探测器模型和海洋生物标本，观众可以亲手操作水下机器人，体验海洋科考的乐趣。',
  '赵六',
  '0532-85911893',
];

/** Starts the key-project form and answers every field; the last turn shows the summary. */
export async function fillKeyProject(h: Harness, sender?: Sender, answers: readonly string[] = KEY_PROJECT_ANSWERS): Promise<Turn> {
  let turn = await h.say('/file key-project', sender);
  for (const answer of answers) turn = await h.say(answer, sender);
  return turn;
}

/** The values the answers above are stored as. */
export const KEY_PROJECT_VALUES = {
  district: 'shinan',
  projectName: '青岛海洋科普嘉年华',
  organizer: '青岛市科学技术协会',
  supervisor: '青岛市科学技术局',
  venue: '青岛市市南区五四广场',
  period: { start: '2021-05-22', end: '2021-05-28' },
  projectLead: '张三',
  contactPerson: '李四',
  address: '青岛市香港中路11号',
  postalCode: '266071',
  phone: '0532-85911893',
  fax: '0532-85911894',
  email: 'kp@example.cn',
  budget: 50000,
  attendance: 300,
  summary: SUMMARY_TEXT,
} as const;

/** Files a key project to the end and returns its receipt. */
export async function submitKeyProject(h: Harness, sender?: Sender, answers?: readonly string[]): Promise<string> {
  await fillKeyProject(h, sender, answers);
  const done = await h.say('提交', sender);
  const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(done.text)?.[1];
  if (receipt === undefined) throw new Error(`no receipt in:\n${done.text}`);
  return receipt;
}
