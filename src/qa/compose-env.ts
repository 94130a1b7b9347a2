/**
 * What every answer composer reads, and the small pieces they share: the source line naming the
 * part of the notice, day counts relative to the turn's clock, form names and `/file` hints. Kept
 * apart so the composers stay pure functions of (topic, data, words, now).
 */
import type { EventData, EventForm } from '../domain/event.js';
import type { Translate } from '../kernel/i18n.js';
import type { Locale } from '../kernel/locale.js';
import { paragraph, type Block } from '../domain/reply.js';
import { formatShanghaiDate, shanghaiDaysUntil } from '../kernel/time.js';
import type { QaTopic } from './knowledge.js';

/** The inputs of a composer: the event, the forms that have a flow, the words and the clock. */
export interface AnswerEnv {
  event: EventData;
  /** Ids of the forms this bot can file (`/file <id>`). */
  flowIds: ReadonlySet<string>;
  t: Translate;
  /** Whether the locales have a key (optional words such as a field's hint). */
  has: (key: string) => boolean;
  locale: Locale;
  now: Date;
}

/** Composes the body of one answer. */
export type Composer = (topic: QaTopic, env: AnswerEnv) => Block[];

/** The line that names where in the notice an answer comes from. */
export function sourceLine(env: AnswerEnv, section: string): Block {
  return paragraph(env.t('qa.source', { section }));
}

/** A source line for the parts of the notice that have no section number (header, contact …). */
export function namedSourceLine(env: AnswerEnv, part: 'header' | 'preamble' | 'addressees' | 'contact'): Block {
  return sourceLine(env, env.t(`qa.source_names.${part}`));
}

/** A date as people write it in the answer's language. */
export function dateText(env: AnswerEnv, isoDate: string): string {
  return formatShanghaiDate(isoDate, env.locale);
}

/** "N days from today" / "that is today" / "already over" for a deadline date, from the turn's clock. */
export function daysNote(env: AnswerEnv, isoDate: string): string {
  const days = shanghaiDaysUntil(isoDate, env.now);
  if (days > 0) return env.t('qa.days_left', { days });
  return days === 0 ? env.t('qa.today') : env.t('qa.over');
}

/** Items of a list in the answer's language (`、` or `, `). */
export function joinList(env: AnswerEnv, items: readonly string[]): string {
  return items.join(env.t('qa.list_separator'));
}

/** A form as the notice names it: 附件2《…》, or just 《…》 for the summary report. */
export function formName(env: AnswerEnv, form: EventForm): string {
  const title = form.title[env.locale];
  return form.attachment === undefined ? env.t('qa.form_name_plain', { title }) : env.t('qa.form_name', { n: form.attachment, title });
}

/** The deadline date of a form (ISO), from the event's deadlines. */
export function formDeadlineDate(env: AnswerEnv, form: EventForm): string | undefined {
  return env.event.deadlines.find((deadline) => deadline.id === form.deadline)?.date;
}

/** The `/file <id>` command of a form, when this bot has a flow for it. */
export function fileCommand(env: AnswerEnv, formId: string): string | undefined {
  return env.flowIds.has(formId) ? `/file ${formId}` : undefined;
}

/** "You can also file it here: /file …" for one form, or nothing when there is no flow. */
export function fileHereLine(env: AnswerEnv, formId: string): Block[] {
  const command = fileCommand(env, formId);
  return command === undefined ? [] : [paragraph(env.t('qa.file_here', { command }))];
}

/**
 * One section text for several passages: their shared part when they share a whole section
 * (第一部分（三）第1–5项 → 通知第一部分（三）), else the first and last, else the list.
 */
export function sectionSpan(env: AnswerEnv, sections: readonly string[]): string {
  const unique = [...new Set(sections)];
  const first = unique[0] ?? '';
  const last = unique[unique.length - 1] ?? '';
  if (unique.length <= 1) return first;
  let prefix = first;
  for (const section of unique) while (!section.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.replace(/[^）)]*$/u, '');
  if (prefix !== '') return prefix;
  return unique.length > 2 ? `${first}—${last}` : joinList(env, unique);
}
