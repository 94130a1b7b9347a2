import { describe, expect, it } from 'vitest';
import type { EventData } from '../../../src/domain/event.js';
import { isQuietTime, planReminders, sendTimeOf } from '../../../src/reminders/planner.js';
import type { NonWorkingDays, ReminderRule, ReminderRules } from '../../../src/reminders/rules.js';
import { event, group, rulesWith, sh, shippedRules } from '../../support/reminders-fixtures.js';

function timeOf(id: string, rules: ReminderRules = shippedRules, on: EventData = event): Date | undefined {
  const rule = rules.rules.find((entry) => entry.id === id);
  if (rule === undefined) return expect.fail(`no rule ${id}`);
  return sendTimeOf(rule, rules, on);
}

const rule = (id: string, deadline: string, daysBefore: number, audience: ReminderRule['audience'] = 'groups'): ReminderRule => ({
  id,
  deadline,
  daysBefore,
  audience,
});

describe('the ladder of the forms deadline (30 April 2021)', () => {
  it('is T-7 23 April, T-3 27 April, T-1 29 April, T-0 30 April at 09:00 +08:00, and overdue on 1 May', () => {
    expect(timeOf('forms-t7')?.toISOString()).toBe('2021-04-23T01:00:00.000Z');
    expect(timeOf('forms-t7')).toEqual(sh('2021-04-23 09:00'));
    expect(timeOf('forms-t3')).toEqual(sh('2021-04-27 09:00'));
    expect(timeOf('forms-t1')).toEqual(sh('2021-04-29 09:00'));
    expect(timeOf('forms-t0')).toEqual(sh('2021-04-30 09:00'));
    expect(timeOf('forms-overdue')).toEqual(sh('2021-05-01 09:00'));
    expect(timeOf('summary-t0')).toEqual(sh('2021-06-10 09:00'));
  });

  it('is the same in every mode, since each rung falls on a working day', () => {
    for (const mode of ['ignore', 'skip', 'previous-working-day'] as const) {
      const rules = rulesWith({ nonWorkingDays: mode });
      expect(['forms-t7', 'forms-t3', 'forms-t1', 'forms-t0'].map((id) => timeOf(id, rules))).toEqual(
        ['2021-04-23', '2021-04-27', '2021-04-29', '2021-04-30'].map((day) => sh(`${day} 09:00`)),
      );
    }
  });

  it('sends nothing to groups after 30 April 23:59:59.999 Shanghai', () => {
    const rules = rulesWith({ quietHours: { start: '00:00', end: '00:00' } });
    const plan = (now: Date) =>
      planReminders({ event, rules, groups: [group('shinan', '-100123')], filings: [], declarations: [], now }).filter(
        (r) => r.audience === 'groups' && r.deadlineId === 'forms',
      );
    expect(plan(sh('2021-04-30 23:59:59.999')).map((r) => r.ruleId)).toEqual(['forms-t0']);
    expect(plan(sh('2021-05-01 00:00:00.000'))).toEqual([]);
    expect(plan(sh('2021-05-01 09:00'))).toEqual([]);
  });
});

describe('quiet hours', () => {
  it('run from start (inclusive) to end (exclusive), wrapping midnight; equal bounds mean none', () => {
    const quiet = { start: '20:00', end: '09:00' };
    expect(['20:00', '23:59', '00:00', '08:59'].map((t) => isQuietTime(t, quiet))).toEqual([true, true, true, true]);
    expect(['09:00', '12:00', '19:59'].map((t) => isQuietTime(t, quiet))).toEqual([false, false, false]);
    expect(isQuietTime('13:00', { start: '12:00', end: '14:00' })).toBe(true);
    expect(isQuietTime('14:00', { start: '12:00', end: '14:00' })).toBe(false);
    expect(isQuietTime('03:00', { start: '09:00', end: '09:00' })).toBe(false);
  });

  it('move a sendAt inside them to their end on the SAME day, so a rung never changes day', () => {
    const at = (sendAt: string, quietHours = shippedRules.quietHours): Date | undefined => {
      const rules = rulesWith({ quietHours, rules: [{ ...rule('forms-t0', 'forms', 0), sendAt }] });
      return timeOf('forms-t0', rules);
    };
    expect(at('21:00')).toEqual(sh('2021-04-30 09:00'));
    expect(at('20:00')).toEqual(sh('2021-04-30 09:00'));
    expect(at('07:30')).toEqual(sh('2021-04-30 09:00'));
    expect(at('19:59')).toEqual(sh('2021-04-30 19:59'));
    expect(at('09:00')).toEqual(sh('2021-04-30 09:00'));
    expect(at('13:00', { start: '12:00', end: '14:00' })).toEqual(sh('2021-04-30 14:00'));
  });

  it('hold every reminder while they last: due at 19:59, nothing at 20:00, back at 09:00', () => {
    const plan = (now: Date) =>
      planReminders({ event, rules: shippedRules, groups: [group('shinan', '-1')], filings: [], declarations: [], now }).map(
        (r) => r.ruleId,
      );
    expect(plan(sh('2021-04-27 08:59:59.999'))).toEqual([]);
    expect(plan(sh('2021-04-27 09:00'))).toEqual(['forms-t3']);
    expect(plan(sh('2021-04-27 19:59:59.999'))).toEqual(['forms-t3']);
    expect(plan(sh('2021-04-27 20:00'))).toEqual([]);
    expect(plan(sh('2021-04-28 03:00'))).toEqual([]);
    expect(plan(sh('2021-04-28 09:00'))).toEqual(['forms-t3']);
    expect(plan(sh('2021-05-01 08:00'))).toEqual([]);
    expect(plan(sh('2021-05-01 09:00'))).toEqual(['forms-overdue']);
  });
});

describe('non-working days (real 2021 dates)', () => {
  // forms is due Friday 30 April 2021, summary Thursday 10 June 2021.
  const probes: ReminderRule[] = [
    rule('sun-25-apr', 'forms', 5), // Sunday, but a make-up working day
    rule('sat-24-apr', 'forms', 6),
    rule('sat-1-may', 'forms', -1, 'staff'), // Labour Day holiday, the day after the deadline
    rule('mon-14-jun', 'summary', -4, 'staff'), // Dragon Boat Festival holiday
    rule('thu-3-jun', 'summary', 7),
  ];
  const timesIn = (mode: NonWorkingDays) => {
    const rules = rulesWith({ nonWorkingDays: mode, rules: probes });
    return Object.fromEntries(probes.map((probe) => [probe.id, timeOf(probe.id, rules)]));
  };

  it('ignore: every rule keeps its day', () => {
    expect(timesIn('ignore')).toEqual({
      'sun-25-apr': sh('2021-04-25 09:00'),
      'sat-24-apr': sh('2021-04-24 09:00'),
      'sat-1-may': sh('2021-05-01 09:00'),
      'mon-14-jun': sh('2021-06-14 09:00'),
      'thu-3-jun': sh('2021-06-03 09:00'),
    });
  });

  it('skip: a rule on a non-working day is not sent; a make-up working day is a working day', () => {
    expect(timesIn('skip')).toEqual({
      'sun-25-apr': sh('2021-04-25 09:00'),
      'sat-24-apr': undefined,
      'sat-1-may': undefined,
      'mon-14-jun': undefined,
      'thu-3-jun': sh('2021-06-03 09:00'),
    });
  });

  it('previous-working-day: moves back, but never pulls an after-deadline note onto the deadline day', () => {
    expect(timesIn('previous-working-day')).toEqual({
      'sun-25-apr': sh('2021-04-25 09:00'),
      'sat-24-apr': sh('2021-04-23 09:00'),
      'sat-1-may': sh('2021-05-01 09:00'), // the previous working day is 30 April, the deadline day itself
      'mon-14-jun': sh('2021-06-11 09:00'), // Friday 11 June is still after the 10 June deadline
      'thu-3-jun': sh('2021-06-03 09:00'),
    });
  });

  it('moves a whole ladder over the Labour Day holiday, and catch-up keeps the later rung of a tie', () => {
    const moved = structuredClone(event);
    const forms = moved.deadlines.find((deadline) => deadline.id === 'forms');
    if (forms === undefined) return expect.fail('no forms deadline');
    forms.date = '2021-05-06'; // Thursday after the holiday: T-3 (3 May) and T-1 (5 May) fall in it
    const rules = rulesWith({ nonWorkingDays: 'previous-working-day' });
    expect(timeOf('forms-t7', rules, moved)).toEqual(sh('2021-04-29 09:00'));
    expect(timeOf('forms-t3', rules, moved)).toEqual(sh('2021-04-30 09:00'));
    expect(timeOf('forms-t1', rules, moved)).toEqual(sh('2021-04-30 09:00'));
    expect(timeOf('forms-t0', rules, moved)).toEqual(sh('2021-05-06 09:00'));
    const plan = planReminders({ event: moved, rules, groups: [group('jimo', '-7')], filings: [], declarations: [], now: sh('2021-05-02 10:00') });
    expect(plan.map((r) => r.ruleId)).toEqual(['forms-t1']);
    expect(timeOf('forms-t0', rulesWith({ nonWorkingDays: 'skip' }), moved)).toEqual(sh('2021-05-06 09:00'));
    expect(timeOf('forms-t1', rulesWith({ nonWorkingDays: 'skip' }), moved)).toBeUndefined();
  });

  it('a T-0 on a holiday (14 June) moves to Friday 11 June, or is skipped', () => {
    const holiday = structuredClone(event);
    const summary = holiday.deadlines.find((deadline) => deadline.id === 'summary');
    if (summary === undefined) return expect.fail('no summary deadline');
    summary.date = '2021-06-14';
    expect(timeOf('summary-t0', rulesWith({ nonWorkingDays: 'previous-working-day' }), holiday)).toEqual(sh('2021-06-11 09:00'));
    expect(timeOf('summary-t0', rulesWith({ nonWorkingDays: 'skip' }), holiday)).toBeUndefined();
    expect(timeOf('summary-t0', rulesWith({ nonWorkingDays: 'ignore' }), holiday)).toEqual(sh('2021-06-14 09:00'));
  });
});
