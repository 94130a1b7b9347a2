/**
 * The logger shape the core depends on: pino's, narrowed to what we call, so core modules can be
 * given pino's child loggers in production and a silent logger in tests.
 *
 * Log ids, counts and outcomes. The root logger redacts every line on its way out
 * (`redactLogRecord`, src/kernel/redact.ts): whatever sits under a personal or secret key (`text`,
 * `values`, `…name`, `email`, `phone`, `address`, `…token`, …) is replaced and every string is scrubbed
 * of e-mails, phone numbers and tokens; an SDK's free text goes in the `sdk` field, where embedded JSON
 * keeps only ids and statuses. The redaction is the safety net, not the licence to log content.
 */

/** Structured log calls: data in the object, a constant message string. */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/**
 * A child of `log` made on its first use: a message that logs nothing (the usual case) does not pay
 * for a child logger (pino serialises the bindings when the child is made). One object per message.
 */
export function lazyChild(log: Logger, bindings: Record<string, unknown>): Logger {
  return new LazyChild(log, bindings);
}

class LazyChild implements Logger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private get log(): Logger {
    return (this.made ??= this.parent.child(this.bindings));
  }

  debug(obj: object, msg: string): void {
    this.log.debug(obj, msg);
  }

  info(obj: object, msg: string): void {
    this.log.info(obj, msg);
  }

  warn(obj: object, msg: string): void {
    this.log.warn(obj, msg);
  }

  error(obj: object, msg: string): void {
    this.log.error(obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return this.log.child(bindings);
  }
}
