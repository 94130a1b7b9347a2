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

/**
 * A child of `log` made on its first use: a message that logs nothing (the usual case) does not pay
 * for a child logger (pino serialises the bindings when the child is made).
 */
export function lazyChild(log: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const get = (): Logger => (child ??= log.child(bindings));
  return {
    debug: (obj, msg) => get().debug(obj, msg),
    info: (obj, msg) => get().info(obj, msg),
    warn: (obj, msg) => get().warn(obj, msg),
    error: (obj, msg) => get().error(obj, msg),
    child: (more) => get().child(more),
  };
}
