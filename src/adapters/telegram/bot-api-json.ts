/**
 * The Bot API calls a bot makes for every message — sendMessage, editMessageReplyMarkup,
 * answerCallbackQuery: a JSON body in, a JSON answer out — as one plain HTTP POST. grammY's general
 * client builds an abort controller (a polyfill on Node 20), a timer, a stream-error promise and a
 * three-way race per call, and serialises the payload with a replacer that looks for files; none of
 * it is needed for a JSON call, and on the hot path it costs more than the call itself. Everything
 * else (updates, webhooks, uploads, getChatMember, setMyCommands) still goes through grammY.
 *
 * Failures keep grammY's shapes, so the sender classifies them as before: an answer with `ok: false`
 * rejects with grammY's GrammyError (error code, description, retry_after); no answer, a broken
 * connection, an answer that is not JSON or the timeout reject with a plain Error (transient).
 */
import { Agent as HttpAgent, request as httpRequest, type Agent } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { GrammyError } from 'grammy';
import { readAll, targetOf } from './bot-api-fetch.js';

/**
 * One JSON Bot API call: resolves once Telegram accepted it. The bot never reads what a send
 * returns (the message it made), so an accepted answer is not parsed.
 */
export type JsonCall = (method: string, payload: Record<string, unknown>) => Promise<void>;

/** Where and how the calls go. */
export interface JsonCallerOptions {
  /** The Bot API root, e.g. `https://api.telegram.org` or a local Bot API server. */
  apiRoot: string;
  token: string;
  /** The HTTP agent (keep-alive by default, one per caller). */
  agent?: Agent;
  /** A call unanswered for this long is given up (the sender retries it). */
  timeoutMs: number;
}

/** The answer of the Bot API, as far as this reads it. */
interface BotApiAnswer {
  ok?: unknown;
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** How every accepted answer of the Bot API begins. */
const ACCEPTED = '{"ok":true';

function checkAnswer(method: string, payload: Record<string, unknown>, text: string): void {
  if (text.startsWith(ACCEPTED)) return;
  let answer: BotApiAnswer;
  try {
    answer = JSON.parse(text) as BotApiAnswer;
  } catch {
    throw new Error(`the Bot API answered ${method} with something other than JSON`);
  }
  if (answer.ok === true) return;
  const errorCode = typeof answer.error_code === 'number' ? answer.error_code : 0;
  const description = typeof answer.description === 'string' ? answer.description : 'no description';
  throw new GrammyError(`Call to '${method}' failed!`, { ok: false, error_code: errorCode, description, ...(answer.parameters === undefined ? {} : { parameters: answer.parameters }) }, method, payload);
}

/** Creates the caller; each method URL is parsed once (bot-api-fetch.ts keeps them). */
export function createJsonCaller(options: JsonCallerOptions): JsonCall {
  const base = `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}/`;
  const https = base.startsWith('https:');
  const send = https ? httpsRequest : httpRequest;
  const agent = options.agent ?? (https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }));
  return (method, payload) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(payload);
      const request = send(
        {
          ...targetOf(base + method).options,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          agent,
        },
        (response) => {
          readAll(response).then((text) => {
            try {
              checkAnswer(method, payload, text);
              resolve();
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          }, reject);
        },
      );
      request.setTimeout(options.timeoutMs, () => request.destroy(new Error(`the Bot API did not answer ${method} within ${options.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
}
