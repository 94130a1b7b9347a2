/**
 * The stored form of what passes through the durable inbox and the outbox: an update (its Inbound and
 * the adapter's route) and a message's replies, as JSON text. Bytes (a file reply) travel as base64,
 * the arrival time as an ISO string. Decoding checks the shape it relies on and throws a TypeError
 * on anything else, so a damaged entry is refused, never half-read.
 */
import type { Inbound } from './inbound.js';
import type { Reply } from './reply.js';

/** An update as the inbox keeps it: the neutral message and how its adapter answers it. */
export interface InboxUpdate {
  inbound: Inbound;
  /** The adapter's own address of the answer (encoded by the adapter); '' when it needs none. */
  route: string;
}

const BYTES = '$bytes';

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { [BYTES]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const bytes = (value as Record<string, unknown>)[BYTES];
    if (typeof bytes === 'string' && Object.keys(value).length === 1) return new Uint8Array(Buffer.from(bytes, 'base64'));
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Encodes an update for the inbox. */
export function encodeUpdate(update: InboxUpdate): string {
  return JSON.stringify({ v: 1, route: update.route, inbound: { ...update.inbound, receivedAt: update.inbound.receivedAt.toISOString() } }, replacer);
}

/** Decodes an update read from the inbox; throws a TypeError when it is not one. */
export function decodeUpdate(text: string): InboxUpdate {
  const parsed: unknown = JSON.parse(text, reviver);
  if (!isRecord(parsed) || parsed['v'] !== 1 || typeof parsed['route'] !== 'string' || !isRecord(parsed['inbound'])) {
    throw new TypeError('inbox entry: not an update');
  }
  const inbound = parsed['inbound'];
  const chat = inbound['chat'];
  const user = inbound['user'];
  const receivedAt = new Date(String(inbound['receivedAt']));
  if (typeof inbound['platform'] !== 'string' || !isRecord(chat) || typeof chat['id'] !== 'string' || !isRecord(user) || typeof user['id'] !== 'string' || Number.isNaN(receivedAt.getTime())) {
    throw new TypeError('inbox entry: not a message');
  }
  return { route: parsed['route'], inbound: { ...(inbound as unknown as Inbound), receivedAt } };
}

/** Encodes a message's replies for the outbox. */
export function encodeReplies(replies: readonly Reply[]): string {
  return JSON.stringify({ v: 1, replies }, replacer);
}

/** Decodes replies read from the outbox; throws a TypeError when they are not. */
export function decodeReplies(text: string): Reply[] {
  const parsed: unknown = JSON.parse(text, reviver);
  if (!isRecord(parsed) || parsed['v'] !== 1 || !Array.isArray(parsed['replies'])) throw new TypeError('outbox entry: not replies');
  const replies: unknown[] = parsed['replies'];
  for (const reply of replies) {
    if (!isRecord(reply) || typeof reply['kind'] !== 'string') throw new TypeError('outbox entry: not a reply');
  }
  return replies as Reply[];
}
