import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { endOfShanghaiDay, toShanghaiTime } from '../../../src/kernel/time.js';
import { isQuietTime, planReminders } from '../../../src/reminders/planner.js';
import type { ReminderRules } from '../../../src/reminders/rules.js';
import type { GroupBinding } from '../../../src/domain/records.js';
import { allFiledExcept, event, group, rulesWith, sh, shippedRules } from '../../support/reminders-fixtures.js';

const districtIds = event.districts.map((district) => district.id);
const deadlineEnd = new Map(event.deadlines.map((deadline) => [deadline.id, endOfShanghaiDay(deadline.date).getTime()]));

/** 1,000 groups: round-robin over the 14 districts, every 50th bound to a district the event does not have. */
const thousandGroups: GroupBinding[] = Array.from({ length: 1000 }, (_, index) =>
  group(index % 50 === 49 ? 'atlantis' : (districtIds[index % districtIds.length] ?? 'shinan'), String(-1_000_000 - index), index % 3 === 0 ? 'slack' : 'telegram'),
);

describe('planReminders at scale', () => {
  it('plans 1,000 groups × 10 rules: one reminder per group of an owing district, plus one staff note', () => {
    expect(shippedRules.rules).toHaveLength(10);
    const filings = allFiledExcept('shinan/key-project', 'jimo/summary-report', 'laixi/summary-report', 'laixi/exhibitor');
    const owingSummary = new Set(['jimo', 'laixi']);
    const due = planReminders({ event, rules: shippedRules, groups: thousandGroups, filings, declarations: [], now: sh('2021-06-09 10:00') });
    const expectedGroups = thousandGroups.filter((binding) => owingSummary.has(binding.district)).length;
    expect(expectedGroups).toBeGreaterThan(100);
    expect(due).toHaveLength(expectedGroups + 1);
    expect(due.filter((r) => r.audience === 'staff').map((r) => r.ruleId)).toEqual(['forms-overdue']);
    expect(new Set(due.filter((r) => r.audience === 'groups').map((r) => r.ruleId))).toEqual(new Set(['summary-t1']));

    const beforeForms = planReminders({ event, rules: shippedRules, groups: thousandGroups, filings: [], declarations: [], now: sh('2021-04-27 10:00') });
    expect(beforeForms).toHaveLength(thousandGroups.filter((binding) => binding.district !== 'atlantis').length);
  });
});

const modes = fc.constantFrom<ReminderRules['nonWorkingDays']>('ignore', 'skip', 'previous-working-day');
const hhmm = fc.integer({ min: 0, max: 1439 }).map((minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
const instants = fc.date({ min: new Date('2021-04-01T00:00:00Z'), max: new Date('2021-07-01T00:00:00Z'), noInvalidDate: true });

describe('planReminders properties', () => {
  it('for any now: no group reminder after its deadline day, nothing in quiet hours, nothing before its time', () => {
    const groups = thousandGroups.slice(0, 40);
    fc.assert(
      fc.property(instants, modes, hhmm, fc.subarray(districtIds), (now, nonWorkingDays, sendAt, done) => {
        const rules = rulesWith({ nonWorkingDays, sendAt });
        const filings = allFiledExcept(...districtIds.filter((id) => !done.includes(id)).flatMap((id) => [`${id}/key-project`, `${id}/summary-report`]));
        const due = planReminders({ event, rules, groups, filings, declarations: [], now });
        if (isQuietTime(toShanghaiTime(now), rules.quietHours)) expect(due).toEqual([]);
        const seen = new Set<string>();
        for (const reminder of due) {
          expect(reminder.sendAt.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(isQuietTime(toShanghaiTime(reminder.sendAt), rules.quietHours)).toBe(false);
          expect(reminder.owed.length).toBeGreaterThan(0);
          if (reminder.audience !== 'groups') continue;
          expect(now.getTime()).toBeLessThanOrEqual(deadlineEnd.get(reminder.deadlineId) ?? Number.NEGATIVE_INFINITY);
          expect(done).not.toContain(reminder.district);
          const key = `${reminder.deadlineId} ${reminder.group.platform}:${reminder.group.chatId}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
      }),
      { numRuns: 300 },
    );
  });
});
