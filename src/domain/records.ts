/**
 * The records the bot keeps beside sessions and filings: the audit trail of filings, "nothing to file"
 * declarations, group bindings, chats it can no longer reach and the reminder log. They are domain
 * data — status, exports, reminders and the handlers read and build them — so they live here, and the
 * stores (which only keep them) import them from here like everyone else.
 */
import type { JsonValue } from '../kernel/json.js';

/** One field changed by an edit: from what to what. */
export interface FieldChange {
  field: string;
  from: JsonValue;
  to: JsonValue;
}

/** An audit entry: who did what to which filing, and when (with the fields an edit changed). */
export interface AuditEntry {
  at: string;
  actor: string;
  action: 'filing.submitted' | 'filing.updated' | 'filing.withdrawn' | 'filing.reopened';
  receipt: string;
  formId: string;
  changes?: FieldChange[];
}

/** A district's declaration that it has nothing to file for a form ("no exhibit"): counts as done. */
export interface Declaration {
  eventId: string;
  district: string;
  formId: string;
  /** `platform:userId` of who declared it. */
  declaredBy: string;
  /** Their display name when they declared it, for staff views. */
  declaredByName?: string;
  at: string;
}

/** A group chat bound to a district: it gets that district's deadline reminders. */
export interface GroupBinding {
  platform: string;
  chatId: string;
  district: string;
  /** The group's title when bound, for staff lists. */
  title?: string;
  /** `platform:userId` of who bound it. */
  boundBy: string;
  boundAt: string;
}

/** A chat the bot can no longer write to (the user blocked the bot, the bot left the group). */
export interface UnreachableChat {
  platform: string;
  chatId: string;
  /** The platform's reason, e.g. `403 Forbidden: bot was blocked by the user` or `not_in_channel`. */
  reason: string;
  at: string;
}

/** What became of one reminder send. */
export interface ReminderOutcome {
  at: string;
  ruleId: string;
  platform: string;
  chatId: string;
  district: string;
  outcome: 'sent' | 'unreachable' | 'failed' | 'stale';
  detail?: string;
}
