/**
 * Composers for what the notice says about the week itself: dates, theme, organisers, basis,
 * purpose, the five main contents, the activities, the logo, the epidemic note, the work
 * requirements and the contact. Every fact comes from `data/event.json`, every word from the
 * locales, and every answer ends with the part of the notice it comes from.
 */
import { bold, list, paragraph, type Block } from '../domain/reply.js';
import { shanghaiDaysUntil, startOfShanghaiDay } from '../kernel/time.js';
import type { EventItem } from '../domain/event.js';
import {
  dateText,
  daysNote,
  formDeadlineDate,
  formName,
  joinList,
  namedSourceLine,
  sectionSpan,
  sourceLine,
  type AnswerEnv,
  type Composer,
} from './compose-env.js';

function weekStatus(env: AnswerEnv): string {
  const { start, end } = env.event.week;
  const toStart = shanghaiDaysUntil(start, env.now);
  if (toStart > 0) return env.t('qa.week_before', { days: toStart });
  if (toStart === 0) return env.t('qa.week_today');
  if (shanghaiDaysUntil(end, env.now) >= 0) {
    const total = shanghaiDaysUntil(end, startOfShanghaiDay(start)) + 1;
    return env.t('qa.week_running', { day: 1 - toStart, total });
  }
  return env.t('qa.week_over');
}

const week: Composer = (_topic, env) => {
  const { event, t, locale } = env;
  return [
    paragraph(t('qa.week', { event: event.name[locale], start: dateText(env, event.week.start), end: dateText(env, event.week.end) })),
    paragraph(weekStatus(env)),
    sourceLine(env, event.week.section[locale]),
  ];
};

const overview: Composer = (_topic, env) => {
  const { event, t, locale } = env;
  const issuers = joinList(env, event.issuers.map((issuer) => issuer[locale]));
  const params = { event: event.name[locale], issuers, start: dateText(env, event.week.start), end: dateText(env, event.week.end), theme: event.theme.text[locale] };
  return [paragraph(t('qa.overview', params)), paragraph(weekStatus(env)), paragraph(event.purpose[locale]), sourceLine(env, sectionSpan(env, [event.week.section[locale], event.theme.section[locale]]))];
};

const theme: Composer = (_topic, env) => [
  paragraph(env.t('qa.theme', { theme: env.event.theme.text[env.locale] })),
  sourceLine(env, env.event.theme.section[env.locale]),
];

const organisers: Composer = (_topic, env) => {
  const issuers = joinList(env, env.event.issuers.map((issuer) => issuer[env.locale]));
  return [paragraph(env.t('qa.organisers', { event: env.event.name[env.locale], issuers })), namedSourceLine(env, 'header')];
};

const addressees: Composer = (_topic, env) => [
  paragraph(env.t('qa.addressees', { addressees: env.event.addressees[env.locale] })),
  namedSourceLine(env, 'addressees'),
];

const basis: Composer = (_topic, env) => {
  const { event, t, locale } = env;
  const items = event.basis.map((doc) => [t('qa.basis_item', { issuer: doc.issuer[locale], title: doc.title[locale], number: doc.number })]);
  return [paragraph(t('qa.basis', { count: event.basis.length })), list(items), namedSourceLine(env, 'preamble')];
};

const purpose: Composer = (_topic, env) => [
  paragraph(env.t('qa.purpose', { purpose: env.event.purpose[env.locale] })),
  paragraph(env.event.occasion[env.locale]),
  namedSourceLine(env, 'preamble'),
];

function findItem(items: readonly EventItem[], id: string | undefined): EventItem | undefined {
  return items.find((item) => item.id === id);
}

/** One passage of the notice: its title in bold, its text, the form that goes with it, its source. */
function itemBlocks(env: AnswerEnv, item: EventItem, formId?: string): Block[] {
  const blocks: Block[] = [paragraph(bold(item.title[env.locale])), paragraph(item.text[env.locale])];
  const form = formId === undefined ? undefined : env.event.forms.find((entry) => entry.id === formId);
  const due = form === undefined ? undefined : formDeadlineDate(env, form);
  if (form !== undefined && due !== undefined) {
    blocks.push(paragraph(env.t('qa.item_form', { form: formName(env, form), date: dateText(env, due), left: daysNote(env, due) }).trim()));
  }
  blocks.push(sourceLine(env, item.section[env.locale]));
  return blocks;
}

const contents: Composer = (_topic, env) => {
  const items = env.event.contents.map((item) => [item.title[env.locale]]);
  return [paragraph(env.t('qa.contents', { count: items.length })), list(items), paragraph(env.t('qa.pick_one')), sourceLine(env, sectionSpan(env, env.event.contents.map((item) => item.section[env.locale])))];
};

const content: Composer = (topic, env) => {
  const item = findItem(env.event.contents, topic.ref);
  return item === undefined ? [] : itemBlocks(env, item);
};

const activities: Composer = (_topic, env) => {
  const items = env.event.activities.map((item) => [item.title[env.locale]]);
  const sections = env.event.activities.map((item) => item.section[env.locale]);
  return [paragraph(env.t('qa.activities')), list(items), paragraph(env.t('qa.pick_one')), sourceLine(env, sectionSpan(env, sections))];
};

const activity: Composer = (topic, env) => {
  const item = findItem(env.event.activities, topic.ref);
  return item === undefined ? [] : itemBlocks(env, item, topic.form);
};

const requirement: Composer = (topic, env) => {
  const item = findItem(env.event.requirements, topic.ref);
  return item === undefined ? [] : itemBlocks(env, item);
};

const requirements: Composer = (_topic, env) => {
  const items = env.event.requirements.map((item) => [item.title[env.locale]]);
  const sections = env.event.requirements.map((item) => item.section[env.locale]);
  return [paragraph(env.t('qa.requirements')), list(items), paragraph(env.t('qa.pick_one')), sourceLine(env, sectionSpan(env, sections))];
};

const epidemic: Composer = (_topic, env) => [paragraph(env.event.epidemic.text[env.locale]), sourceLine(env, env.event.epidemic.section[env.locale])];

const logo: Composer = (_topic, env) => {
  const { event, locale, t } = env;
  const attachment = event.attachments.find((entry) => entry.number === event.logo.attachment);
  const blocks: Block[] = [paragraph(event.logo.text[locale])];
  if (attachment !== undefined) blocks.push(paragraph(t('qa.logo_file', { n: attachment.number, title: attachment.title[locale] })));
  blocks.push(sourceLine(env, event.logo.section[locale]));
  return blocks;
};

/** The full contact line, shared with the "how to submit" answer. */
export function contactLine(env: AnswerEnv): string {
  const c = env.event.contact;
  return env.t('qa.contact', { person: c.person[env.locale], office: c.office[env.locale], phone: c.phone, email: c.email, address: c.address[env.locale] });
}

const contact: Composer = (_topic, env) => [paragraph(contactLine(env)), namedSourceLine(env, 'contact')];

/** Composers of this module by answer kind. */
export const eventComposers = {
  overview,
  week,
  theme,
  organisers,
  addressees,
  basis,
  purpose,
  contents,
  content,
  activities,
  activity,
  requirement,
  requirements,
  epidemic,
  logo,
  contact,
} satisfies Record<string, Composer>;
