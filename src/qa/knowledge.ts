/**
 * What the Q&A knows besides the event: `data/qa.json` — the Traditional → Simplified folding map,
 * the concepts (synonym lists in both languages) and the topics (which concepts point at which
 * answer, and which questions to offer next). Data, not code, so wording can be tuned without a
 * release; a mistake in it stops the start with a ConfigError naming the file and the exact path.
 */
import { readDataFile } from '../kernel/data-file.js';
import { z } from 'zod';
import { ConfigError } from '../kernel/errors.js';
import type { EventData } from '../domain/event.js';
import type { I18n } from '../kernel/i18n.js';

/** How each topic is answered; every kind has one composer in `compose*.ts`. */
export const ANSWER_KINDS = [
  'help',
  'unknown',
  'overview',
  'week',
  'theme',
  'organisers',
  'addressees',
  'basis',
  'purpose',
  'contents',
  'content',
  'activities',
  'activity',
  'deadlines',
  'forms',
  'form',
  'submit',
  'summary-report',
  'video',
  'logo',
  'epidemic',
  'requirement',
  'requirements',
  'contact',
  'field',
  'channel',
  'paper',
  'nothing-to-file',
] as const;

/** One way of answering (see {@link ANSWER_KINDS}). */
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** Kinds that answer about one entry of `data/event.json`, named by the topic's `ref`: where those entries are. */
const REF_LISTS: Partial<Record<AnswerKind, { list: string; ids: (event: EventData) => string[] }>> = {
  content: { list: 'contents', ids: (event) => event.contents.map((item) => item.id) },
  activity: { list: 'activities', ids: (event) => event.activities.map((item) => item.id) },
  requirement: { list: 'requirements', ids: (event) => event.requirements.map((item) => item.id) },
  form: { list: 'forms', ids: (event) => event.forms.map((form) => form.id) },
};

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const idSchema = z.string().regex(KEBAB_CASE, 'must be kebab-case, e.g. "key-project"');
/** A field of a flow: `postalCode`, or a column of a repeating group as `institutions.openTime`. */
const fieldIdSchema = z.string().regex(/^[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)?$/u, 'must be a field id, e.g. "postalCode" or "institutions.openTime"');
const phraseSchema = z.string().trim().min(1).max(40);

const topicSchema = z.strictObject({
  id: idSchema,
  answer: z.enum(ANSWER_KINDS),
  /** The event entry answered (content, activity, requirement or form id). */
  ref: idSchema.optional(),
  /** A form to mention with an activity (e.g. the exhibitor form with the launch ceremony). */
  form: idSchema.optional(),
  /** The field of `form` a "how do I fill …" topic explains (answer `field`). */
  field: fieldIdSchema.optional(),
  /** Concept → weight; the topic's score is the sum over the concepts found in the question. */
  signals: z.record(idSchema, z.number().positive().max(100)),
  /** Each group needs at least one of its concepts in the question. */
  requires: z.array(z.array(idSchema).min(1)).optional(),
  /** Any of these concepts rules the topic out. */
  excludes: z.array(idSchema).optional(),
  /** Topics offered as buttons after the answer. */
  related: z.array(idSchema).max(5),
});

const shapeSchema = z.strictObject({
  minScore: z.number().positive(),
  common: z.array(idSchema).min(1).max(6),
  fold: z.record(z.string().min(1).max(4), z.string().min(1).max(4)),
  concepts: z.record(idSchema, z.array(phraseSchema).min(1)),
  topics: z.array(topicSchema).min(1),
});

type QaShape = z.infer<typeof shapeSchema>;

function checkReferences(qa: QaShape, ctx: z.RefinementCtx<QaShape>): void {
  const report = (at: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path: at, message });
  const topicIds = new Set<string>();
  qa.topics.forEach((topic, index) => {
    if (topicIds.has(topic.id)) report(['topics', index, 'id'], `duplicate topic id "${topic.id}"`);
    topicIds.add(topic.id);
  });
  const concept = (id: string, at: (string | number)[]): void => {
    if (!Object.hasOwn(qa.concepts, id)) report(at, `no concept has id "${id}"`);
  };
  qa.topics.forEach((topic, index) => {
    for (const id of Object.keys(topic.signals)) concept(id, ['topics', index, 'signals', id]);
    topic.requires?.forEach((group, g) => group.forEach((id, i) => concept(id, ['topics', index, 'requires', g, i])));
    topic.excludes?.forEach((id, i) => concept(id, ['topics', index, 'excludes', i]));
    topic.related.forEach((id, i) => {
      if (!topicIds.has(id)) report(['topics', index, 'related', i], `no topic has id "${id}"`);
    });
    if (REF_LISTS[topic.answer] !== undefined && topic.ref === undefined) report(['topics', index, 'ref'], `answer "${topic.answer}" needs a ref`);
    if (topic.answer === 'field' && (topic.form === undefined || topic.field === undefined)) report(['topics', index, 'field'], 'answer "field" needs a form and a field');
  });
  qa.common.forEach((id, i) => {
    if (!topicIds.has(id)) report(['common', i], `no topic has id "${id}"`);
  });
}

/** zod schema of `data/qa.json`, with the cross-references checked once the shape is valid. */
export const qaSchema = shapeSchema.superRefine(checkReferences);

/** The validated Q&A data. */
export type QaKnowledge = z.infer<typeof qaSchema>;

/** One topic: the concepts that point at it and how it is answered. */
export type QaTopic = QaKnowledge['topics'][number];

function formatPath(at: readonly PropertyKey[]): string {
  return at.length === 0 ? '(root)' : at.map((part) => String(part)).join('.');
}

/** Validates already-parsed Q&A data; `source` names where it came from in every error line. */
export function parseQaKnowledge(input: unknown, source: string): QaKnowledge {
  const result = qaSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${source}: ${formatPath(issue.path)}: ${issue.message}`);
  throw new ConfigError(lines.join('\n'), { cause: result.error });
}

/** Reads, parses and validates a Q&A file; any problem is a {@link ConfigError} naming the file. */
export function loadQaKnowledge(filePath: string): QaKnowledge {
  return parseQaKnowledge(readDataFile(filePath), filePath);
}

/** The locale key of a topic's short question text (button labels). */
export function suggestKey(topicId: string): string {
  return `qa.suggest.${topicId}`;
}

/** The locale key of one part of a form field's words (the same keys the forms ask with). */
export function fieldHelpKey(formId: string, fieldId: string, part: 'label' | 'prompt' | 'hint' | 'help'): string {
  return `flows.${formId}.fields.${fieldId}.${part}`;
}

/**
 * The checks that need the event and the locales: every `ref` names an entry of the event, and
 * every topic offered as a button has its question text in the locales. Throws a ConfigError
 * naming `source` and the path, like the shape checks.
 */
export function checkQaKnowledge(qa: QaKnowledge, event: EventData, i18n: I18n, source = 'data/qa.json'): void {
  const problems: string[] = [];
  qa.topics.forEach((topic, index) => {
    const refs = REF_LISTS[topic.answer];
    if (refs !== undefined && topic.ref !== undefined && !refs.ids(event).includes(topic.ref)) {
      problems.push(`${source}: topics.${index}.ref: no ${refs.list} entry of the event has id "${topic.ref}"`);
    }
    if (topic.form !== undefined && !event.forms.some((form) => form.id === topic.form)) {
      problems.push(`${source}: topics.${index}.form: the event has no form "${topic.form}"`);
    }
    if (topic.form !== undefined && topic.field !== undefined && !i18n.has(fieldHelpKey(topic.form, topic.field, 'label'))) {
      problems.push(`${source}: topics.${index}.field: locales lack "${fieldHelpKey(topic.form, topic.field, 'label')}"`);
    }
  });
  const offered = new Set([...qa.common, ...qa.topics.flatMap((topic) => topic.related)]);
  for (const id of offered) {
    if (!i18n.has(suggestKey(id))) problems.push(`${source}: topic "${id}" is offered as a button but locales lack "${suggestKey(id)}"`);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}
