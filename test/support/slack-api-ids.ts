/**
 * Identifiers shared by the Slack stand-ins: the default workspace (team, app, bot user, tokens), and
 * generators of Slack-shaped ids — message timestamps (`"1700000000.000100"`, strictly increasing),
 * view ids (`V…`), trigger ids (`12345.98765.<hex>`) and DM channel ids (`D…`).
 */
import { randomBytes } from 'node:crypto';

/** The default workspace every stand-in and payload builder uses unless told otherwise. */
export const SLACK_DEFAULTS = {
  teamId: 'T0SCIWEEK',
  teamDomain: 'sciweek-test',
  teamName: 'SciWeek Test',
  apiAppId: 'A0SCIWEEK',
  botUserId: 'U0SCIBOT',
  botUserName: 'sciweek_bot',
  botId: 'B0SCIBOT',
  botToken: 'xoxb-0000-sciweek-test-bot-token',
  appToken: 'xapp-1-A0SCIWEEK-0000-sciweek-test-app-token',
  /** The deprecated verification `token` field Slack still puts in event, command and interaction bodies. */
  verificationToken: 'sciweekLegacyVerificationTok',
} as const;

/** A JSON object as Slack sends and receives it. */
export type JsonObject = { [field: string]: unknown };

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let lastMicros = 0;

/** A fresh message timestamp: `<seconds>.<6-digit micros>`, strictly greater than every earlier one. */
export function nextTs(): string {
  lastMicros = Math.max(lastMicros + 100, Date.now() * 1000);
  const seconds = Math.floor(lastMicros / 1_000_000);
  return `${seconds}.${String(lastMicros % 1_000_000).padStart(6, '0')}`;
}

let counter = 0;

/** A fresh Slack-looking id: `prefix` + 10 upper-case base-36 characters, unique within the process. */
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${counter.toString(36).toUpperCase().padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** A fresh trigger id shaped like Slack's (`<digits>.<digits>.<32 hex>`). */
export function nextTriggerId(): string {
  counter += 1;
  return `${Date.now()}${counter}.${(Date.now() % 1e10) + counter}.${randomBytes(16).toString('hex')}`;
}

/** The DM channel id the stand-in uses for the bot's conversation with a user (`U123` → `D123`). */
export function dmChannelOf(userId: string): string {
  return `D${userId.slice(1)}`;
}
