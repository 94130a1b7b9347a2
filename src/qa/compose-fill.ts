/**
 * Composers for how to fill the forms: one field explained from the words the form itself asks
 * with (its label, what it means, the prompt with its format and limits, the hint with an example),
 * whether filing here replaces the e-mail, whether a paper copy is needed, and what a district with
 * nothing to file does. Facts from `data/event.json`, words from the locales.
 */
import { list, paragraph, type Block } from '../domain/reply.js';
import type { EventForm } from '../domain/event.js';
import { dateText, daysNote, fileCommand, formDeadlineDate, formName, joinList, sectionSpan, sourceLine, type AnswerEnv, type Composer } from './compose-env.js';
import { formComposers } from './compose-forms.js';
import { fieldHelpKey } from './knowledge.js';

/** A prompt ends by inviting an answer ("…：", "…:"); inside an answer it reads as a statement. */
function asStatement(prompt: string): string {
  return prompt.replace(/[：:]\s*$/u, '');
}

/** The parts of the notice that say what is sent by when. */
function deadlineSections(env: AnswerEnv): string {
  return joinList(env, [...new Set(env.event.deadlines.map((deadline) => deadline.section[env.locale]))]);
}

/** The part of the notice that asks for some forms. */
function formsSection(env: AnswerEnv, forms: readonly EventForm[]): string {
  return sectionSpan(env, forms.map((form) => form.section[env.locale]));
}

const field: Composer = (topic, env) => {
  const form = env.event.forms.find((entry) => entry.id === topic.form);
  const fieldId = topic.field;
  if (form === undefined || fieldId === undefined) return [];
  const key = (part: 'label' | 'prompt' | 'hint' | 'help'): string => fieldHelpKey(form.id, fieldId, part);
  const blocks: Block[] = [paragraph(env.t('qa.fill.field', { form: formName(env, form), label: env.t(key('label')) }))];
  if (env.has(key('help'))) blocks.push(paragraph(env.t(key('help'))));
  blocks.push(paragraph(env.t('qa.fill.asked', { prompt: asStatement(env.t(key('prompt'))) })));
  if (env.has(key('hint'))) blocks.push(paragraph(env.t(key('hint'))));
  const due = formDeadlineDate(env, form);
  if (due !== undefined) blocks.push(paragraph(env.t('qa.summary_due', { date: dateText(env, due), left: daysNote(env, due) }).trim()));
  const command = fileCommand(env, form.id);
  if (command !== undefined) blocks.push(paragraph(env.t('qa.fill.file_here', { command })));
  blocks.push(sourceLine(env, form.section[env.locale]));
  return blocks;
};

/** Filing here is the submission; the e-mail is what staff do with the export, not a second step. */
const channel: Composer = (topic, env) => {
  const here = env.event.forms.filter((form) => env.flowIds.has(form.id));
  if (here.length === 0) return formComposers.submit(topic, env);
  const commands = here.map((form) => fileCommand(env, form.id) ?? '');
  return [paragraph(env.t('qa.fill.channel')), paragraph(env.t('qa.file_here_list', { commands: joinList(env, commands) })), sourceLine(env, deadlineSections(env))];
};

/** What the notice says about copies: the forms and the report are to be sent; nothing about paper. */
const paper: Composer = (_topic, env) => {
  const { event, locale } = env;
  const byDeadline = event.deadlines.map((deadline) => ({ deadline, forms: event.forms.filter((form) => form.deadline === deadline.id) }));
  const lines = byDeadline
    .filter((group) => group.forms.length > 0)
    .map((group) => env.t('qa.fill.paper_due', { forms: joinList(env, group.forms.map((form) => formName(env, form))), date: dateText(env, group.deadline.date) }));
  const sealed = event.forms.find((form) => form.attachment === 3);
  const blocks: Block[] = [paragraph(env.t('qa.fill.paper')), list(lines.map((line) => [line]))];
  if (sealed !== undefined) blocks.push(paragraph(env.t('qa.fill.paper_seal', { form: formName(env, sealed) })));
  const c = event.contact;
  blocks.push(paragraph(env.t('qa.fill.paper_ask', { person: c.person[locale], phone: c.phone })));
  blocks.push(sourceLine(env, deadlineSections(env)));
  return blocks;
};

/** A district with nothing to send declares it with /none, for the forms that allow it. */
const nothingToFile: Composer = (_topic, env) => {
  const declarable = env.event.forms.filter((form) => form.declarableNone === true && env.flowIds.has(form.id));
  const first = declarable[0];
  if (first === undefined) return [];
  const forms = joinList(env, declarable.map((form) => env.t('qa.fill.none_form', { form: formName(env, form), id: form.id })));
  return [
    paragraph(env.t('qa.fill.none', { example: `/none ${first.id}` })),
    paragraph(env.t('qa.fill.none_forms', { forms })),
    paragraph(env.t('qa.fill.none_undo', { example: `/none ${first.id} undo` })),
    sourceLine(env, formsSection(env, declarable)),
  ];
};

/** Composers of this module by answer kind. */
export const fillComposers = {
  field,
  channel,
  paper,
  'nothing-to-file': nothingToFile,
} satisfies Record<string, Composer>;
