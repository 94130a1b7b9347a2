/**
 * HTTP plumbing of the Bot API stand-in: reading a request's parameters the ways the Bot API accepts
 * them (query string, urlencoded, JSON, multipart/form-data — including grammY's unquoted, space-less
 * part headers), coercing string parameters, and the `ApiFailure` the method handlers throw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiResponse, Params, ResponseParameters, UploadedPart } from './telegram-bot-api-types.js';

/** An API error a method handler throws; the router answers it as `{ ok: false, error_code, description }`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

/** Throws a 400 `Bad Request: <text>`. */
export function badRequest(text: string): never {
  throw new ApiFailure(400, `Bad Request: ${text}`);
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', json: 'application/json', html: 'text/html',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  mp4: 'video/mp4', mov: 'video/quicktime', mp3: 'audio/mpeg', ogg: 'audio/ogg', zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The MIME type Telegram would report for a file name (by extension; `application/octet-stream` otherwise). */
export function mimeOf(fileName: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/** Reads a whole request body. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** The value of a header parameter such as `boundary=` or `filename=` (quoted or not). */
function headerParameter(header: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${name}=("(?:[^"\\\\]|\\\\.)*"|[^;\\r\\n]*)`, 'i').exec(header);
  const raw = match?.[1]?.trim();
  if (raw === undefined) return undefined;
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
}

/** Splits a multipart/form-data body into string fields and file parts. */
export function parseMultipart(body: Buffer, boundary: string): { fields: Params; files: UploadedPart[] } {
  const fields: Params = {};
  const files: UploadedPart[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) return { fields, files };
  pos += delimiter.length;
  while (pos < body.length && body.subarray(pos, pos + 2).toString() !== '--') {
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const end = body.indexOf(next, pos);
    if (end < 0) break;
    const part = body.subarray(pos, end);
    const split = part.indexOf('\r\n\r\n');
    const head = split < 0 ? part.toString('utf8') : part.subarray(0, split).toString('utf8');
    const content = split < 0 ? Buffer.alloc(0) : part.subarray(split + 4);
    const headers = new Map<string, string>();
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = headerParameter(disposition, 'name');
    const fileName = headerParameter(disposition, 'filename');
    if (name !== undefined && fileName !== undefined) {
      const declared = headers.get('content-type')?.split(';')[0]?.trim();
      const mimeType = declared === undefined || declared === '' || declared === 'application/octet-stream' ? mimeOf(fileName) : declared;
      files.push({ field: name, fileName, mimeType, bytes: Buffer.from(content) });
    } else if (name !== undefined) {
      fields[name] = content.toString('utf8');
    }
    pos = end + next.length;
  }
  return { fields, files };
}

/** The parameters of a request: query string merged with the body (JSON, urlencoded or multipart). */
export async function readParams(request: IncomingMessage, url: URL): Promise<{ params: Params; files: UploadedPart[] }> {
  const params: Params = Object.fromEntries(url.searchParams);
  const body = await readBody(request);
  const type = request.headers['content-type'] ?? '';
  if (body.length === 0) return { params, files: [] };
  if (/^application\/json/i.test(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return badRequest("can't parse JSON encoded request");
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(params, parsed);
    return { params, files: [] };
  }
  if (/^multipart\/form-data/i.test(type)) {
    const boundary = headerParameter(type, 'boundary');
    if (boundary === undefined) return badRequest('wrong multipart/form-data request: no boundary');
    const { fields, files } = parseMultipart(body, boundary);
    return { params: { ...params, ...fields }, files };
  }
  Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  return { params, files: [] };
}

/** Writes a JSON API response with the HTTP status Telegram uses (the error code, or 200). */
export function writeResponse(response: ServerResponse, body: ApiResponse): void {
  const status = body.ok ? 200 : body.error_code;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A parameter as an integer (a JSON number or a numeric string); undefined when absent. */
export function intParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number)) return badRequest(`invalid ${name} specified`);
  return number;
}

/** A parameter as a string; undefined when absent. */
export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** A parameter as a boolean (`true` / `"true"` / `"1"`). */
export function boolParam(params: Params, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A JSON-valued parameter (sent as an object, or as a JSON string in multipart/query); undefined when absent. */
export function jsonParam(params: Params, name: string, error: string): unknown {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return badRequest(error);
  }
}

/** True for a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
