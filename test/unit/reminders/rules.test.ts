import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/kernel/errors.js';
import { loadReminderRules, parseReminderRules } from '../../../src/reminders/rules.js';
import { event, RULES_FILE, shippedRules } from '../../support/reminders-fixtures.js';

let dir = '';
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sciweek-reminders-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeTemp(content: string): string {
  counter += 1;
  const file = join(dir, `reminders-${counter}.json`);
  writeFileSync(file, content, 'utf8');
  return file;
}

function loadError(content: string): { message: string; file: string } {
  const file = writeTemp(content);
  try {
    loadReminderRules(file, event);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return { message: (err as ConfigError).message, file };
  }
  return expect.fail('expected a ConfigError');
}

/** The shipped file as plain JSON, changed by `mutate`. */
function broken(mutate: (copy: { [key: string]: unknown; rules: Record<string, unknown>[] }) => void): string {
  const copy = JSON.parse(readFileSync(RULES_FILE, 'utf8')) as { [key: string]: unknown; rules: Record<string, unknown>[] };
  mutate(copy);
  return JSON.stringify(copy);
}

describe('the shipped data/reminders.json', () => {
  it('has T-7, T-3, T-1 and T-0 for groups and an overdue note for staff, per deadline, at 09:00', () => {
    expect(shippedRules.sendAt).toBe('09:00');
    expect(shippedRules.quietHours).toEqual({ start: '20:00', end: '09:00' });
    expect(shippedRules.nonWorkingDays).toBe('ignore');
    for (const deadline of ['forms', 'summary']) {
      const rules = shippedRules.rules.filter((rule) => rule.deadline === deadline);
      expect(rules.map((rule) => [rule.daysBefore, rule.audience])).toEqual([
        [7, 'groups'],
        [3, 'groups'],
        [1, 'groups'],
        [0, 'groups'],
        [-1, 'staff'],
      ]);
    }
  });
});

describe('loadReminderRules', () => {
  it('names the file and the path of a bad value', () => {
    const { message, file } = loadError(broken((copy) => (copy['sendAt'] = '9am')));
    expect(message).toContain(`${file}: sendAt: must be a time of day written HH:mm`);
  });

  it('refuses a rule whose deadline the event does not have', () => {
    const { message, file } = loadError(broken((copy) => (copy.rules[2]!['deadline'] = 'week')));
    expect(message).toBe(`${file}: rules.2.deadline: the event "qingdao-2021" has no deadline "week"`);
  });

  it('refuses duplicate ids, a group rule after its deadline, unknown keys and an unknown mode', () => {
    const { message, file } = loadError(
      broken((copy) => {
        copy.rules[1]!['id'] = 'forms-t7';
        copy.rules[3]!['daysBefore'] = -2;
        copy.rules[4]!['channel'] = 'email';
        copy['nonWorkingDays'] = 'next-working-day';
      }),
    );
    expect(message).toContain(`${file}: nonWorkingDays:`);
    expect(message).toContain(`${file}: rules.4:`);
    expect(message).toContain('channel');
    // the cross-checks run once the shape is valid
    const second = loadError(
      broken((copy) => {
        copy.rules[1]!['id'] = 'forms-t7';
        copy.rules[3]!['daysBefore'] = -2;
      }),
    );
    expect(second.message).toContain(`${second.file}: rules.1.id: duplicate id "forms-t7"`);
    expect(second.message).toContain(`${second.file}: rules.3.daysBefore: a group reminder after its deadline`);
  });

  it('refuses a missing file and broken JSON with the file name', () => {
    expect(() => loadReminderRules(join(dir, 'absent.json'), event)).toThrow(/absent\.json: cannot read the file/);
    const { message, file } = loadError('{ "sendAt": ');
    expect(message).toContain(`${file}: not valid JSON`);
  });

  it('accepts a per-rule sendAt and a BOM', () => {
    const text = broken((copy) => (copy.rules[0]!['sendAt'] = '14:30'));
    const rules = loadReminderRules(writeTemp(`\uFEFF${text}`), event);
    expect(rules.rules[0]?.sendAt).toBe('14:30');
    expect(() => parseReminderRules({ ...shippedRules, rules: [] }, 'inline', event)).not.toThrow();
  });
});
