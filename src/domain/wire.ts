/**
 * The stored form of what passes through the durable inbox and the outbox: an update (its Inbound and
 * the adapter's route) and a message's replies, as JSON text. Bytes (a file reply) travel as base64,
 * the arrival time as an ISO string. Decoding checks the shape it relies on and throws a TypeError
 * on anything else, so a damaged entry is refused, never half-read.
 */
import type { Inbound } from './inbound.js';
import type { ChatReply, PrivateReply, Reply } from './reply.js';
import { isRecord } from '../kernel/json.js';

/** An update as the inbox keeps it: the neutral message and how its adapter answers it. */
export interface InboxUpdate {
  inbound: Inbound;
  /** The adapter's own address of the answer (encoded by the adapter); '' when it needs none. */
  route: string;
}

/** A file reply's bytes as stored: base64 text in place of the Uint8Array. */
const BYTES = '$bytes';

/** A reply as stored: a file's bytes as base64, also inside a private reply (every other reply is JSON as it is). */
function storedReply(reply: Reply): unknown {
  if (reply.kind === 'private') {
    return { ...reply, replies: reply.replies.map(storedReply), sent: reply.sent.map(storedReply), refused: reply.refused.map(storedReply) };
  }
  if (reply.kind !== 'file') return reply;
  const { data, ...rest } = reply;
  return { ...rest, data: { [BYTES]: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') } };
}

/** A stored reply read back: a file's base64 turned into bytes again. */
function readReply(value: unknown): Reply {
  if (!isRecord(value) || typeof value['kind'] !== 'string') throw new TypeError('outbox entry: not a reply');
  if (value['kind'] === 'private') return readPrivateReply(value);
  if (value['kind'] !== 'file') return value as unknown as Reply;
  const data = value['data'];
  const base64 = isRecord(data) ? data[BYTES] : undefined;
  if (typeof base64 !== 'string') throw new TypeError('outbox entry: a file reply without its bytes');
  return { ...(value as unknown as Reply & { kind: 'file' }), data: new Uint8Array(Buffer.from(base64, 'base64')) };
}

/** The replies of one part of a stored private reply; a private reply never holds another. */
function readChatReplies(value: unknown): ChatReply[] {
  if (!Array.isArray(value)) throw new TypeError('outbox entry: a private reply without its replies');
  const parts: unknown[] = value;
  return parts.map((part) => {
    const reply = readReply(part);
    if (reply.kind === 'private') throw new TypeError('outbox entry: a private reply inside another');
    return reply;
  });
}

function readPrivateReply(value: Record<string, unknown>): PrivateReply {
  const userId = value['userId'];
  if (typeof userId !== 'string' || userId === '') throw new TypeError('outbox entry: a private reply without its user');
  return { kind: 'private', userId, replies: readChatReplies(value['replies']), sent: readChatReplies(value['sent']), refused: readChatReplies(value['refused']) };
}

/** Encodes an update for the inbox. */
export function encodeUpdate(update: InboxUpdate): string {
  // An Inbound holds no bytes (files are platform references), so plain JSON carries it.
  return JSON.stringify({ v: 1, route: update.route, inbound: { ...update.inbound, receivedAt: update.inbound.receivedAt.toISOString() } });
}

/** Decodes an update read from the inbox; throws a TypeError when it is not one. */
export function decodeUpdate(text: string): InboxUpdate {
  const parsed: unknown = JSON.parse(text);
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
  return JSON.stringify({ v: 1, replies: replies.map(storedReply) });
}

/** Decodes replies read from the outbox; throws a TypeError when they are not. */
export function decodeReplies(text: string): Reply[] {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || parsed['v'] !== 1 || !Array.isArray(parsed['replies'])) throw new TypeError('outbox entry: not replies');
  const replies: unknown[] = parsed['replies'];
  return replies.map(readReply);
}
