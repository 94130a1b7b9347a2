/**
 * Flows are data: `defineFlow` turns a declarative form (its fields, in the official order) into a
 * checked definition that the pure runner can drive. A flow that is inconsistent fails the start
 * (FlowDefinitionError), never a conversation.
 */
import type { z } from 'zod';
import type { EventData } from '../domain/event.js';
import { FlowDefinitionError } from '../kernel/errors.js';
import type { I18n, I18nParams, Translate } from '../kernel/i18n.js';
import type { JsonValue } from '../kernel/json.js';
import type { Locale } from '../kernel/locale.js';
import type { ParseResult } from './parse/result.js';

/** What a field needs to parse, format or warn: the event, the user's language and the time. */
export interface FieldContext {
  event: EventData;
  locale: Locale;
  now: Date;
  t: Translate;
}

/** The kinds of field the runner knows. */
export type FieldKind =
  | 'text'
  | 'longtext'
  | 'choice'
  | 'date-range'
  | 'integer'
  | 'money'
  | 'phone'
  | 'email'
  | 'postal-code'
  | 'files'
  | 'repeat';

/** One option of a choice field. */
export interface FieldOption {
  value: string;
  label: string;
  /** More words that pick this option when typed (short names, English names). */
  aliases: readonly string[];
}

/** A soft warning: the value is valid but unusual, so the user confirms it. */
export interface FieldWarning {
  key: string;
  params?: I18nParams;
}

/** One field of a form. Labels and prompts come from `flows.<flow>.fields.<id>.*` in the locales. */
export interface FieldSpec {
  id: string;
  kind: FieldKind;
  /** The column title in the official form (e.g. 项目名称); also accepted as a label when pasted. */
  column: string;
  /** Further labels accepted in a pasted message (e.g. 联系电话 for a phone field). */
  aliases: readonly string[];
  optional: boolean;
  /** The stored value's schema; values read back from the store are checked with it. */
  schema: z.ZodType<JsonValue>;
  parse(text: string, ctx: FieldContext): ParseResult<JsonValue>;
  format(value: JsonValue, ctx: FieldContext): string;
  options?(ctx: FieldContext): FieldOption[];
  warn?(value: JsonValue, ctx: FieldContext): FieldWarning | undefined;
  /** False while a value is there but not enough yet (fewer files than required). */
  isComplete?(value: JsonValue): boolean;
  /** Set on a repeating group (附件3's rows): its columns and how many rows it takes. */
  repeat?: RepeatSpec;
  /** A conditional field is asked (and kept) only while this is true of the other answers. */
  when?(values: Readonly<Record<string, JsonValue>>): boolean;
}

/** A repeating group: each row answers the same columns. */
export interface RepeatSpec {
  rowFields: FieldSpec[];
  minRows: number;
  maxRows: number;
}

/** A form as declared in `flows/`. */
export interface FlowSpec {
  /** The file name in `flows/`, e.g. `key-project`. */
  id: string;
  /** Bump when the fields change shape: older drafts are then restarted with a notice. */
  version: number;
  /** Short prefix of receipt numbers, e.g. `KP`. */
  receiptPrefix: string;
  /** The field that names a filing in lists (e.g. the project name). */
  titleField: string;
  /** The field that holds the filer's district, if the form has one. */
  districtField?: string;
  fields: FieldSpec[];
  /** Labels that carry a name and a number at once (联系人及联系方式：张三 138…), and the two fields they fill. */
  pasteSplits?: readonly PasteSplit[];
}

/** A combined label in a paste: its spellings, the name field and the phone field it fills. */
export interface PasteSplit {
  labels: readonly string[];
  name: string;
  phone: string;
}

/** A checked flow. */
export type FlowDefinition = Readonly<FlowSpec>;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const FIELD_ID = /^[a-z][a-zA-Z0-9]*$/;

/** Checks a flow's shape and returns it; throws FlowDefinitionError on the first problem. */
export function defineFlow(spec: FlowSpec): FlowDefinition {
  const fail = (message: string): never => {
    throw new FlowDefinitionError(spec.id, message);
  };
  if (!ID.test(spec.id)) fail('id must be kebab-case');
  if (!Number.isInteger(spec.version) || spec.version < 1) fail('version must be a positive integer');
  if (!/^[A-Z]{1,4}$/.test(spec.receiptPrefix)) fail('receiptPrefix must be 1-4 capital letters');
  if (spec.fields.length === 0) fail('a flow needs at least one field');
  const seen = new Set<string>();
  for (const field of spec.fields) {
    if (!FIELD_ID.test(field.id)) fail(`field id "${field.id}" must be camelCase`);
    if (seen.has(field.id)) fail(`field id "${field.id}" is used twice`);
    seen.add(field.id);
    if (field.kind === 'choice' && field.options === undefined) fail(`choice field "${field.id}" has no options`);
    if (field.kind === 'repeat' && (field.repeat === undefined || field.repeat.rowFields.length === 0)) fail(`repeat field "${field.id}" has no columns`);
  }
  for (const split of spec.pasteSplits ?? []) {
    if (!seen.has(split.name) || !seen.has(split.phone)) fail(`pasteSplits "${split.labels.join('/')}" names a field that does not exist`);
  }
  if (!seen.has(spec.titleField)) fail(`titleField "${spec.titleField}" is not a field`);
  if (spec.districtField !== undefined && !seen.has(spec.districtField)) {
    fail(`districtField "${spec.districtField}" is not a field`);
  }
  return Object.freeze({ ...spec, fields: [...spec.fields] });
}

/** The locale key of a flow's title. */
export function flowTitleKey(flowId: string): string {
  return `flows.${flowId}.title`;
}

/** The locale key of a field's label, prompt or hint. */
export function fieldKey(flowId: string, fieldId: string, part: 'label' | 'prompt' | 'hint'): string {
  return `flows.${flowId}.fields.${fieldId}.${part}`;
}

/** Checks that every key a flow needs exists in the locales; throws FlowDefinitionError if not. */
export function checkFlowMessages(flow: FlowDefinition, i18n: I18n): void {
  const needed = [flowTitleKey(flow.id), `flows.${flow.id}.intro`];
  for (const field of flow.fields) {
    needed.push(fieldKey(flow.id, field.id, 'label'), fieldKey(flow.id, field.id, 'prompt'));
    for (const column of field.repeat?.rowFields ?? []) {
      needed.push(fieldKey(flow.id, `${field.id}.${column.id}`, 'label'), fieldKey(flow.id, `${field.id}.${column.id}`, 'prompt'));
    }
  }
  const missing = needed.filter((key) => !i18n.has(key));
  if (missing.length > 0) throw new FlowDefinitionError(flow.id, `missing locale keys: ${missing.join(', ')}`);
}
