/**
 * Composers for what people have to send: the deadlines (with the days left on the turn's clock),
 * the forms and their fields, where and how to submit (the mailbox, and `/file` for the forms this
 * bot can file), the summary report and its video limit. Facts from `data/event.json`, words from
 * the locales, the notice's section on every answer.
 */
import { list, paragraph, type Block } from '../domain/reply.js';
import type { EventForm } from '../domain/event.js';
import {
  dateText,
  daysNote,
  fileCommand,
  formDeadlineDate,
  formName,
  joinList,
  sectionSpan,
  sourceLine,
  type AnswerEnv,
  type Composer,
} from './compose-env.js';

function deadlineLines(env: AnswerEnv): string[][] {
  return env.event.deadlines.map((deadline) => [
    env.t('qa.deadline', { title: deadline.title[env.locale], date: dateText(env, deadline.date), section: deadline.section[env.locale], left: daysNote(env, deadline.date) }).trim(),
  ]);
}

const deadlines: Composer = (_topic, env) => [paragraph(env.t('qa.deadlines')), list(deadlineLines(env))];

function fileCommands(env: AnswerEnv, forms: readonly EventForm[]): Block[] {
  const commands = forms.map((form) => fileCommand(env, form.id)).filter((command): command is string => command !== undefined);
  return commands.length === 0 ? [] : [paragraph(env.t('qa.file_here_list', { commands: joinList(env, commands) }))];
}

const forms: Composer = (_topic, env) => {
  const items = env.event.forms.map((form) => {
    const due = formDeadlineDate(env, form);
    return [env.t('qa.form_line', { form: formName(env, form), date: due === undefined ? '' : dateText(env, due) })];
  });
  return [
    paragraph(env.t('qa.forms_intro')),
    list(items),
    ...fileCommands(env, env.event.forms),
    sourceLine(env, sectionSpan(env, env.event.forms.map((form) => form.section[env.locale]))),
  ];
};

function sendTo(env: AnswerEnv): string {
  const { submission } = env.event;
  return env.t('qa.send_to', { to: submission.to[env.locale], email: submission.email, address: submission.address[env.locale] });
}

/** What staff do with what is filed here: they export it and forward it to the mailbox. */
function forwarded(env: AnswerEnv): string {
  const { submission } = env.event;
  return env.t('qa.fill.forwarded', { to: submission.to[env.locale], email: submission.email });
}

const form: Composer = (topic, env) => {
  const entry = env.event.forms.find((candidate) => candidate.id === topic.ref);
  if (entry === undefined) return [];
  const due = formDeadlineDate(env, entry);
  const blocks: Block[] = [
    paragraph(env.t('qa.form_fields', { form: formName(env, entry) })),
    list(entry.fields.map((field) => [field[env.locale]])),
  ];
  if (due !== undefined) {
    blocks.push(paragraph(env.t('qa.form_due', { date: dateText(env, due), by: entry.submittedBy[env.locale], left: daysNote(env, due) }).trim()));
  }
  const command = fileCommand(env, entry.id);
  // Filed here, the filing is the submission and staff forward the export: one way, not two.
  if (command === undefined) blocks.push(paragraph(sendTo(env)));
  else blocks.push(paragraph(env.t('qa.fill.file_here', { command })), paragraph(forwarded(env)));
  blocks.push(sourceLine(env, entry.section[env.locale]));
  return blocks;
};

/** Forms that go to the mailbox by one deadline, grouped, in the order of the deadlines. */
function formsByDeadline(env: AnswerEnv): { deadlineId: string; date: string; forms: EventForm[] }[] {
  return env.event.deadlines.map((deadline) => ({
    deadlineId: deadline.id,
    date: deadline.date,
    forms: env.event.forms.filter((entry) => entry.deadline === deadline.id),
  }));
}

const submit: Composer = (_topic, env) => {
  const { event, t, locale } = env;
  const lines: string[][] = [];
  for (const group of formsByDeadline(env)) {
    const withAttachment = group.forms.filter((entry) => entry.attachment !== undefined);
    const deadline = event.deadlines.find((entry) => entry.id === group.deadlineId);
    const allHere = withAttachment.length > 0 && withAttachment.every((entry) => env.flowIds.has(entry.id));
    if (allHere) {
      const names = joinList(env, withAttachment.map((entry) => formName(env, entry)));
      lines.push([t('qa.fill.submit_here', { forms: names, date: dateText(env, group.date), left: daysNote(env, group.date) }).trim()]);
      lines.push([forwarded(env)]);
    } else if (withAttachment.length > 0) {
      const names = joinList(env, withAttachment.map((entry) => formName(env, entry)));
      const params = { forms: names, date: dateText(env, group.date), email: event.submission.email, to: event.submission.to[locale], address: event.submission.address[locale], left: daysNote(env, group.date) };
      lines.push([t('qa.submit_forms', params).trim()]);
    } else if (deadline !== undefined && group.forms.length > 0) {
      lines.push([t('qa.submit_summary', { title: deadline.title[locale], date: dateText(env, group.date), left: daysNote(env, group.date) }).trim()]);
    }
  }
  const sections = event.deadlines.map((deadline) => deadline.section[locale]);
  return [list(lines), ...fileCommands(env, event.forms), sourceLine(env, joinList(env, [...new Set(sections)]))];
};

/** The summary report: the one form that is not an attachment of the notice. */
function summaryForm(env: AnswerEnv): EventForm | undefined {
  return env.event.forms.find((entry) => entry.attachment === undefined);
}

const summaryReport: Composer = (_topic, env) => {
  const { summaryReport: report } = env.event;
  const entry = summaryForm(env);
  const due = entry === undefined ? undefined : formDeadlineDate(env, entry);
  const blocks: Block[] = [paragraph(report.text[env.locale])];
  if (due !== undefined) blocks.push(paragraph(env.t('qa.summary_due', { date: dateText(env, due), left: daysNote(env, due) }).trim()));
  const command = entry === undefined ? undefined : fileCommand(env, entry.id);
  if (command !== undefined) blocks.push(paragraph(env.t('qa.fill.file_here', { command })));
  blocks.push(sourceLine(env, report.section[env.locale]));
  return blocks;
};

const video: Composer = (_topic, env) => {
  const { summaryReport: report } = env.event;
  const entry = summaryForm(env);
  const due = entry === undefined ? undefined : formDeadlineDate(env, entry);
  const minutes = report.videoMaxSeconds / 60;
  const blocks: Block[] = [];
  if (due !== undefined) blocks.push(paragraph(env.t('qa.video', { minutes, date: dateText(env, due), left: daysNote(env, due) }).trim()));
  blocks.push(paragraph(report.text[env.locale]), sourceLine(env, report.section[env.locale]));
  return blocks;
};

/** Composers of this module by answer kind. */
export const formComposers = {
  deadlines,
  forms,
  form,
  submit,
  'summary-report': summaryReport,
  video,
} satisfies Record<string, Composer>;
