/**
 * The Telegram webhook route: the secret token is compared in constant time (401 otherwise), the
 * body is size-limited and parsed without prototype pollution, and Telegram gets its 200 only once
 * the update is kept (the durable inbox); it is handled after. A 200 is a promise to handle the
 * update: when it cannot be kept, or the service stops taking updates (checked again after the body
 * is read), the call gets 503, so Telegram keeps the update and sends it again.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';
import { parseJsonSafely } from '../../kernel/json.js';
import type { Logger } from '../../kernel/logger.js';

/** The largest update body accepted; Telegram's are far smaller. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** True when both strings are equal, in time that does not depend on where they differ. */
export function secretsMatch(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** Reads a body up to `limit` bytes; undefined when it is larger. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function isUpdate(value: unknown): value is Update {
  return typeof value === 'object' && value !== null && typeof (value as { update_id?: unknown }).update_id === 'number';
}

/** Builds the route handler; `accept` keeps each valid update before the response is sent. */
export function createWebhookHandler(deps: {
  secret: string;
  log: Logger;
  accepting: () => boolean;
  /** Keeps the update; a rejection answers 503 and Telegram sends it again. */
  accept: (update: Update) => Promise<void>;
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const answer = (res: ServerResponse, status: number): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(status === 200 ? '' : `${status}\n`);
  };
  return async (req, res) => {
    const header = req.headers['x-telegram-bot-api-secret-token'];
    if (!secretsMatch(typeof header === 'string' ? header : undefined, deps.secret)) {
      deps.log.warn({}, 'webhook call with a wrong secret');
      req.resume();
      answer(res, 401);
      return;
    }
    if (!deps.accepting()) {
      req.resume();
      answer(res, 503);
      return;
    }
    const body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
    if (body === undefined) {
      answer(res, 413);
      return;
    }
    let update: unknown;
    try {
      update = parseJsonSafely(body.toString('utf8'));
    } catch {
      answer(res, 400);
      return;
    }
    if (!isUpdate(update)) {
      answer(res, 400);
      return;
    }
    // Stopping began while the body was read: not taken, Telegram resends it.
    if (!deps.accepting()) {
      answer(res, 503);
      return;
    }
    try {
      await deps.accept(update);
    } catch (err) {
      deps.log.warn({ err }, 'webhook update not kept; Telegram will send it again');
      answer(res, 503);
      return;
    }
    answer(res, 200);
  };
}
