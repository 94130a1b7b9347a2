/**
 * HTTP plumbing of the Web API stand-in: reading a call's arguments the ways Slack accepts them (query
 * string, `application/x-www-form-urlencoded` — what `@slack/web-api` 8 always sends — or JSON),
 * decoding form values (`blocks`/`view` JSON strings, `true`/`false`), finding the token, and the
 * `SlackError` a method handler throws to answer `{ ok: false, error }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject, type JsonObject } from './slack-api-ids.js';
import type { ApiResponse } from './slack-api-types.js';

/** A platform error a handler throws; answered as HTTP 200 `{ ok: false, error, response_metadata? }`. */
export class SlackError extends Error {
  constructor(
    readonly error: string,
    readonly messages: string[] = [],
  ) {
    super(error);
  }

  /** The answer body. */
  body(): ApiResponse {
    return { ok: false, error: this.error, ...(this.messages.length > 0 ? { response_metadata: { messages: this.messages } } : {}) };
  }
}

/** Form fields Slack reads as JSON when they arrive as strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);
/** Form fields Slack reads as booleans. */
const BOOLEAN_FIELDS = new Set([
  'mrkdwn', 'unfurl_links', 'unfurl_media', 'reply_broadcast', 'include_locale', 'return_im', 'prevent_creation', 'as_user', 'link_names',
]);

/** Reads a whole request body as UTF-8. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Decodes one form value the way Slack does for its known JSON and boolean fields. */
function decodeField(name: string, value: string): unknown {
  if (JSON_FIELDS.has(name)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new SlackError('invalid_arguments', [`[ERROR] failed to parse JSON [json-pointer:/${name}]`]);
    }
  }
  if (BOOLEAN_FIELDS.has(name)) return value === 'true' || value === '1';
  return value;
}

/** A call's arguments from the query string and the body (form or JSON), decoded. */
export function parseParams(url: URL, contentType: string, body: string): JsonObject {
  const params: JsonObject = {};
  const addForm = (form: URLSearchParams): void => {
    for (const [name, value] of form) params[name] = decodeField(name, value);
  };
  addForm(url.searchParams);
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return params;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      throw new SlackError('invalid_json');
    }
    if (!isObject(parsed)) throw new SlackError('json_not_object');
    for (const [name, value] of Object.entries(parsed)) params[name] = typeof value === 'string' ? decodeField(name, value) : value;
  } else if (type === 'application/x-www-form-urlencoded' || type === 'text/plain' || type === '') {
    addForm(new URLSearchParams(body));
  } else {
    throw new SlackError('invalid_post_type');
  }
  return params;
}

/** The token of a call: `Authorization: Bearer …` first, else a `token` argument. */
export function tokenOf(request: IncomingMessage, params: JsonObject): string | undefined {
  const header = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
  if (header !== undefined && header !== '') return header;
  return typeof params.token === 'string' && params.token !== '' ? params.token : undefined;
}

/** Writes a JSON answer. */
export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** A string argument, or undefined when absent/empty. */
export function stringArg(params: JsonObject, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A required string argument; `error` (default `invalid_arguments`) when missing. */
export function requireArg(params: JsonObject, name: string, error = 'invalid_arguments'): string {
  const value = stringArg(params, name);
  if (value === undefined) throw new SlackError(error, error === 'invalid_arguments' ? [`[ERROR] missing required field: ${name}`] : []);
  return value;
}
