/**
 * What the bot asks of the layers above it, as ports the composition root fills: the staff's handle
 * on reminders (the dispatcher runs beside the adapters), the export files (XLSX, DOCX, CSV are
 * built by src/export), and whether someone administers a group chat (only the platform knows). The
 * bot names what it needs; it never imports the code that does it.
 */
import type { EventData } from '../domain/event.js';
import type { Filing } from '../domain/filing.js';
import type { FieldContext, FlowDefinition } from '../flow/define.js';
import type { Declaration, ReminderOutcome } from '../domain/records.js';

/** The staff's handle on reminders (`/remind preview | send <rule> | log`); absent without a platform. */
export interface RemindersPort {
  /** What would be sent now, one line each. */
  preview(): Promise<string[]>;
  /** Sends a wave now (one rule, or every due one) under the same claims as the scheduled waves. */
  send(ruleId: string | undefined): Promise<{ leader: boolean; due: number; sent: number; unreachable: number; failed: number; skipped: number }>;
  /** Recent outcomes, newest first. */
  log(limit: number): Promise<ReminderOutcome[]>;
}

/** The export file formats. */
export type ExportFormat = 'xlsx' | 'docx' | 'csv';

/** What an export is made of. */
export interface ExportInput {
  format: ExportFormat;
  /** One form only (CSV always names one). */
  formId?: string;
  event: EventData;
  flows: readonly FlowDefinition[];
  filings: readonly Filing[];
  declarations: readonly Declaration[];
  fieldContext: FieldContext;
}

/** An exported file. */
export interface ExportFile {
  name: string;
  mime: string;
  data: Uint8Array;
}

/** Builds an export file from the filings. */
export type ExportPort = (input: ExportInput) => Promise<ExportFile>;

/**
 * Whether a user administers a group chat, asked of that chat's platform (Telegram: the group's
 * creator or an administrator; Slack: a workspace admin or owner). False when the platform cannot
 * tell; it may reject when the platform fails (the engine then takes it as false).
 */
export type ChatAdminPort = (who: { platform: string; chatId: string; userId: string }) => Promise<boolean>;
