/**
 * The logger shape the core depends on: pino's, narrowed to what we call, so core modules can be
 * given pino's child loggers in production and a silent logger in tests.
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
