/**
 * A real TurnContext for asking the Q&A directly: the shipped event, locales and flows, an in-memory
 * SQLite store and a fixed clock, so tests and the benchmark call `answerQuestion` exactly as the
 * router does, without an engine round trip per question.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEvent, type EventData } from '../../../src/domain/event.js';
import { loadI18n, type I18n } from '../../../src/kernel/i18n.js';
import { LOCALES, type Locale } from '../../../src/kernel/locale.js';
import { silentLogger } from '../../../src/kernel/logger.js';
import { toPlainText, type Button, type Reply } from '../../../src/domain/reply.js';
import type { SessionData } from '../../../src/domain/session.js';
import type { TurnContext } from '../../../src/bot/turn.js';
import type { FlowDefinition } from '../../../src/flow/define.js';
import { answerQuestion } from '../../../src/qa/answer.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import { allFlows } from '../../../flows/index.js';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The shipped event. */
export const event: EventData = loadEvent(path.join(ROOT, 'data', 'event.json'));

/** The shipped locales (the `qa.*` keys of this issue must be merged into them). */
export const i18n: I18n = loadI18n(path.join(ROOT, 'locales'));

/** Before the forms' deadline: 20 April 2021, 10:00 in Qingdao. */
export const APRIL_20 = new Date('2021-04-20T10:00:00+08:00');

/** What a context is built from; everything has a default. */
export interface QaContextOptions {
  now?: Date;
  /** The user's language as the engine chose it. */
  locale?: Locale;
  session?: SessionData;
  flows?: readonly FlowDefinition[];
  i18n?: I18n;
}

/** A TurnContext as the engine builds it for one private message. */
export function createQaContext(options: QaContextOptions = {}): TurnContext {
  const locale = options.locale ?? 'zh-CN';
  const now = options.now ?? APRIL_20;
  const words = options.i18n ?? i18n;
  const t = words.forLocale(locale);
  const store = createSqliteStore({ file: ':memory:' });
  return {
    inbound: { platform: 'test', chat: { id: 'c1', kind: 'private' }, user: { id: 'u1', displayName: '测试员' }, receivedAt: now },
    session: options.session ?? {},
    locale,
    t,
    now,
    ownerKey: 'test:u1',
    isStaff: false,
    event,
    flows: new Map((options.flows ?? allFlows).map((flow) => [flow.id, flow])),
    filings: store,
    groups: store,
    unreachable: store,
    declarations: store,
    i18n: words,
    log: silentLogger,
    runner: { event, locale, now, t, inAllLocales: (key) => LOCALES.map((l) => words.forLocale(l)(key)) },
  };
}

/** An answer as tests read it: the reply, its text and its buttons. */
export interface Answer {
  reply: Reply;
  text: string;
  buttons: Button[];
}

/** Asks one question in a context. */
export function ask(question: string, ctx: TurnContext): Answer {
  const reply = answerQuestion(question, ctx);
  return { reply, text: toPlainText(reply), buttons: reply.kind === 'choices' ? reply.buttons : [] };
}
