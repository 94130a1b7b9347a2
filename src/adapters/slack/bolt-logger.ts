/**
 * Bolt and the Slack SDKs log through their own Logger interface; this bridges it to our pino child
 * logger, so their lines are JSON with the rest. What they say goes whole into the `sdk` field, which
 * the root logger's redaction reads as an SDK's free text (src/kernel/redact.ts): at debug the Web
 * API client prints request bodies and answers (users.info with a user's profile) and Bolt every
 * incoming payload, so embedded JSON keeps only ids and statuses there, and nothing is cut here
 * first (a cut body could not be read, and would be dropped).
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../kernel/logger.js';

function words(part: unknown): string {
  if (part instanceof Error) return part.message;
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return '[unserializable]';
  }
}

function line(parts: unknown[]): Record<string, unknown> {
  const text = parts.map(words).join(' ');
  const err = parts.find((part) => part instanceof Error);
  return err === undefined ? { sdk: text } : { sdk: text, err };
}

/** A Bolt logger writing to `log` (constant message, the SDK's words in a field). */
export function toBoltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: (...parts: unknown[]) => log.debug(line(parts), 'slack sdk'),
    info: (...parts: unknown[]) => log.info(line(parts), 'slack sdk'),
    warn: (...parts: unknown[]) => log.warn(line(parts), 'slack sdk'),
    error: (...parts: unknown[]) => log.error(line(parts), 'slack sdk'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
