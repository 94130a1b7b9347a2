/**
 * The Q&A as the bot builds it at start-up (the shipped event, locales, flows and data/qa.json), and
 * a way to ask it a question the way the router does, without an engine round trip per question.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEvent, type EventData } from '../../src/domain/event.js';
import { loadI18n, type I18n } from '../../src/kernel/i18n.js';
import type { Locale } from '../../src/kernel/locale.js';
import { toPlainText, type Button, type Reply } from '../../src/domain/reply.js';
import type { SessionData } from '../../src/domain/session.js';
import type { FlowDefinition } from '../../src/flow/define.js';
import { createQa, type Qa, type QaAsk } from '../../src/qa/answer.js';
import { loadQaKnowledge, type QaKnowledge } from '../../src/qa/knowledge.js';
import { allFlows } from '../../flows/index.js';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shipped Q&A data file. */
export const QA_FILE = path.join(ROOT, 'data', 'qa.json');

/** The shipped event. */
export const event: EventData = loadEvent(path.join(ROOT, 'data', 'event.json'));

/** The shipped locales. */
export const i18n: I18n = loadI18n(path.join(ROOT, 'locales'));

/** The shipped Q&A data. */
export const qaKnowledge: QaKnowledge = loadQaKnowledge(QA_FILE);

/** Before the forms' deadline: 20 April 2021, 10:00 in Qingdao. */
export const APRIL_20 = new Date('2021-04-20T10:00:00+08:00');

/** The Q&A over the shipped data and every shipped flow. */
export const shippedQa: Qa = createQa({ knowledge: qaKnowledge, event, i18n, flowIds: new Set(allFlows.map((flow) => flow.id)) });

/** What a context is built from; everything has a default. */
export interface QaContextOptions {
  now?: Date;
  /** The user's language as the engine chose it. */
  locale?: Locale;
  session?: SessionData;
  /** The forms the bot files (every shipped flow by default). */
  flows?: readonly FlowDefinition[];
  i18n?: I18n;
}

/** A Q&A and who asks it: what the router passes for one private message. */
export interface QaContext {
  qa: Qa;
  ask: QaAsk;
}

/** A Q&A context as the router has it for one message. */
export function createQaContext(options: QaContextOptions = {}): QaContext {
  const words = options.i18n ?? i18n;
  const qa =
    options.flows === undefined && options.i18n === undefined
      ? shippedQa
      : createQa({ knowledge: qaKnowledge, event, i18n: words, flowIds: new Set((options.flows ?? allFlows).map((flow) => flow.id)) });
  return { qa, ask: { locale: options.locale ?? 'zh-CN', pinnedLocale: options.session?.locale, now: options.now ?? APRIL_20 } };
}

/** An answer as tests read it: the reply, its text and its buttons. */
export interface Answer {
  reply: Reply;
  text: string;
  buttons: Button[];
}

/** Asks one question in a context. */
export function ask(question: string, ctx: QaContext): Answer {
  const reply = ctx.qa.answer(question, ctx.ask);
  return { reply, text: toPlainText(reply), buttons: reply.kind === 'choices' ? reply.buttons : [] };
}
