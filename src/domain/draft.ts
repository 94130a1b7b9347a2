/**
 * The state of one form in progress (a draft). It lives inside the chat session, so it survives
 * restarts, and it is plain JSON so both stores keep it unchanged.
 */
import { z } from 'zod';
import { jsonValueSchema } from '../kernel/json.js';

/** Where the draft stands: asking a field, confirming a warned value, or showing the summary. */
export const flowCursorSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('field'),
    fieldId: z.string(),
    /** In a repeating group: the row (0-based) and the column being asked; neither means its row menu. */
    row: z.number().int().min(0).optional(),
    sub: z.string().optional(),
  }),
  z.object({ kind: z.literal('confirm'), fieldId: z.string(), value: jsonValueSchema, warning: z.string() }),
  z.object({ kind: z.literal('summary') }),
]);

/** A {@link flowCursorSchema} value. */
export type FlowCursor = z.infer<typeof flowCursorSchema>;

/** zod schema of a draft. */
export const flowStateSchema = z.object({
  flowId: z.string(),
  /** A short random id of this draft, carried in its buttons: a button of an older draft is stale. */
  draftId: z.string().regex(/^[a-z0-9]{1,8}$/).optional(),
  flowVersion: z.number().int().positive(),
  /** A new filing, or changes to an existing one (by receipt, at the version it was read). */
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('new') }),
    z.object({ kind: z.literal('edit'), receipt: z.string(), filingVersion: z.number().int().positive() }),
  ]),
  values: z.record(z.string(), jsonValueSchema),
  cursor: flowCursorSchema,
  /** Set while a field is re-asked from the summary (修改 N): answering returns to the summary. */
  fromSummary: z.boolean(),
  /** Set while the user is asked whether to discard the draft (after 取消); the next message answers. */
  discarding: z.boolean().exactOptional(),
});

/** A draft in progress. */
export type FlowState = z.infer<typeof flowStateSchema>;
