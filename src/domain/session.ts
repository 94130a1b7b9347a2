/**
 * The chat session: what the bot remembers about one user in one chat between messages. Keyed by
 * platform + chat + user, so members of one group never share a draft.
 */
import { z } from 'zod';
import { localeSchema } from '../kernel/locale.js';
import { flowStateSchema } from './draft.js';

/** Identifies one session. */
export interface SessionKey {
  platform: string;
  chatId: string;
  userId: string;
}

/** zod schema of the session data. */
export const sessionDataSchema = z.object({
  /** The language the user chose with /lang; it wins over every guess. */
  locale: localeSchema.optional(),
  /** The language guessed from what the user wrote, kept until a clear sign of the other one. */
  guessedLocale: localeSchema.optional(),
  /** The district (区市) this user files for; asked once, remembered, changeable. */
  district: z.string().optional(),
  /** The draft in progress, if any. */
  flow: flowStateSchema.optional(),
  /** A message at a step of the draft that may be a question or the step's answer, until the user says which. */
  held: z.object({ text: z.string(), step: z.string() }).optional(),
  /** Set by /ask while a draft is open: the next message is a question, not an answer. */
  asking: z.boolean().optional(),
  /** A yes/no question outside a form: the command a typed yes runs, and the one a typed no runs. */
  confirming: z.object({ yes: z.string(), no: z.string() }).optional(),
  /**
   * The last whole form (a Slack modal) this user filed: its view, a digest of its answers and its
   * receipt, so the same form submitted again answers with that receipt instead of filing twice.
   */
  lastForm: z.object({ viewId: z.string().optional(), digest: z.string(), receipt: z.string(), at: z.string() }).optional(),
});

/** The session data. */
export type SessionData = z.infer<typeof sessionDataSchema>;

/** A session as stored: the data and its compare-and-set version (1 after the first save). */
export interface StoredSession {
  version: number;
  data: SessionData;
}
