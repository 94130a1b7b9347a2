/**
 * Where log lines go, and the one gate they pass: every line the root logger writes goes through
 * `redactLogLine` (src/kernel/redact.ts) on its way to stderr. Lines that do not start in our code
 * are brought to that gate too: the Slack SDKs log through the Bolt bridge (bolt-logger.ts), and
 * grammY and ioredis print through the `debug` package (`DEBUG=grammy*,ioredis:*`), whose output is
 * taken here and written as our JSON lines (`ns` the debug namespace, `sdk` the text) at `debug`.
 */
import { createRequire } from 'node:module';
import { format } from 'node:util';
import { pino } from 'pino';
import type { Logger } from '../kernel/logger.js';
import { redactForeign, redactLogLine } from '../kernel/redact.js';

/** A pino destination on a file descriptor that writes each line redacted. */
export function redactingDestination(fd: number): pino.DestinationStream & Pick<ReturnType<typeof pino.destination>, 'flush' | 'flushSync'> {
  const out = pino.destination(fd);
  return {
    write: (line: string) => {
      out.write(redactLogLine(line));
    },
    // The destination flushes itself at exit; these serve pino's `fatal` and `logger.flush()`.
    flush: (cb) => out.flush(cb),
    flushSync: () => out.flushSync(),
  };
}

/** The part of the `debug` package this module replaces. */
interface DebugModule {
  log: (this: { namespace?: string }, ...args: unknown[]) => void;
  formatArgs: (args: unknown[]) => void;
  formatters: Record<string, (value: unknown) => string>;
}

/** The SDKs whose `debug` output is routed. */
const DEBUG_USERS = ['grammy', 'ioredis'] as const;

/** The `debug` module each SDK resolves (normally one shared copy); none for an SDK not installed. */
function debugModules(): Set<DebugModule> {
  const here = createRequire(import.meta.url);
  const modules = new Set<DebugModule>();
  for (const sdk of DEBUG_USERS) {
    try {
      modules.add(createRequire(here.resolve(sdk))('debug') as DebugModule);
    } catch {
      // The SDK, or its `debug`, is not installed: it prints nothing to route.
    }
  }
  return modules;
}

/**
 * Sends the `debug` package's output to `log` instead of raw stderr. An object interpolated with
 * `%o`, `%O` or `%j` (ioredis prints each command's arguments, which hold sessions and filings) is
 * rendered as a foreign structure, keeping only ids and numbers; the line itself is then redacted as
 * free text like every other. The namespaces enabled stay the `DEBUG` variable's; the lines appear at
 * LOG_LEVEL=debug. The last logger given receives the output (one root logger per process).
 */
export function routeDebugOutput(log: Logger): void {
  const render = (value: unknown): string => JSON.stringify(redactForeign(value)) ?? 'undefined';
  for (const debug of debugModules()) {
    for (const letter of ['o', 'O', 'j']) debug.formatters[letter] = render;
    // No colours, dates or namespace prefix: the namespace becomes a field.
    debug.formatArgs = () => undefined;
    debug.log = function (this: { namespace?: string }, ...args: unknown[]) {
      log.debug({ ns: this.namespace, sdk: format(...args) }, 'sdk debug');
    };
  }
}
