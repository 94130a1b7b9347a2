/**
 * What the two peer bots share so that they do exactly what ours does for the key-project form (附件2):
 * the same 16 fields with the same parsers (each field's `parse` from flows/key-project.ts, i.e. the
 * parsers of src/flow/parse/ behind the same field builders and the same district choice), the same
 * words from our locales (prompt with progress, rejection, summary, receipt), and a filing stored in
 * Redis with SET under a receipt number. The peers differ only in how they hold the conversation.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keyProjectFlow } from '../../flows/key-project.js';
import { loadEvent } from '../../src/domain/event.js';
import { loadI18n } from '../../src/kernel/i18n.js';
import type { JsonValue } from '../../src/kernel/json.js';
import type { FieldContext, FieldSpec } from '../../src/flow/define.js';
import { EVENT_FILE, LOCALES_DIR } from '../../src/app/paths.js';
import { BENCH_NOW } from '../targets/ours.js';

/** The answers given so far, by field id. */
export type FormValues = Record<string, JsonValue>;

/** The form's fields, in the order they are asked. */
export const FIELDS: readonly FieldSpec[] = keyProjectFlow.fields;

const event = loadEvent(EVENT_FILE);
const t = loadI18n(LOCALES_DIR).forLocale('zh-CN');
/** What the field parsers are given (zh-CN; the clock of the 2021 filing period, as ours). */
const fieldContext: FieldContext = { event, locale: 'zh-CN', now: BENCH_NOW, t };
const SKIP_WORDS = new Set(['跳过', 'skip']);
const SUBMIT_WORDS = new Set(['提交', '确认', 'submit']);
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Escapes user text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

function label(field: FieldSpec): string {
  return t(`flows.${keyProjectFlow.id}.fields.${field.id}.label`);
}

/** The first message: what the form is. */
export function introText(): string {
  return t(`flows.${keyProjectFlow.id}.intro`);
}

/** The question for field `index`, with its progress and label. */
export function promptText(index: number): string {
  const field = FIELDS[index];
  if (field === undefined) return '';
  const optional = field.optional ? ` ${t('flow.optional')}` : '';
  const progress = t('flow.progress', { n: index + 1, total: FIELDS.length });
  return `${progress} <b>${escapeHtml(label(field))}</b>${optional}\n${t(`flows.${keyProjectFlow.id}.fields.${field.id}.prompt`)}`;
}

/** The outcome of one answer to field `index`. */
export type AnswerOutcome = { kind: 'value'; value: JsonValue } | { kind: 'skipped' } | { kind: 'rejected'; message: string };

/** Reads an answer to field `index` with the field's own parser; a rejection carries the localized reason. */
export function readAnswer(index: number, text: string): AnswerOutcome {
  const field = FIELDS[index];
  if (field === undefined) return { kind: 'rejected', message: t('flow.empty_input') };
  if (field.optional && SKIP_WORDS.has(text.trim().toLowerCase())) return { kind: 'skipped' };
  const parsed = field.parse(text, fieldContext);
  if (parsed.ok) return { kind: 'value', value: parsed.value };
  return { kind: 'rejected', message: `✗ ${t(`errors.${parsed.error}`, parsed.params)}` };
}

/** True when the text confirms the summary. */
export function isSubmit(text: string): boolean {
  return SUBMIT_WORDS.has(text.trim().toLowerCase());
}

function valueLines(values: FormValues): string {
  return FIELDS.map((field, i) => {
    const value = values[field.id];
    const shown = value === undefined ? t('flow.not_given') : field.format(value, fieldContext);
    return `• ${i + 1}. <b>${escapeHtml(label(field))}</b>：${escapeHtml(shown)}`;
  }).join('\n');
}

/** The summary before submitting. */
export function summaryText(values: FormValues): string {
  return `<b>${escapeHtml(t('flow.summary_title', { form: t(`flows.${keyProjectFlow.id}.title`) }))}</b>\n${valueLines(values)}\n${t('flow.summary_help')}`;
}

/** What to say at the summary to anything but a confirmation. */
export function summaryExpectsText(): string {
  return t('flow.summary_expects');
}

/** An inline keyboard as the Bot API takes it. */
interface Keyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** Send options of a reply: HTML, and the same buttons and link-preview setting our bot sends. */
export interface ReplyOptions {
  parse_mode: 'HTML';
  reply_markup?: Keyboard;
  link_preview_options?: { is_disabled: boolean };
}

/** A draft id of the same length as ours (six characters), derived from the user so it needs no storage. */
function draftIdOf(userId: number): string {
  return userId.toString(36).slice(-6).padStart(6, '0');
}

/**
 * The options of the question for field `index`: the buttons our bot shows with it (the district's
 * choices, else 返回 / 跳过 when optional / 取消, with callback data of the same shape), so the three
 * bots send the same Bot API calls and the comparison is of the bots, not of their messages.
 */
export function promptOptions(index: number, userId: number): ReplyOptions {
  const field = FIELDS[index];
  if (field === undefined) return { parse_mode: 'HTML' };
  const draft = draftIdOf(userId);
  const cancel = { text: t('flow.nav.cancel'), callback_data: `nav:cancel:f.${field.id}.${draft}` };
  if (field.options !== undefined) {
    const rows = field.options(fieldContext).map((option) => [{ text: option.label, callback_data: `pick:${field.id}.${draft}:${option.value}` }]);
    return { parse_mode: 'HTML', reply_markup: { inline_keyboard: [...rows, [cancel]] } };
  }
  const back = { text: t('flow.nav.back'), callback_data: `nav:back:f.${field.id}.${draft}` };
  const skip = { text: t('flow.nav.skip'), callback_data: `nav:skip:f.${field.id}.${draft}` };
  return { parse_mode: 'HTML', reply_markup: { inline_keyboard: [field.optional ? [back, skip, cancel] : [back, cancel]] } };
}

/** The options of the summary: 提交 / 修改 / 取消, and no link preview (it shows the e-mail address). */
export function summaryOptions(userId: number): ReplyOptions {
  const draft = draftIdOf(userId);
  const button = (word: string, action: string) => ({ text: t(`flow.nav.${word}`), callback_data: `nav:${action}:s.${draft}` });
  return {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    reply_markup: { inline_keyboard: [[button('submit', 'submit'), button('edit', 'edit-menu'), button('cancel', 'cancel')]] },
  };
}

/** The options of the receipt: no link preview (it shows the e-mail address). */
export const RECEIPT_OPTIONS: ReplyOptions = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } };

/** A new receipt number, like ours (`KP-` and ten characters). */
export function newReceipt(): string {
  const bytes = randomBytes(10);
  let code = '';
  for (const byte of bytes) code += RECEIPT_ALPHABET[byte % RECEIPT_ALPHABET.length] ?? '2';
  return `${keyProjectFlow.receiptPrefix}-${code}`;
}

/** Stores a filing (one SET of its JSON) and returns the receipt text sent to the filer. */
export async function storeFiling(redis: Redis, prefix: string, receipt: string, userId: string, values: FormValues): Promise<string> {
  const filing = { receipt, formId: keyProjectFlow.id, eventId: event.id, ownerKey: `telegram:${userId}`, values, createdAt: new Date().toISOString() };
  await redis.set(`${prefix}filing:${receipt}`, JSON.stringify(filing));
  const submitted = t('filings.submitted', { form: t(`flows.${keyProjectFlow.id}.title`) });
  return `<b>${escapeHtml(submitted)}</b>\n${t('filings.receipt', { receipt })}\n${valueLines(values)}`;
}
