/**
 * The event as data: the schema of `data/event.json`, its loader and small lookups. Every date,
 * form, district and contact the bot talks about comes from that file, so a mistake in it must stop
 * the start with a message that names the file and the exact path, never surface mid-conversation.
 */
import { readDataFile } from '../kernel/data-file.js';
import { z } from 'zod';
import { ConfigError } from '../kernel/errors.js';
import { localizedTextSchema } from '../kernel/locale.js';
import { isIsoDate } from '../kernel/time.js';

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const text = localizedTextSchema;
const idSchema = z.string().regex(KEBAB_CASE, 'must be kebab-case, e.g. "key-project"');
const isoDateSchema = z.string().refine(isIsoDate, 'must be a real calendar date written YYYY-MM-DD');
const attachmentNumberSchema = z.number().int().positive();

/** One titled passage of the notice (a main content, an activity, a work requirement). */
const itemSchema = z.strictObject({ id: idSchema, title: text, text, section: text });

/** The kinds of 区（市、功能区）: urban district, county-level city, functional zone. */
export const districtKindSchema = z.enum(['district', 'county-city', 'functional-zone']);

const districtSchema = z.strictObject({
  id: idSchema,
  name: text,
  kind: districtKindSchema,
  aliases: z.array(z.string().trim().min(1)),
});

const formSchema = z.strictObject({
  id: idSchema,
  attachment: attachmentNumberSchema.optional(),
  title: text,
  deadline: idSchema,
  submittedBy: text,
  fields: z.array(text).min(1),
  section: text,
  /** A district may declare it has nothing to file for this form ("no exhibit"); that counts as done. */
  declarableNone: z.boolean().optional(),
  /** A district files this form once (the summary report): a second one is offered as an edit of the first. */
  onePerDistrict: z.boolean().optional(),
});

const filerKindSchema = z.strictObject({ id: idSchema, name: text, aliases: z.array(z.string().min(1)) });

const deadlineSchema = z.strictObject({ id: idSchema, date: isoDateSchema, title: text, section: text });

const attachmentSchema = z.strictObject({
  number: attachmentNumberSchema,
  title: text,
  formId: idSchema.optional(),
});

const eventShapeSchema = z.strictObject({
  id: idSchema,
  timezone: z.literal('Asia/Shanghai'),
  name: text,
  year: z.number().int().min(2000).max(2100),
  noticeTitle: text,
  issuers: z.array(text).min(1),
  addressees: text,
  occasion: text,
  purpose: text,
  basis: z.array(z.strictObject({ issuer: text, title: text, number: z.string().trim().min(1) })),
  week: z.strictObject({ start: isoDateSchema, end: isoDateSchema, text, section: text }),
  theme: z.strictObject({ text, section: text }),
  contents: z.array(itemSchema).min(1),
  activities: z.array(itemSchema).min(1),
  epidemic: z.strictObject({ text, section: text }),
  requirements: z.array(itemSchema).min(1),
  forms: z.array(formSchema).min(1),
  deadlines: z.array(deadlineSchema).min(1),
  summaryReport: z.strictObject({
    videoMaxSeconds: z.number().int().positive(),
    text,
    section: text,
    leadBy: text,
  }),
  submission: z.strictObject({ email: z.email(), to: text, address: text }),
  contact: z.strictObject({
    person: text,
    office: text,
    phone: z.string().regex(/^[0-9][0-9-]{4,}[0-9]$/, 'must be digits with optional dashes, e.g. "0532-85911893"'),
    address: text,
    email: z.email(),
  }),
  attachments: z.array(attachmentSchema).min(1),
  logo: z.strictObject({ attachment: attachmentNumberSchema, text, section: text }),
  disclosure: text,
  districts: z.array(districtSchema).min(1),
  /** Filers that are not a district: city departments, universities, institutes. */
  filerKinds: z.array(filerKindSchema).optional(),
});

type EventShape = z.infer<typeof eventShapeSchema>;

/** Folds a name for lookups: full-width → half-width (NFKC), lower case, no whitespace at all. */
export function toLookupKey(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** The cross-references zod cannot see field by field; each problem is reported at its own path. */
function checkEvent(event: EventShape, ctx: z.RefinementCtx<EventShape>): void {
  const report = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };

  const lists = ['contents', 'activities', 'requirements', 'forms', 'deadlines', 'districts'] as const;
  for (const list of lists) {
    const seen = new Set<string>();
    event[list].forEach((entry, index) => {
      if (seen.has(entry.id)) report([list, index, 'id'], `duplicate id "${entry.id}"`);
      seen.add(entry.id);
    });
  }

  const attachmentNumbers = new Set<number>();
  event.attachments.forEach((attachment, index) => {
    if (attachmentNumbers.has(attachment.number)) {
      report(['attachments', index, 'number'], `duplicate attachment number ${attachment.number}`);
    }
    attachmentNumbers.add(attachment.number);
    if (attachment.formId !== undefined && !event.forms.some((form) => form.id === attachment.formId)) {
      report(['attachments', index, 'formId'], `no form has id "${attachment.formId}"`);
    }
  });

  if (event.week.start > event.week.end) {
    report(['week', 'end'], `the week ends (${event.week.end}) before it starts (${event.week.start})`);
  }
  if (!event.week.start.startsWith(`${event.year}-`)) {
    report(['week', 'start'], `the week starts (${event.week.start}) outside the event year ${event.year}`);
  }

  event.forms.forEach((form, index) => {
    if (!event.deadlines.some((deadline) => deadline.id === form.deadline)) {
      report(['forms', index, 'deadline'], `no deadline has id "${form.deadline}"`);
    }
    if (form.attachment !== undefined) {
      const attachment = event.attachments.find((entry) => entry.number === form.attachment);
      if (attachment?.formId !== form.id) {
        report(['forms', index, 'attachment'], `attachment ${form.attachment} does not name form "${form.id}"`);
      }
    }
  });

  if (!attachmentNumbers.has(event.logo.attachment)) {
    report(['logo', 'attachment'], `no attachment has number ${event.logo.attachment}`);
  }

  const owners = new Map<string, string>();
  (event.filerKinds ?? []).forEach((kind, index) => {
    for (const name of [kind.id, kind.name['zh-CN'], kind.name.en, ...kind.aliases]) {
      const key = toLookupKey(name);
      const owner = owners.get(key);
      if (owner !== undefined && owner !== kind.id) report(['filerKinds', index], `"${name}" already names "${owner}"`);
      owners.set(key, kind.id);
    }
  });
  event.districts.forEach((district, index) => {
    const names: [(string | number)[], string][] = [
      [['id'], district.id],
      [['name', 'zh-CN'], district.name['zh-CN']],
      [['name', 'en'], district.name.en],
      ...district.aliases.map((alias, aliasIndex): [(string | number)[], string] => [['aliases', aliasIndex], alias]),
    ];
    for (const [path, name] of names) {
      const key = toLookupKey(name);
      const owner = owners.get(key);
      if (owner !== undefined && owner !== district.id) {
        report(['districts', index, ...path], `"${name}" already names district "${owner}"`);
      }
      owners.set(key, owner ?? district.id);
    }
  });
}

/**
 * zod schema of `data/event.json`, including the cross-checks (unique ids, references, date order);
 * those run once the shape itself is valid, so a file with shape errors reports those first.
 */
export const eventSchema = eventShapeSchema.superRefine(checkEvent);

/** The whole event as validated data; the rest of the bot reads the notice only through this. */
export type EventData = z.infer<typeof eventSchema>;
/** A titled passage of the notice: one of the five contents, an activity, or a work requirement. */
export type EventItem = EventData['contents'][number];
/** A district-level unit (区、市 or 功能区) that files forms and owns a group chat. */
export type District = EventData['districts'][number];
/** The kind of a {@link District}. */
export type DistrictKind = District['kind'];
/** A form (附件1–3) or the summary report that districts and departments submit. */
export type EventForm = EventData['forms'][number];
/** A submission deadline; its date means the end of that day in Asia/Shanghai. */
export type Deadline = EventData['deadlines'][number];
/** One attachment of the notice (附件1–4). */
export type EventAttachment = EventData['attachments'][number];
/** A document the notice is based on (e.g. 国科发智〔2021〕77号). */
export type BasisDocument = EventData['basis'][number];

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((part) => String(part)).join('.');
}

/** Validates already-parsed event data; `source` names where it came from in every error line. */
export function parseEvent(input: unknown, source: string): EventData {
  const result = eventSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${source}: ${formatPath(issue.path)}: ${issue.message}`);
  throw new ConfigError(lines.join('\n'), { cause: result.error });
}

/** Reads, parses and validates the event file; any problem is a {@link ConfigError} naming the file. */
export function loadEvent(filePath: string): EventData {
  return parseEvent(readDataFile(filePath), filePath);
}

/** The form with this id, if the event has one; flows and staff commands name forms by id. */
export function findForm(event: EventData, id: string): EventForm | undefined {
  return event.forms.find((form) => form.id === id);
}

/** The deadline with this id, if any. */
export function findDeadline(event: EventData, id: string): Deadline | undefined {
  return event.deadlines.find((deadline) => deadline.id === id);
}

/** The deadline that applies to a form, so locks and reminders need not know how forms map to dates. */
export function deadlineOf(event: EventData, formId: string): Deadline | undefined {
  const form = findForm(event, formId);
  return form === undefined ? undefined : findDeadline(event, form.deadline);
}

/**
 * The district a user means: matches the id, the Chinese or English name or an alias, ignoring case,
 * whitespace and full-width forms (`Ｓｈｉｎａｎ`, `黄岛区(西海岸新区)`). Keys are unique by validation.
 */
export function findDistrict(event: EventData, idOrNameOrAlias: string): District | undefined {
  const key = toLookupKey(idOrNameOrAlias);
  if (key === '') return undefined;
  return event.districts.find(
    (district) =>
      toLookupKey(district.id) === key ||
      toLookupKey(district.name['zh-CN']) === key ||
      toLookupKey(district.name.en) === key ||
      district.aliases.some((alias) => toLookupKey(alias) === key),
  );
}

/** The name of who filed (a district, or another kind of filer such as universities) in a language; the id when unknown. */
export function filerName(event: EventData, id: string, locale: keyof District['name']): string {
  return [...event.districts, ...(event.filerKinds ?? [])].find((filer) => filer.id === id)?.name[locale] ?? id;
}
