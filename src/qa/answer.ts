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
import { formComposers } from './compose-forms.js';
import { eventComposers } from './compose-event.js';
import { fillComposers } from './compose-fill.js';
import type { AnswerEnv, Composer } from './compose-env.js';
import { checkQaKnowledge, suggestKey, type AnswerKind, type QaKnowledge, type QaTopic } from './knowledge.js';
import { createMatcher } from './match.js';
import { questionLanguage } from './text.js';

/** Button payloads name a topic as `/ask #<topic id>`; this reads the `#<topic id>` part. */
const TOPIC_REF = /^#([a-z0-9]+(?:-[a-z0-9]+)*)$/u;

const help: Composer = (_topic, env) => [paragraph(env.t('qa.help', { notice: env.event.noticeTitle[env.locale] }))];

/** "The notice does not say" and whom to ask: the person and phone only, nothing that looks like a venue. */
function notInNotice(env: AnswerEnv): Block[] {
  const c = env.event.contact;
  return [paragraph(env.t('qa.unknown')), paragraph(env.t('qa.unknown_contact', { person: c.person[env.locale], office: c.office[env.locale], phone: c.phone }))];
}

const unknown: Composer = (_topic, env) => notInNotice(env);

const composers: Record<AnswerKind, Composer> = { ...eventComposers, ...formComposers, ...fillComposers, help, unknown };

/** Who asks, and when: the language the engine chose and the one the user pinned with /lang. */
export interface QaAsk {
  locale: Locale;
  /** The /lang choice: it wins over the language of the question. */
  pinnedLocale: Locale | undefined;
  now: Date;
}

/** The event Q&A, built once at start-up from the Q&A data, the event, the words and the forms. */
export interface Qa {
  /** The Q&A data it answers from. */
  readonly knowledge: QaKnowledge;
  /** Answers a question about the event: one reply, with related questions as buttons. */
  answer(question: string, ask: QaAsk): Reply;
  /**
   * The most common questions as buttons, in `locale`: for the /start menu and for "help", so people
   * see what they can ask without typing.
   */
  commonButtons(locale: Locale): Button[];
  /** The topic a question asks about (or `#<topic id>` names), or undefined when the notice does not answer it. */
  findTopic(question: string): QaTopic | undefined;
}

/** What the Q&A is built from. */
export interface QaDeps {
  knowledge: QaKnowledge;
  /** Where the data came from, named in a ConfigError. */
  source?: string;
  event: EventData;
  i18n: I18n;
  /** The forms the bot files: answers about a form offer to file it only when it is here. */
  flowIds: ReadonlySet<string>;
}

/**
 * Builds the Q&A. The data is checked against the event and the words here (references, button
 * texts), so a mistake stops the start with a ConfigError instead of surfacing in a conversation.
 */
export function createQa(deps: QaDeps): Qa {
  const { knowledge, event, i18n, flowIds } = deps;
  checkQaKnowledge(knowledge, event, i18n, deps.source);
  const matcher = createMatcher(knowledge);

  /** A button that asks about a topic, labelled with its short question in `locale`. */
  const topicButton = (locale: Locale, topicId: string): Button => ({
    label: i18n.forLocale(locale)(suggestKey(topicId)),
    payload: `/ask #${topicId}`,
    role: 'option',
  });

  function findTopic(question: string): QaTopic | undefined {
    const byId = TOPIC_REF.exec(question.trim())?.[1];
    if (byId !== undefined) return matcher.topic(byId);
    return matcher.match(question)?.topic;
  }

  function answer(question: string, ask: QaAsk): Reply {
    const byTopicId = TOPIC_REF.test(question.trim());
    const locale = ask.pinnedLocale ?? (byTopicId ? undefined : questionLanguage(question)) ?? ask.locale;
    const env: AnswerEnv = { event, flowIds, t: i18n.forLocale(locale), has: (key) => i18n.has(key), locale, now: ask.now };
    const found = findTopic(question);
    let blocks: Block[] = found === undefined ? [] : composers[found.answer](found, env);
    let topic = found;
    if (blocks.length === 0) {
      topic = undefined;
      blocks = notInNotice(env);
    }
    const offered = topic === undefined || topic.related.length === 0 ? knowledge.common : topic.related;
    const buttons = offered.filter((id) => id !== topic?.id).map((id) => topicButton(locale, id));
    if (buttons.length === 0) return textReply(...blocks);
    const lead = topic?.answer === 'help' ? [] : [paragraph(env.t('qa.related'))];
    return choicesReply([...blocks, ...lead], buttons);
  }

  return { knowledge, answer, findTopic, commonButtons: (locale) => knowledge.common.map((id) => topicButton(locale, id)) };
}
