/**
 * The words of a reminder: to a district group, what that district still owes by name, with the
 * deadline and the days left, and how to file or declare "nothing to file"; to staff, who still owes
 * what the day after a deadline. Built from the locales in the event's default language.
 */
import type { EventData } from '../domain/event.js';
import type { Translate } from '../kernel/i18n.js';
import type { Locale } from '../kernel/locale.js';
import { bold, list, paragraph, textReply, type Reply, type Span } from '../domain/reply.js';
import { formatShanghaiDate, shanghaiDaysUntil } from '../kernel/time.js';

/** What one reminder says it is about. */
export interface ReminderContent {
  deadlineId: string;
  district?: string;
  owed: readonly { formId: string; filed: number }[];
  owedByDistrict?: readonly { district: string; owed: readonly { formId: string; filed: number }[] }[];
}

function formTitle(event: EventData, t: Translate, formId: string, locale: Locale): string {
  const key = `flows.${formId}.title`;
  const title = t(key);
  return title === key ? (event.forms.find((f) => f.id === formId)?.title[locale] ?? formId) : title;
}

function districtName(event: EventData, id: string, locale: Locale): string {
  return event.districts.find((d) => d.id === id)?.name[locale] ?? id;
}

function owedItems(event: EventData, t: Translate, locale: Locale, owed: ReminderContent['owed']): Span[][] {
  return owed.map((item) => [formTitle(event, t, item.formId, locale), t('reminders.filed_count', { count: item.filed })]);
}

/** Renders a reminder as a reply, at `now` (for the days left). */
export function reminderReply(event: EventData, t: Translate, locale: Locale, content: ReminderContent, now: Date): Reply {
  const deadline = event.deadlines.find((d) => d.id === content.deadlineId);
  const date = deadline === undefined ? '' : formatShanghaiDate(deadline.date, locale);
  const days = deadline === undefined ? 0 : shanghaiDaysUntil(deadline.date, now);
  if (content.owedByDistrict !== undefined) {
    return textReply(
      paragraph(bold(t('reminders.staff_title', { date }))),
      list(
        content.owedByDistrict.map((entry) => [
          bold(districtName(event, entry.district, locale)),
          t('reminders.colon'),
          entry.owed.map((item) => formTitle(event, t, item.formId, locale)).join(t('reminders.separator')),
        ]),
      ),
    );
  }
  const when = days > 0 ? t('reminders.days_left', { days }) : t('reminders.today');
  return textReply(
    paragraph(bold(t('reminders.title', { district: districtName(event, content.district ?? '', locale), date, when }))),
    list(owedItems(event, t, locale, content.owed)),
    paragraph(t('reminders.how_to', { forms: content.owed.map((item) => item.formId).join(' / ') })),
  );
}
