/**
 * Bolt and the Slack SDKs log through their own Logger interface; this bridges it to our pino child
 * logger, so their lines are JSON with the rest (and redacted like the rest).
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../kernel/logger.js';

function line(parts: unknown[]): { msg: string; data: Record<string, unknown> } {
  const text = parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  const err = parts.find((part) => part instanceof Error);
  return { msg: text.slice(0, 500), data: err === undefined ? {} : { err } };
}

/** A Bolt logger writing to `log` (constant message, the SDK's words in a field). */
export function toBoltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: (...parts: unknown[]) => log.debug({ sdk: line(parts).msg }, 'slack sdk'),
    info: (...parts: unknown[]) => log.info({ sdk: line(parts).msg }, 'slack sdk'),
    warn: (...parts: unknown[]) => log.warn({ sdk: line(parts).msg, ...line(parts).data }, 'slack sdk'),
    error: (...parts: unknown[]) => log.error({ sdk: line(parts).msg, ...line(parts).data }, 'slack sdk'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
