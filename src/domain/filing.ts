/**
 * A filing: one submitted form (a key project, an exhibitor, …). It is what staff count and export,
 * so it is stored apart from the chat session that produced it, under its receipt number.
 */
import { z } from 'zod';
import { jsonValueSchema } from '../kernel/json.js';

/** zod schema of a stored filing. */
export const filingSchema = z.object({
  receipt: z.string().min(1),
  eventId: z.string().min(1),
  formId: z.string().min(1),
  flowVersion: z.number().int().positive(),
  district: z.string().optional(),
  ownerKey: z.string().min(1),
  ownerName: z.string(),
  values: z.record(z.string(), jsonValueSchema),
  status: z.enum(['submitted', 'withdrawn']),
  reopened: z.boolean(),
  version: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One stored filing; `version` grows by one on every write (compare-and-set). */
export type Filing = z.infer<typeof filingSchema>;

/** Who owns a filing, as one string: `platform:userId`. */
export function toOwnerKey(platform: string, userId: string): string {
  return `${platform}:${userId}`;
}
