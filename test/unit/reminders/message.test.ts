/**
 * The words of a reminder (src/reminders/message.ts): to a group, its district by name, the deadline's
 * date, the days left on the Shanghai calendar, each owed form by its locale title with the filings
 * counted, and how to file or declare; to staff, the date and per district the titles still owed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/kernel/i18n.js';
import { toPlainText, type Reply } from '../../../src/domain/reply.js';
import { LOCALES_DIR } from '../../../src/app/paths.js';
import { reminderReply, type ReminderContent } from '../../../src/reminders/message.js';
import { en, event, sh, TITLES, zh } from '../../support/reminders-harness.js';

const ALL_FORMS: ReminderContent['owed'] = [
  { formId: 'exhibitor', filed: 0 },
  { formId: 'key-project', filed: 0 },
  { formId: 'open-institutions', filed: 0 },
];

function zhGroup(owed: ReminderContent['owed'], now: Date, district = 'shinan'): Reply {
  return reminderReply(event, zh, 'zh-CN', { deadlineId: 'forms', district, owed }, now);
}

const lines = (reply: Reply): string[] => toPlainText(reply).split('\n');

describe('a group reminder', () => {
  it('names the district, the date, the days left and every owed form by its locale title (zh-CN)', () => {
    const reply = zhGroup(ALL_FORMS, sh('2021-04-27 09:00'));
    expect(lines(reply)).toEqual([
      zh('reminders.title', { district: '市南区', date: '2021年4月30日', when: zh('reminders.days_left', { days: 3 }) }),
      `• ${TITLES.exhibitor}${zh('reminders.filed_count', { count: 0 })}`,
      `• ${TITLES.keyProject}${zh('reminders.filed_count', { count: 0 })}`,
      `• ${TITLES.openInstitutions}${zh('reminders.filed_count', { count: 0 })}`,
      zh('reminders.how_to', { forms: 'exhibitor / key-project / open-institutions' }),
    ]);
    // The titles are the locale's 附件1/2/3 names.
    expect(TITLES.exhibitor).toMatch(/^附件1/);
    expect(TITLES.keyProject).toMatch(/^附件2/);
    expect(TITLES.openInstitutions).toMatch(/^附件3/);
    // The headline is bold (rendered <b> on Telegram, *…* on Slack).
    expect(reply.kind === 'text' ? reply.blocks[0] : undefined).toEqual({
      kind: 'paragraph',
      spans: [{ kind: 'bold', text: lines(reply)[0] }],
    });
  });

  it('names only what is owed, with the filings counted', () => {
    const reply = zhGroup([{ formId: 'key-project', filed: 2 }], sh('2021-04-29 09:00'), 'licang');
    expect(lines(reply)).toEqual([
      zh('reminders.title', { district: '李沧区', date: '2021年4月30日', when: zh('reminders.days_left', { days: 1 }) }),
      `• ${TITLES.keyProject}${zh('reminders.filed_count', { count: 2 })}`,
      zh('reminders.how_to', { forms: 'key-project' }),
    ]);
    expect(toPlainText(reply)).not.toContain(TITLES.exhibitor);
  });

  it('speaks English with English names and dates', () => {
    const reply = reminderReply(event, en, 'en', { deadlineId: 'forms', district: 'huangdao', owed: [{ formId: 'exhibitor', filed: 1 }] }, sh('2021-04-23 09:00'));
    expect(lines(reply)).toEqual([
      en('reminders.title', { district: 'Huangdao District (West Coast New Area)', date: '30 April 2021', when: en('reminders.days_left', { days: 7 }) }),
      `• ${en('flows.exhibitor.title')}${en('reminders.filed_count', { count: 1 })}`,
      en('reminders.how_to', { forms: 'exhibitor' }),
    ]);
  });

  it('counts the days on the Shanghai calendar: 23:59 the day before is 1 day, midnight is the day itself', () => {
    const headline = (now: Date): string => lines(zhGroup(ALL_FORMS, now))[0] ?? '';
    expect(headline(sh('2021-04-29 23:59'))).toContain(zh('reminders.days_left', { days: 1 }));
    expect(headline(new Date('2021-04-29T16:00:00Z'))).toContain(zh('reminders.today'));
    expect(headline(sh('2021-04-30 19:59'))).toContain(zh('reminders.today'));
    expect(headline(sh('2021-04-23 00:00'))).toContain(zh('reminders.days_left', { days: 7 }));
  });

  it('writes the summary deadline’s date and the summary report’s title', () => {
    const reply = reminderReply(event, zh, 'zh-CN', { deadlineId: 'summary', district: 'jimo', owed: [{ formId: 'summary-report', filed: 0 }] }, sh('2021-06-07 09:00'));
    expect(lines(reply)[0]).toBe(zh('reminders.title', { district: '即墨区', date: '2021年6月10日', when: zh('reminders.days_left', { days: 3 }) }));
    expect(lines(reply)[1]).toBe(`• ${TITLES.summary}${zh('reminders.filed_count', { count: 0 })}`);
  });
});

describe('the staff overdue note', () => {
  const content: ReminderContent = {
    deadlineId: 'forms',
    owed: [
      { formId: 'exhibitor', filed: 3 },
      { formId: 'key-project', filed: 5 },
    ],
    owedByDistrict: [
      { district: 'shinan', owed: [{ formId: 'exhibitor', filed: 0 }, { formId: 'key-project', filed: 0 }] },
      { district: 'licang', owed: [{ formId: 'key-project', filed: 0 }] },
    ],
  };

  it('lists per district, by name and in the given order, the titles still owed (zh-CN)', () => {
    expect(lines(reminderReply(event, zh, 'zh-CN', content, sh('2021-05-01 09:00')))).toEqual([
      zh('reminders.staff_title', { date: '2021年4月30日' }),
      `• 市南区：${TITLES.exhibitor}、${TITLES.keyProject}`,
      `• 李沧区：${TITLES.keyProject}`,
    ]);
  });

  it('in English names the districts and forms in English', () => {
    const text = toPlainText(reminderReply(event, en, 'en', content, sh('2021-05-01 09:00')));
    expect(text.split('\n')[0]).toBe(en('reminders.staff_title', { date: '30 April 2021' }));
    expect(text).toContain('Shinan District');
    expect(text).toContain('Licang District');
    expect(text).toContain(en('flows.exhibitor.title'));
    expect(text).toContain(en('flows.key-project.title'));
    expect(text).not.toContain('市南区');
    // The punctuation between a district and its forms is English too.
    expect(text).toContain(`Shinan District${en('reminders.colon')}${en('flows.exhibitor.title')}${en('reminders.separator')}${en('flows.key-project.title')}`);
    expect(text).not.toMatch(/[：、]/);
  });
});

describe('names the locales do not have', () => {
  /** Locales with the reminder texts only (no form titles), so titles fall back to the event's. */
  function remindersOnly(): ReturnType<typeof createI18n> {
    const subtree = (file: string): unknown => (JSON.parse(readFileSync(path.join(LOCALES_DIR, file), 'utf8')) as { reminders: unknown }).reminders;
    return createI18n({ 'zh-CN': { reminders: subtree('zh-CN.json') }, en: { reminders: subtree('en.json') } });
  }

  it('falls back to the event’s form title, then to the id; an unknown district is named by its id', () => {
    const t = remindersOnly().forLocale('zh-CN');
    const reply = reminderReply(
      event,
      t,
      'zh-CN',
      { deadlineId: 'forms', district: 'atlantis', owed: [{ formId: 'key-project', filed: 0 }, { formId: 'ghost-form', filed: 0 }] },
      sh('2021-04-27 09:00'),
    );
    const keyProjectTitle = event.forms.find((f) => f.id === 'key-project')?.title['zh-CN'] ?? '';
    expect(keyProjectTitle).not.toBe('');
    expect(lines(reply)).toEqual([
      zh('reminders.title', { district: 'atlantis', date: '2021年4月30日', when: zh('reminders.days_left', { days: 3 }) }),
      `• ${keyProjectTitle}${zh('reminders.filed_count', { count: 0 })}`,
      `• ghost-form${zh('reminders.filed_count', { count: 0 })}`,
      zh('reminders.how_to', { forms: 'key-project / ghost-form' }),
    ]);
  });
});
