import { describe, expect, it } from 'vitest';
import type { Filing } from '../../../src/domain/filing.js';
import { formatReminderLine, planReminders, type DueReminder, type GroupReminder, type StaffReminder } from '../../../src/reminders/planner.js';
import type { Declaration, GroupBinding } from '../../../src/domain/records.js';
import { allFiledExcept, declaration, event, filing, group, sh, shippedRules } from '../../support/reminders-fixtures.js';

interface Situation {
  groups?: GroupBinding[];
  filings?: Filing[];
  declarations?: Declaration[];
}

function plan(now: string, situation: Situation = {}): DueReminder[] {
  return planReminders({
    event,
    rules: shippedRules,
    groups: situation.groups ?? [group('shinan', '-100123')],
    filings: situation.filings ?? [],
    declarations: situation.declarations ?? [],
    now: sh(now),
  });
}

const groupsOf = (due: DueReminder[]): GroupReminder[] => due.filter((r): r is GroupReminder => r.audience === 'groups');
const staffOf = (due: DueReminder[]): StaffReminder[] => due.filter((r): r is StaffReminder => r.audience === 'staff');

describe('planReminders: what a district still owes', () => {
  it('names exactly the forms of the deadline the district owes, with their filed counts', () => {
    const due = plan('2021-04-27 10:00', { filings: [filing('shinan', 'exhibitor'), filing('shibei', 'key-project')] });
    expect(due).toEqual([
      {
        audience: 'groups',
        ruleId: 'forms-t3',
        deadlineId: 'forms',
        sendAt: sh('2021-04-27 09:00'),
        group: group('shinan', '-100123'),
        district: 'shinan',
        owed: [
          { formId: 'key-project', filed: 0 },
          { formId: 'open-institutions', filed: 0 },
        ],
      },
    ]);
  });

  it('stops reminding a district from the next plan once it files its last missing form', () => {
    const filings = [filing('shinan', 'exhibitor'), filing('shinan', 'key-project')];
    expect(groupsOf(plan('2021-04-29 10:00', { filings })).map((r) => r.owed)).toEqual([[{ formId: 'open-institutions', filed: 0 }]]);
    filings.push(filing('shinan', 'open-institutions'));
    expect(plan('2021-04-29 10:01', { filings })).toEqual([]);
  });

  it('counts a "nothing to file" declaration as done, and a withdrawn filing as not filed', () => {
    const filings = [filing('shinan', 'key-project'), filing('shinan', 'exhibitor', 'withdrawn')];
    const declarations = [declaration('shinan', 'open-institutions')];
    expect(groupsOf(plan('2021-04-30 09:00', { filings, declarations })).map((r) => r.owed)).toEqual([[{ formId: 'exhibitor', filed: 0 }]]);
    declarations.push(declaration('shinan', 'exhibitor'));
    expect(plan('2021-04-30 09:00', { filings, declarations })).toEqual([]);
  });

  it('reminds every group of an owing district, and ignores groups bound to unknown districts', () => {
    const groups = [group('shinan', '-1'), group('shinan', 'C1', 'slack'), group('atlantis', '-2'), group('licang', '-3')];
    const due = plan('2021-04-23 09:00', { groups, filings: allFiledExcept('shinan/key-project') });
    expect(groupsOf(due).map((r) => `${r.group.platform}:${r.group.chatId} ${r.district}`)).toEqual(['slack:C1 shinan', 'telegram:-1 shinan']);
  });

  it('reminds of the summary only once the forms are all in, and of each deadline on its own ladder', () => {
    const filings = allFiledExcept('shinan/summary-report');
    expect(plan('2021-04-27 10:00', { filings })).toEqual([]);
    expect(plan('2021-06-07 10:00', { filings }).map((r) => [r.ruleId, r.owed])).toEqual([['summary-t3', [{ formId: 'summary-report', filed: 0 }]]]);
  });
});

describe('planReminders: catch-up after downtime', () => {
  it('returns only the latest due rung per deadline and group, dropping stale ones', () => {
    expect(plan('2021-04-24 09:00').map((r) => r.ruleId)).toEqual(['forms-t7']);
    expect(plan('2021-04-28 10:00').map((r) => r.ruleId)).toEqual(['forms-t3']);
    expect(plan('2021-04-29 09:00').map((r) => r.ruleId)).toEqual(['forms-t1']);
    expect(plan('2021-04-30 19:00').map((r) => r.ruleId)).toEqual(['forms-t0']);
  });

  it('never sends a group reminder that went stale behind its deadline', () => {
    expect(groupsOf(plan('2021-05-01 09:00'))).toEqual([]);
    expect(groupsOf(plan('2021-06-11 09:00'))).toEqual([]);
    expect(plan('2021-04-01 10:00')).toEqual([]);
  });
});

describe('planReminders: the staff overdue note', () => {
  it('is one note the day after the deadline, listing per district what is still owed', () => {
    const filings = allFiledExcept('shinan/key-project', 'shinan/exhibitor', 'jimo/key-project', 'laixi/summary-report');
    const due = plan('2021-05-01 09:00', { filings, groups: [] });
    expect(due).toEqual([
      {
        audience: 'staff',
        ruleId: 'forms-overdue',
        deadlineId: 'forms',
        sendAt: sh('2021-05-01 09:00'),
        owed: [
          { formId: 'exhibitor', filed: 13 },
          { formId: 'key-project', filed: 12 },
        ],
        owedByDistrict: [
          { district: 'shinan', owed: [{ formId: 'exhibitor', filed: 0 }, { formId: 'key-project', filed: 0 }] },
          { district: 'jimo', owed: [{ formId: 'key-project', filed: 0 }] },
        ],
      },
    ]);
    expect(plan('2021-04-30 19:59', { filings, groups: [] })).toEqual([]);
  });

  it('is not sent when nothing is owed, nor in the quiet hours', () => {
    expect(plan('2021-05-01 09:00', { filings: allFiledExcept('laixi/summary-report') })).toEqual([]);
    expect(plan('2021-05-01 21:00')).toEqual([]);
  });

  it('stays due after downtime (the dispatcher sends it once), next to the next deadline', () => {
    const due = plan('2021-06-11 09:00', { filings: allFiledExcept('shinan/key-project', 'jimo/summary-report') });
    expect(staffOf(due).map((r) => [r.ruleId, r.owedByDistrict.map((entry) => entry.district)])).toEqual([
      ['forms-overdue', ['shinan']],
      ['summary-overdue', ['jimo']],
    ]);
  });
});

describe('planReminders: order and the plan line', () => {
  it('orders by send time, rule id, platform and chat id', () => {
    const groups = [group('shinan', '-3'), group('licang', 'C2', 'slack'), group('jimo', '-10'), group('shinan', 'C1', 'slack')];
    const filings = allFiledExcept('shinan/key-project', 'licang/key-project', 'jimo/key-project', 'jimo/summary-report');
    const due = plan('2021-06-09 10:00', { groups, filings });
    expect(due.map((r) => `${r.ruleId} ${r.audience === 'groups' ? `${r.group.platform}:${r.group.chatId}` : 'staff'}`)).toEqual([
      'forms-overdue staff',
      'summary-t1 telegram:-10',
    ]);
    const formsDue = plan('2021-04-29 10:00', { groups, filings });
    expect(formsDue.map((r) => (r.audience === 'groups' ? `${r.group.platform}:${r.group.chatId}` : 'staff'))).toEqual([
      'slack:C1',
      'slack:C2',
      'telegram:-10',
      'telegram:-3',
    ]);
  });

  it('formats one locale-free line per reminder', () => {
    const [forGroup] = plan('2021-04-27 10:00', { filings: [filing('shinan', 'exhibitor')] });
    if (forGroup === undefined) return expect.fail('nothing planned');
    expect(formatReminderLine(forGroup)).toBe('2021-04-27 09:00 forms-t3 telegram:-100123 shinan key-project(0) open-institutions(0)');
    const [forStaff] = plan('2021-05-01 09:00', { filings: allFiledExcept('shinan/key-project', 'shinan/exhibitor', 'jimo/key-project') });
    if (forStaff === undefined) return expect.fail('nothing planned');
    expect(formatReminderLine(forStaff)).toBe('2021-05-01 09:00 forms-overdue staff shinan:exhibitor(0),key-project(0) jimo:key-project(0)');
  });

  it('is pure: the same input gives the same plan, and the inputs are left untouched', () => {
    const groups = [group('shinan', '-1'), group('jimo', '-2')];
    const filings = [filing('shinan', 'exhibitor')];
    const frozen = JSON.stringify({ groups, filings });
    const first = plan('2021-04-29 10:00', { groups, filings });
    const firstOwed = groupsOf(first)[0]?.owed;
    firstOwed?.push({ formId: 'tampered', filed: 9 });
    expect(JSON.stringify({ groups, filings })).toBe(frozen);
    expect(groupsOf(plan('2021-04-29 10:00', { groups, filings }))[0]?.owed).not.toContainEqual({ formId: 'tampered', filed: 9 });
  });
});
