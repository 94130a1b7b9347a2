/**
 * The route of a Slack update: how its answer finds its way back once the update has gone through the
 * durable inbox — the destination (channel, the one user of an ephemeral answer, the thread, the
 * trigger id a modal needs, the chat a modal belongs to) and, for a pressed button, the pressed
 * message as it is to look with its buttons retired. It travels as JSON text with the update and its
 * answers; a route that cannot be read (empty, damaged) sends the answer to the update's chat.
 */
import { isRecord, parseJsonSafely } from '../../kernel/json.js';
import type { SlackBlock } from './render.js';
import type { SlackDestination } from './sender.js';

/** A pressed message as it is to read once its buttons are gone (see retireButtons). */
export interface RetiredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: SlackBlock[];
}

/** Where an update's answer goes, and what is done before it. */
export interface SlackRoute extends SlackDestination {
  /** The pressed message to update before the answer (a button press). */
  retire?: RetiredMessage;
}

const OPTIONAL_KEYS = ['ephemeralTo', 'threadTs', 'triggerId', 'formChat'] as const;

/** The route as the inbox and the outbox keep it. */
export function encodeRoute(route: SlackRoute): string {
  return JSON.stringify(route);
}

function readRetired(value: unknown): RetiredMessage | undefined {
  if (!isRecord(value)) return undefined;
  const { channel, ts, text, blocks } = value;
  if (typeof channel !== 'string' || typeof ts !== 'string' || typeof text !== 'string' || !Array.isArray(blocks)) return undefined;
  const kept: unknown[] = blocks;
  return kept.every(isRecord) ? { channel, ts, text, blocks: kept } : undefined;
}

/** Reads a route back; anything that is not one addresses the answer to `chatId`. */
export function decodeRoute(text: string, chatId: string): SlackRoute {
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : parseJsonSafely(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed) || typeof parsed['channel'] !== 'string' || parsed['channel'] === '') return { channel: chatId };
  const route: SlackRoute = { channel: parsed['channel'] };
  for (const key of OPTIONAL_KEYS) {
    const value = parsed[key];
    if (typeof value === 'string' && value !== '') route[key] = value;
  }
  const retire = readRetired(parsed['retire']);
  if (retire !== undefined) route.retire = retire;
  return route;
}
