/**
 * Versioned envelopes: how every stored value is written (`{ "v": 1, "data": … }` as JSON) and read
 * back. Reading parses with zod and turns anything unreadable — bad JSON, another envelope version,
 * data of the wrong shape — into `undefined`, so a damaged or foreign row is a miss, never a throw.
 * Shared by both stores so they agree byte for byte on what a value looks like.
 */
import { z } from 'zod';
import { filingSchema, type Filing } from '../core/filing.js';
import { parseJsonSafely } from '../core/json.js';
import { sessionDataSchema, type SessionData } from '../core/session.js';
import type { AuditEntry } from './store.js';

/** The envelope version this code writes and the only one it reads; bump it with a migration. */
export const ENVELOPE_VERSION = 1;

/** zod schema of an {@link AuditEntry}, so audit rows are validated on read like everything else. */
export const auditEntrySchema: z.ZodType<AuditEntry> = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.enum(['filing.submitted', 'filing.updated', 'filing.withdrawn', 'filing.reopened']),
  receipt: z.string(),
  formId: z.string(),
});

/** Wraps a value in the current envelope and serialises it; the one way values are written. */
export function toEnvelopeJson(data: SessionData | Filing | AuditEntry): string {
  return JSON.stringify({ v: ENVELOPE_VERSION, data });
}

function parseEnvelope<T>(text: string, schema: z.ZodType<T>): T | undefined {
  let raw: unknown;
  try {
    raw = parseJsonSafely(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  if (!('v' in raw) || raw.v !== ENVELOPE_VERSION || !('data' in raw)) return undefined;
  const parsed = schema.safeParse(raw.data);
  return parsed.success ? parsed.data : undefined;
}

/** Reads a session envelope; undefined when it cannot be trusted. */
export function parseSessionEnvelope(text: string): SessionData | undefined {
  return parseEnvelope(text, sessionDataSchema);
}

/** Reads a filing envelope; undefined when it cannot be trusted. */
export function parseFilingEnvelope(text: string): Filing | undefined {
  return parseEnvelope(text, filingSchema);
}

/** Reads an audit envelope; undefined when it cannot be trusted. */
export function parseAuditEnvelope(text: string): AuditEntry | undefined {
  return parseEnvelope(text, auditEntrySchema);
}
