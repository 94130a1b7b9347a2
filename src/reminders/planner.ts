/**
 * The reminder planner: a pure function from (event, rules, bound groups, filings, declarations, now)
 * to the reminders due at `now`. It does no I/O and never reads the clock, so the dispatcher can call
 * it on every tick and the CLI can preview any moment; sending each reminder once is the dispatcher's
 * job (it claims each (rule, group) in the Store), so a due reminder is returned on every tick until
 * a later rung replaces it or its deadline passes.
 */
import type { Deadline, EventData } from '../domain/event.js';
import { findDeadline } from '../domain/event.js';
import type { Filing } from '../domain/filing.js';
import { computeStatus } from '../domain/status.js';
import { addShanghaiDays, atShanghaiTime, endOfShanghaiDay, toShanghaiDate, toShanghaiTime } from '../kernel/time.js';
import type { Declaration, GroupBinding } from '../domain/records.js';
import { isWorkingDay, previousWorkingDay } from './calendar.js';
import type { ReminderAudience, ReminderRule, ReminderRules } from './rules.js';

/** A form a district (or, for staff, some district) still owes, with how many filings it has. */
export interface OwedForm {
  formId: string;
  /** Filings counted: 0 for a district that owes the form; for staff, the total over all districts. */
  filed: number;
}

/** What one district still owes for a deadline, for the staff summary. */
export interface DistrictOwed {
  district: string;
  owed: OwedForm[];
}

/** A reminder to one bound group, naming exactly what its district still owes. */
export interface GroupReminder {
  audience: 'groups';
  ruleId: string;
  deadlineId: string;
  sendAt: Date;
  group: GroupBinding;
  district: string;
  owed: OwedForm[];
}

/** The one staff note of a rule: per district, what is still owed. */
export interface StaffReminder {
  audience: 'staff';
  ruleId: string;
  deadlineId: string;
  sendAt: Date;
  /** The deadline's forms owed by at least one district, with the filings counted over all districts. */
  owed: OwedForm[];
  owedByDistrict: DistrictOwed[];
}

/** A reminder due now; `audience` tells a group reminder from the staff note. */
export type DueReminder = GroupReminder | StaffReminder;

/** Everything the planner looks at; `now` is the only time it knows. */
export interface PlanInput {
  event: EventData;
  rules: ReminderRules;
  groups: readonly GroupBinding[];
  filings: readonly Filing[];
  declarations: readonly Declaration[];
  now: Date;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/**
 * True when the wall-clock time `HH:mm` is inside the quiet hours: from `start` (inclusive) to `end`
 * (exclusive), wrapping midnight when `start` is after `end` (20:00–09:00); equal bounds mean none.
 */
export function isQuietTime(time: string, quietHours: ReminderRules['quietHours']): boolean {
  const at = minutesOf(time);
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return false;
  return start < end ? at >= start && at < end : at >= start || at < end;
}

/**
 * When a rule is sent: the deadline date minus `daysBefore`, at `sendAt` Asia/Shanghai.
 * - non-working days (Chinese calendar, make-up working days count as working): `ignore` keeps the
 *   day, `skip` gives undefined (no send), `previous-working-day` moves to the last working day before
 *   it — except that a rule after the deadline (daysBefore < 0) is never pulled back onto or before the
 *   deadline day: it then keeps its own day, since an "overdue" note before the deadline is wrong;
 * - a `sendAt` inside the quiet hours moves to the quiet hours' end ON THE SAME calendar day (21:00 with
 *   quiet 20:00–09:00 becomes 09:00 that morning), so a rung never slips to another day and the T-0
 *   reminder still goes out before its deadline.
 * Undefined also when the rule's deadline is not in the event.
 */
export function sendTimeOf(rule: ReminderRule, rules: ReminderRules, event: EventData): Date | undefined {
  const deadline = findDeadline(event, rule.deadline);
  if (deadline === undefined) return undefined;
  let day = addShanghaiDays(deadline.date, -rule.daysBefore);
  if (rules.nonWorkingDays !== 'ignore' && !isWorkingDay(day)) {
    if (rules.nonWorkingDays === 'skip') return undefined;
    const moved = previousWorkingDay(day);
    if (rule.daysBefore >= 0 || moved > deadline.date) day = moved;
  }
  const time = rule.sendAt ?? rules.sendAt;
  return atShanghaiTime(day, isQuietTime(time, rules.quietHours) ? rules.quietHours.end : time);
}

interface TimedRule {
  rule: ReminderRule;
  sendAt: Date;
}

/** The latest rule of this deadline and audience whose send time has come; later in the file wins a tie. */
function latestDue(input: PlanInput, deadline: Deadline, audience: ReminderAudience): TimedRule | undefined {
  let latest: TimedRule | undefined;
  for (const rule of input.rules.rules) {
    if (rule.deadline !== deadline.id || rule.audience !== audience) continue;
    const sendAt = sendTimeOf(rule, input.rules, input.event);
    if (sendAt === undefined || sendAt.getTime() > input.now.getTime()) continue;
    if (latest === undefined || sendAt.getTime() >= latest.sendAt.getTime()) latest = { rule, sendAt };
  }
  return latest;
}

const copyOwed = (owed: readonly OwedForm[]): OwedForm[] => owed.map((form) => ({ ...form }));

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareReminders(a: DueReminder, b: DueReminder): number {
  return (
    a.sendAt.getTime() - b.sendAt.getTime() ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.audience === 'groups' ? a.group.platform : '', b.audience === 'groups' ? b.group.platform : '') ||
    compareText(a.audience === 'groups' ? a.group.chatId : '', b.audience === 'groups' ? b.group.chatId : '')
  );
}

/**
 * The reminders due at `now`, ordered by send time, rule id, platform and chat id. Nothing is due in
 * the quiet hours. Per deadline and audience only the latest rung whose time has come is returned (after
 * downtime a stale T-7 behind T-3 is dropped); group reminders stop at the end of the deadline day. A
 * group gets one only while its district (an id of the event; unknown ones are ignored) owes at least
 * one form of the deadline, neither filed nor declared "nothing to file"; staff get one note listing
 * every district that still owes something, and none when nothing is owed.
 */
export function planReminders(input: PlanInput): DueReminder[] {
  const { event, rules, now } = input;
  if (isQuietTime(toShanghaiTime(now), rules.quietHours)) return [];
  const status = computeStatus(event, input.filings, input.declarations);
  const due: DueReminder[] = [];
  for (const deadline of event.deadlines) {
    const formIds = new Set(event.forms.filter((form) => form.deadline === deadline.id).map((form) => form.id));
    const owedByDistrict: DistrictOwed[] = [];
    for (const entry of status) {
      const owed = entry.forms
        .filter((form) => formIds.has(form.formId) && !form.done)
        .map((form) => ({ formId: form.formId, filed: form.filed }));
      if (owed.length > 0) owedByDistrict.push({ district: entry.district.id, owed });
    }
    if (owedByDistrict.length === 0) continue;

    const groupRule = latestDue(input, deadline, 'groups');
    if (groupRule !== undefined && now.getTime() <= endOfShanghaiDay(deadline.date).getTime()) {
      const owedOf = new Map(owedByDistrict.map((entry) => [entry.district, entry.owed]));
      for (const group of input.groups) {
        const owed = owedOf.get(group.district);
        if (owed === undefined) continue;
        due.push({
          audience: 'groups',
          ruleId: groupRule.rule.id,
          deadlineId: deadline.id,
          sendAt: groupRule.sendAt,
          group,
          district: group.district,
          owed: copyOwed(owed),
        });
      }
    }

    const staffRule = latestDue(input, deadline, 'staff');
    if (staffRule !== undefined) {
      const owedForms = new Set(owedByDistrict.flatMap((entry) => entry.owed.map((form) => form.formId)));
      const owed = [...formIds]
        .filter((formId) => owedForms.has(formId))
        .map((formId) => ({
          formId,
          filed: status.reduce((sum, entry) => sum + (entry.forms.find((form) => form.formId === formId)?.filed ?? 0), 0),
        }));
      due.push({
        audience: 'staff',
        ruleId: staffRule.rule.id,
        deadlineId: deadline.id,
        sendAt: staffRule.sendAt,
        owed,
        owedByDistrict,
      });
    }
  }
  return due.sort(compareReminders);
}

const formatOwed = (owed: readonly OwedForm[]): string => owed.map((form) => `${form.formId}(${form.filed})`).join(' ');

/**
 * One line of the CLI plan, locale-free (ids only; the bot renders the localized text elsewhere):
 * `2021-04-27 09:00 forms-t3 telegram:-100123 shinan key-project(0) exhibitor(0)`, or for staff
 * `2021-05-01 09:00 forms-overdue staff shinan:exhibitor(0),key-project(0) licang:key-project(0)`.
 */
export function formatReminderLine(reminder: DueReminder): string {
  const when = `${toShanghaiDate(reminder.sendAt)} ${toShanghaiTime(reminder.sendAt)} ${reminder.ruleId}`;
  if (reminder.audience === 'groups') {
    const { platform, chatId } = reminder.group;
    return `${when} ${platform}:${chatId} ${reminder.district} ${formatOwed(reminder.owed)}`;
  }
  const districts = reminder.owedByDistrict.map(
    (entry) => `${entry.district}:${entry.owed.map((form) => `${form.formId}(${form.filed})`).join(',')}`,
  );
  return `${when} staff ${districts.join(' ')}`;
}
