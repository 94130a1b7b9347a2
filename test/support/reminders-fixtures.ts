/** Shared fixtures of the reminder tests: the shipped event and rules, and builders of filings and groups. */
import { fileURLToPath } from 'node:url';
import { loadEvent, type EventData } from '../../src/domain/event.js';
import type { Filing } from '../../src/domain/filing.js';
import { loadReminderRules, type ReminderRules } from '../../src/reminders/rules.js';
import type { Declaration, GroupBinding } from '../../src/domain/records.js';

/** The shipped data/reminders.json. */
export const RULES_FILE = fileURLToPath(new URL('../../data/reminders.json', import.meta.url));

/** The shipped event. */
export const event: EventData = loadEvent(fileURLToPath(new URL('../../data/event.json', import.meta.url)));

/** The shipped rules. */
export const shippedRules: ReminderRules = loadReminderRules(RULES_FILE, event);

/** A Shanghai wall-clock instant, e.g. `sh('2021-04-27 09:00')`. */
export function sh(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+08:00`);
}

/** The shipped rules with some settings changed. */
export function rulesWith(change: Partial<ReminderRules>): ReminderRules {
  return { ...structuredClone(shippedRules), ...change };
}

/** A group chat bound to a district. */
export function group(district: string, chatId: string, platform = 'telegram'): GroupBinding {
  return { platform, chatId, district, boundBy: `${platform}:1`, boundAt: '2021-04-01T00:00:00.000Z' };
}

let receipt = 0;
/** A submitted (or withdrawn) filing of a form by a district. */
export function filing(district: string, formId: string, status: Filing['status'] = 'submitted'): Filing {
  receipt += 1;
  return {
    receipt: String(100000 + receipt),
    eventId: event.id,
    formId,
    flowVersion: 1,
    district,
    ownerKey: 'telegram:42',
    ownerName: 'Li',
    values: {},
    status,
    reopened: false,
    version: 1,
    createdAt: '2021-04-20T02:00:00.000Z',
    updatedAt: '2021-04-20T02:00:00.000Z',
  };
}

/** A "nothing to file" declaration. */
export function declaration(district: string, formId: string): Declaration {
  return { eventId: event.id, district, formId, declaredBy: 'telegram:42', at: '2021-04-20T02:00:00.000Z' };
}

/** Filings that complete every form of every district except those listed as `district/formId`. */
export function allFiledExcept(...missing: string[]): Filing[] {
  return event.districts.flatMap((district) =>
    event.forms.filter((form) => !missing.includes(`${district.id}/${form.id}`)).map((form) => filing(district.id, form.id)),
  );
}
