/**
 * The HTTP call under grammY's Bot API client (its documented `client.fetch` option), straight on
 * node:http / node:https instead of node-fetch. grammY only POSTs a JSON or multipart body and reads
 * the answer's JSON, so none of node-fetch's Request, Headers and Body machinery is needed; dropping
 * it makes a Bot API call about a fifth of the bot's CPU per message cheaper (see the README's
 * Performance section). What grammY relies on is kept: the agent it configures (keep-alive), its abort
 * signal (timeouts, stopping the long poll), a stream body for uploads, and a rejection on network
 * failure, which grammY turns into an HttpError that the sender retries.
 */
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** What grammY passes: its base config (agent) merged with the method, headers, body and signal. */
export interface BotApiRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | Readable | AsyncIterable<Uint8Array>;
  agent?: Agent;
  signal?: AbortSignal;
}

/** The answer, as far as grammY reads it. */
export interface BotApiResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** Reads a whole answer; rejects if the connection breaks before its end. */
export function readAll(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the Bot API connection closed before the answer ended')));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Where a URL points, parsed once: a bot calls the same few method URLs over and over. */
export interface Target {
  https: boolean;
  options: { protocol: string; hostname: string; port?: number; path: string };
}

const targets = new Map<string, Target>();
const MAX_TARGETS = 256;

/** The request target of a URL, from a small cache. */
export function targetOf(url: string): Target {
  const known = targets.get(url);
  if (known !== undefined) return known;
  const parsed = new URL(url);
  const target: Target = {
    https: parsed.protocol === 'https:',
    options: {
      protocol: parsed.protocol,
      // An IPv6 literal is written in brackets in a URL, without them as a host name.
      hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      ...(parsed.port === '' ? {} : { port: Number(parsed.port) }),
      path: `${parsed.pathname}${parsed.search}`,
    },
  };
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(url, target);
  return target;
}

/** One HTTP request to the Bot API; resolves with its whole answer. */
export function botApiFetch(url: string, init: BotApiRequestInit = {}): Promise<BotApiResponse> {
  return new Promise((resolve, reject) => {
    const target = targetOf(url);
    const send = target.https ? httpsRequest : httpRequest;
    const request = send(
      {
        ...target.options,
        method: init.method ?? 'GET',
        ...(init.headers === undefined ? {} : { headers: init.headers }),
        ...(init.agent === undefined ? {} : { agent: init.agent }),
        ...(init.signal === undefined ? {} : { signal: init.signal }),
      },
      (response) => {
        readAll(response).then((text) => {
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            text: () => Promise.resolve(text),
            json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
          });
        }, reject);
      },
    );
    request.on('error', reject);
    const body = init.body;
    if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
      request.end(body);
      return;
    }
    const stream = body instanceof Readable ? body : Readable.from(body);
    stream.on('error', (error) => request.destroy(error));
    stream.pipe(request);
  });
}
