/**
 * Event Q&A: a question in Simplified or Traditional Chinese or English → one answer composed from
 * `data/` and the locales, in the language of the question (or of the user when that is unclear),
 * naming the part of the notice it comes from, with two or three related questions as buttons.
 * A question the notice does not answer gets an honest "the notice does not say" and the contact —
 * never a guess.
 */
import type { EventData } from '../domain/event.js';
import type { I18n } from '../kernel/i18n.js';
import type { Locale } from '../kernel/locale.js';
import { choicesReply, paragraph, textReply, type Block, type Button, type Reply } from '../domain/reply.js';
import type { TurnContext } from '../bot/turn.js';
import { formComposers } from './compose-forms.js';
import { eventComposers } from './compose-event.js';
import type { AnswerEnv, Composer } from './compose-env.js';
import { checkQaKnowledge, loadQaKnowledge, QA_FILE, suggestKey, type AnswerKind, type QaKnowledge, type QaTopic } from './knowledge.js';
import { createMatcher } from './match.js';
import { questionLanguage } from './text.js';

/** The shipped Q&A data, loaded and validated when the bot starts (this module is imported then). */
export const qaKnowledge: QaKnowledge = loadQaKnowledge(QA_FILE);

const matcher = createMatcher(qaKnowledge);

/** Button payloads name a topic as `/ask #<topic id>`; this reads the `#<topic id>` part. */
const TOPIC_REF = /^#([a-z0-9]+(?:-[a-z0-9]+)*)$/u;

const help: Composer = (_topic, env) => [paragraph(env.t('qa.help', { notice: env.event.noticeTitle[env.locale] }))];

/** "The notice does not say" and whom to ask: the person and phone only, nothing that looks like a venue. */
function notInNotice(env: AnswerEnv): Block[] {
  const c = env.event.contact;
  return [paragraph(env.t('qa.unknown')), paragraph(env.t('qa.unknown_contact', { person: c.person[env.locale], office: c.office[env.locale], phone: c.phone }))];
}

const unknown: Composer = (_topic, env) => notInNotice(env);

const composers: Record<AnswerKind, Composer> = { ...eventComposers, ...formComposers, help, unknown };

const checked = new WeakMap<EventData, WeakSet<I18n>>();

/** Checks the Q&A data against this event and these locales once (refs, button texts). */
function ensureChecked(event: EventData, i18n: I18n): void {
  const seen = checked.get(event) ?? new WeakSet<I18n>();
  if (seen.has(i18n)) return;
  checkQaKnowledge(qaKnowledge, event, i18n);
  seen.add(i18n);
  checked.set(event, seen);
}

/** A button that asks about a topic, labelled with its short question in `locale`. */
function topicButton(ctx: TurnContext, locale: Locale, topicId: string): Button {
  return { label: ctx.i18n.forLocale(locale)(suggestKey(topicId)), payload: `/ask #${topicId}`, role: 'option' };
}

/**
 * The most common questions as buttons, in the user's language: for the /start menu and for
 * "help", so people see what they can ask without typing.
 */
export function commonQuestionButtons(ctx: TurnContext): Button[] {
  return qaKnowledge.common.map((id) => topicButton(ctx, ctx.locale, id));
}

function replyLocale(question: string, ctx: TurnContext, byTopicId: boolean): Locale {
  if (ctx.session.locale !== undefined) return ctx.session.locale;
  return (byTopicId ? undefined : questionLanguage(question)) ?? ctx.locale;
}

/** The topic a question asks about, or undefined when the notice does not answer it. */
export function findTopic(question: string): QaTopic | undefined {
  const byId = TOPIC_REF.exec(question.trim())?.[1];
  if (byId !== undefined) return matcher.topic(byId);
  return matcher.match(question)?.topic;
}

/** Answers a question about the event: one reply, with related questions as buttons. */
export function answerQuestion(question: string, ctx: TurnContext): Reply {
  ensureChecked(ctx.event, ctx.i18n);
  const byTopicId = TOPIC_REF.test(question.trim());
  const locale = replyLocale(question, ctx, byTopicId);
  const env: AnswerEnv = { event: ctx.event, flowIds: new Set(ctx.flows.keys()), t: ctx.i18n.forLocale(locale), locale, now: ctx.now };
  const found = findTopic(question);
  let blocks: Block[] = found === undefined ? [] : composers[found.answer](found, env);
  let topic = found;
  if (blocks.length === 0) {
    topic = undefined;
    blocks = notInNotice(env);
  }
  const offered = topic === undefined || topic.related.length === 0 ? qaKnowledge.common : topic.related;
  const buttons = offered.filter((id) => id !== topic?.id).map((id) => topicButton(ctx, locale, id));
  if (buttons.length === 0) return textReply(...blocks);
  const lead = topic?.answer === 'help' ? [] : [paragraph(env.t('qa.related'))];
  return choicesReply([...blocks, ...lead], buttons);
}
