/**
 * The reminder rules as data: the schema of `data/reminders.json` and its loader. Which reminders go
 * out, when and to whom is configuration, not code, so a mistake in the file must stop the start with
 * a message naming the file and the exact path — never surface as a silent missing reminder.
 *
 * The shipped file uses `"nonWorkingDays": "ignore"`. With the 2021 dates every T-7/T-3/T-1/T-0 rung
 * already falls on a working day, so the three modes differ only for the forms "overdue" note on
 * 1 May (a public holiday): "skip" would drop it and "previous-working-day" would pull it back onto
 * the deadline day (the planner keeps after-deadline rules after the deadline, see `sendTimeOf`).
 * Keeping dates as written makes the ladder exactly what the notice and the issue say.
 */
import { readDataFile } from '../kernel/data-file.js';
import { z } from 'zod';
import { ConfigError } from '../kernel/errors.js';
import type { EventData } from '../domain/event.js';

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const idSchema = z.string().regex(KEBAB_CASE, 'must be kebab-case, e.g. "forms-t7"');
const timeSchema = z.string().regex(HH_MM, 'must be a time of day written HH:mm, e.g. "09:00"');

/**
 * What to do when a rule's day is not a working day in China (weekends and official holidays, minus
 * the make-up working days): move it to the previous working day, skip it, or ignore the calendar.
 */
export const nonWorkingDaysSchema = z.enum(['previous-working-day', 'skip', 'ignore']);

/** Who a rule speaks to: every bound group whose district still owes something, or the city staff. */
export const audienceSchema = z.enum(['groups', 'staff']);

const ruleSchema = z.strictObject({
  id: idSchema,
  /** The id of a deadline of the event (`forms`, `summary`). */
  deadline: idSchema,
  /** Calendar days before the deadline day: 7 is T-7, 0 the day itself, -1 the day after. */
  daysBefore: z.number().int().min(-366).max(366),
  audience: audienceSchema,
  /** Overrides the file's `sendAt` for this rule. */
  sendAt: timeSchema.optional(),
});

const rulesShapeSchema = z.strictObject({
  /** Wall-clock time (Asia/Shanghai) at which a rule is sent on its day. */
  sendAt: timeSchema,
  /** Nothing is sent from `start` (inclusive) to `end` (exclusive); may wrap midnight; equal means none. */
  quietHours: z.strictObject({ start: timeSchema, end: timeSchema }),
  nonWorkingDays: nonWorkingDaysSchema,
  rules: z.array(ruleSchema),
});

type RulesShape = z.infer<typeof rulesShapeSchema>;

function checkRules(rules: RulesShape, ctx: z.RefinementCtx<RulesShape>): void {
  const seen = new Set<string>();
  rules.rules.forEach((rule, index) => {
    if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate id "${rule.id}"` });
    seen.add(rule.id);
    if (rule.audience === 'groups' && rule.daysBefore < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', index, 'daysBefore'],
        message: 'a group reminder after its deadline would never be sent (groups get nothing after the deadline)',
      });
    }
  });
}

/** zod schema of `data/reminders.json` with the checks that need no event (unique ids, group rules not after the deadline). */
export const reminderRulesSchema = rulesShapeSchema.superRefine(checkRules);

/** The validated reminder configuration. */
export type ReminderRules = z.infer<typeof reminderRulesSchema>;
/** One rule: a deadline, how many days before it, and for whom. */
export type ReminderRule = ReminderRules['rules'][number];
/** How rules treat non-working days. */
export type NonWorkingDays = z.infer<typeof nonWorkingDaysSchema>;
/** The audience of a rule. */
export type ReminderAudience = z.infer<typeof audienceSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((part) => String(part)).join('.');
}

/**
 * Validates already-parsed rules against the schema and the event (every rule's deadline must be a
 * deadline of the event); `source` names where the data came from in every error line.
 */
export function parseReminderRules(input: unknown, source: string, event: EventData): ReminderRules {
  const result = reminderRulesSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${source}: ${formatPath(issue.path)}: ${issue.message}`);
    throw new ConfigError(lines.join('\n'), { cause: result.error });
  }
  const deadlineIds = new Set(event.deadlines.map((deadline) => deadline.id));
  const problems = result.data.rules.flatMap((rule, index) =>
    deadlineIds.has(rule.deadline)
      ? []
      : [`${source}: rules.${index}.deadline: the event "${event.id}" has no deadline "${rule.deadline}"`],
  );
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return result.data;
}

/** Reads, parses and validates the rules file; any problem is a {@link ConfigError} naming the file. */
export function loadReminderRules(filePath: string, event: EventData): ReminderRules {
  return parseReminderRules(readDataFile(filePath), filePath, event);
}
