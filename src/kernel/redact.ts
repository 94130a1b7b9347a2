/**
 * What a log line may carry: ids, counts, outcomes and the program's own words — never a person's
 * name, phone number, e-mail address, postal address, a form's values, a message's text, or a token.
 * `redactLogRecord` is the one function every line passes through before it is written (the root
 * logger's output stream calls it on each line), whatever wrote it: our code, the Slack SDKs through
 * the Bolt bridge, or the `debug` output of grammY and ioredis. It applies, at any depth:
 *
 * - keys: a value under a key that names personal data or a secret (`text`, `values`, `blocks`,
 *   `profile`, `email`, `phone`, `address`, `…name`, `…token`, `…secret`, `authorization`, …) is
 *   replaced whole;
 * - strings: e-mail addresses, phone numbers (mobiles, landlines, international), Slack and Telegram
 *   tokens (also inside URLs), bearer credentials and passwords in URLs are replaced wherever they
 *   appear, and a JSON object or array embedded in a string is read and redacted as a foreign one;
 * - foreign structures (an SDK's request body, an API's answer, an error's payload, which no pattern
 *   can check for names or addresses): only numbers, booleans and the strings of a short list of id
 *   and status keys are kept; every other string is replaced.
 *
 * Free text from an SDK (the `sdk` field) is cut after a structure that cannot be read as JSON (it may
 * be a dump of a user's profile) and at a length.
 */

/** What replaces a value redacted whole. */
export const REDACTED = '[redacted]';

/** Value patterns, in order: tokens and credentials first (a token holds digit runs), then e-mails, then phones. */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/xox[a-z]-[A-Za-z0-9-]+/g, '[token]'],
  [/xapp-[A-Za-z0-9-]+/g, '[token]'],
  // Telegram bot tokens (`<bot id>:<secret>`), also inside Bot API URLs (`/bot<token>/sendMessage`).
  [/\d{5,}:[A-Za-z0-9_-]{30,}/g, '[token]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [token]'],
  // user:password@ in a URL (redis://, https://).
  [/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@'],
  [/v0=[0-9a-f]{64}/g, 'v0=[redacted]'],
  [/[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu, '[email]'],
  // International (+86 532 8591 1893, +86-139…, 0086 139…).
  [/(?:\+\d{1,3}|(?<!\d)0086)[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,5}){2,4}(?!\d)/g, '[phone]'],
  // Chinese mobiles: 13912345678, 139-1234-5678, 139 1234 5678.
  [/(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g, '[phone]'],
  // Landlines with an area code: 0532-85911893, (0532)85911893, 010 12345678, with an extension.
  [/(?<!\d)\(?0\d{2,3}\)?[\s-]?\d{7,8}(?:\s?(?:转|ext\.?|x|-)\s?\d{1,6})?(?!\d)/gi, '[phone]'],
  // Service numbers: 400-123-4567, 800 123 4567.
  [/(?<!\d)[48]00[\s-]?\d{3}[\s-]?\d{4}(?!\d)/g, '[phone]'],
];

/** Replaces every e-mail address, phone number, token and URL password in `text`. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Key fragments that mark a secret. */
const SECRET_KEY = /token|secret|passw|authoriz|cookie|apikey|signature|credential|private/;

/** Keys (lower case, without `_` and `-`) whose values are personal data or content. */
const CONTENT_KEYS = new Set([
  'text', 'texts', 'value', 'values', 'blocks', 'profile', 'mail', 'fax', 'tel', 'mobile', 'caption',
  'title', 'answer', 'answers', 'draft', 'drafts', 'payload', 'body', 'fields', 'summary', 'question', 'query',
  'message', 'state', 'view', 'attachments', 'files', 'file', 'document', 'photo', 'video', 'location', 'venue', 'vcard',
  'postalcode', 'postcode', 'zip', 'args', 'arguments', 'session', 'sessions', 'replymarkup', 'options', 'label',
  'placeholder', 'initialvalue', 'initialoption', 'selectedoption', 'richtext', 'elements', 'inbound', 'update',
  // The forms' fields that hold a person or what they wrote (under `values` anyway; here when logged alone).
  'projectlead', 'lead', 'leader', 'person', 'owner', 'filer', 'organizer', 'supervisor', 'exhibitor', 'description',
  'summarytext', 'opencontent', 'report', 'photos',
]);

/** True for a key whose value is personal data, content or a secret (any spelling: `real_name`, `displayName`). */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (k === 'hostname') return false;
  return SECRET_KEY.test(k) || k.endsWith('name') || /phone|address|contact|email/.test(k) || CONTENT_KEYS.has(k);
}

/** Keys of a foreign structure whose strings are ids, codes or statuses, kept (scrubbed, cut). */
const SAFE_FOREIGN_KEYS = new Set([
  'ok', 'error', 'warning', 'needed', 'provided', 'type', 'subtype', 'method', 'channel', 'channel_id', 'channel_type',
  'user', 'user_id', 'bot_id', 'app_id', 'api_app_id', 'team', 'team_id', 'enterprise_id', 'context_team_id', 'ts',
  'thread_ts', 'event_ts', 'message_ts', 'action_ts', 'event_id', 'event_time', 'envelope_id', 'action_id', 'block_id',
  'callback_id', 'view_id', 'id', 'response_action', 'response_type', 'retry_reason', 'update_id', 'chat_id',
  'message_id', 'file_id', 'mimetype', 'filetype', 'mime_type', 'status', 'code', 'content-type', 'user-agent',
]);

/** Keys of a foreign structure that hold a Slack id: kept only in that shape (`auth.test` puts names there). */
const ID_KEYS = new Set(['user', 'team', 'channel', 'user_id', 'team_id', 'channel_id', 'bot_id', 'app_id', 'api_app_id', 'enterprise_id', 'context_team_id']);

/** A string of a foreign structure under `key`, if it may be kept: ids in their shape, other safe keys' printable ASCII. */
function keptForeignString(key: string, value: string): string {
  const k = key.toLowerCase();
  if (ID_KEYS.has(k)) return /^[A-Z0-9]{2,40}$/.test(value) ? value : REDACTED;
  if (!SAFE_FOREIGN_KEYS.has(k) || !/^[\x20-\x7e]*$/.test(value)) return REDACTED;
  return cut(scrubText(value), MAX_KEPT_STRING);
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 50;
const MAX_KEPT_STRING = 200;
/** Free text of an SDK is cut here. */
export const MAX_SDK_TEXT = 1000;
/** Any other string of a log line is cut here (a stack trace fits). */
const MAX_TEXT = 4000;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Object entries without inherited or accessor surprises; `__proto__` stays an ordinary key. */
function entriesOf(value: object): [string, unknown][] {
  return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
}

/**
 * A foreign structure (an SDK's request or answer, an error's payload) with only what is safe in it:
 * numbers, booleans, null, and the strings of id and status keys; every other string, and whatever
 * sits under a sensitive key, is replaced.
 */
export function redactForeign(value: unknown, key?: string, depth = 0): unknown {
  if (key !== undefined && isSensitiveKey(key)) return REDACTED;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return key === undefined ? REDACTED : keptForeignString(key, value);
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return REDACTED;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return capped(value).map((item) => redactForeign(item, key, depth + 1));
  return Object.fromEntries(entriesOf(value).map(([k, v]) => [k, redactForeign(v, k, depth + 1)]));
}

function capped(items: readonly unknown[]): unknown[] {
  return items.length > MAX_ITEMS ? [...items.slice(0, MAX_ITEMS), `…${items.length - MAX_ITEMS} more`] : [...items];
}

/** Where a JSON value may start in free text: `{`, or `[` followed by what a JSON array holds. */
function structureStart(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '{') return i;
    if (c === '[' && /^\[\s*[{["'\]\-\d]/.test(text.slice(i, i + 8))) return i;
  }
  return -1;
}

/** The index after the bracket closing the one at `start` (JSON strings skipped), or -1. */
function structureEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** A bracketed label such as `[127.0.0.1:6379 (db0)]`: no quotes or braces inside. */
function isLabel(region: string): boolean {
  return region.startsWith('[') && !/["'{}]/.test(region.slice(1, -1)) && !region.slice(1, -1).includes('[');
}

/**
 * Free text that may embed JSON (an SDK's "http request body: {…}"): each embedded JSON value is
 * redacted as a foreign structure; at a structure that is not JSON (a util.inspect dump, a cut body)
 * the text ends, since what follows cannot be checked; then the value patterns; then the length.
 */
export function redactFreeText(text: string, max = MAX_TEXT): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const start = structureStart(text, at);
    if (start < 0) {
      out += text.slice(at);
      break;
    }
    out += text.slice(at, start);
    const end = structureEnd(text, start);
    const region = end < 0 ? undefined : text.slice(start, end);
    if (region !== undefined && isLabel(region)) {
      out += region;
      at = end;
      continue;
    }
    const parsed = region === undefined ? undefined : parseJson(region);
    if (parsed === undefined) {
      out += text[start] === '{' ? '{…}' : '[…]';
      break;
    }
    out += JSON.stringify(redactForeign(parsed.value));
    at = end;
  }
  return cut(scrubText(out), max);
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Keys of a serialized error kept as text (scrubbed); its other own properties are foreign. */
const ERROR_TEXT_KEYS = new Set([
  'type', 'name', 'message', 'stack', 'code', 'errno', 'syscall', 'description', 'method', 'platform', 'status',
  'statusCode', 'error_code', 'retryAfterSeconds', 'retryAfter', 'transient', 'reason', 'signal', 'kind',
]);

/** Keys that hold an error (pino's `err`, a wrapped `cause`, Bolt's `original`, grammY's `error`). */
const ERROR_KEYS = new Set(['err', 'error', 'cause', 'original', 'errors', 'aggregateErrors']);

function redactError(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactFreeText(value);
  if (typeof value !== 'object' || value === null) return redactForeign(value, undefined, depth);
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return capped(value).map((item) => redactError(item, depth + 1));
  const source = value instanceof Error ? Object.assign({ type: value.name, message: value.message, stack: value.stack }, value) : value;
  return Object.fromEntries(
    entriesOf(source).map(([k, v]) => {
      if (ERROR_KEYS.has(k)) return [k, redactError(v, depth + 1)];
      if (ERROR_TEXT_KEYS.has(k) && typeof v !== 'object') return [k, typeof v === 'string' ? redactFreeText(v) : v];
      return [k, redactForeign(v, k, depth + 1)];
    }),
  );
}

/** One value of a log record: our own data, walked with the key rule and every string scrubbed. */
function redactOwn(value: unknown, key: string | undefined, depth: number): unknown {
  if (key !== undefined) {
    if (key === 'sdk') return typeof value === 'string' ? redactFreeText(value, MAX_SDK_TEXT) : redactForeign(value);
    if (isSensitiveKey(key)) return REDACTED;
    if (ERROR_KEYS.has(key)) return redactError(value, depth);
  }
  if (typeof value === 'string') return redactFreeText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (value instanceof Error) return redactError(value, depth);
  if (Array.isArray(value)) return capped(value).map((item) => redactOwn(item, key, depth + 1));
  return Object.fromEntries(entriesOf(value).map(([k, v]) => [k, redactOwn(v, k, depth + 1)]));
}

/** A log record (pino's line, parsed) with everything that must not be logged taken out. */
export function redactLogRecord(record: Record<string, unknown>): Record<string, unknown> {
  return redactOwn(record, undefined, 0) as Record<string, unknown>;
}

/** A pino JSON line, redacted; a line that is not JSON becomes a line holding its redacted text. */
export function redactLogLine(line: string): string {
  const parsed = parseJson(line);
  const record =
    parsed !== undefined && typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value)
      ? (parsed.value as Record<string, unknown>)
      : { msg: line.trimEnd() };
  return `${JSON.stringify(redactLogRecord(record))}\n`;
}
