/**
 * `npm start`: the console chat when no platform token is set, else the service until a signal or a
 * fatal adapter error. The app is built in app.ts and the service in service.ts; this module only
 * chooses between them and owns the process's signals.
 */
import type { pino } from 'pino';
import { runConsole } from '../adapters/console/console-adapter.js';
import { CONSOLE_RATE_LIMIT } from '../bot/rate-limit.js';
import { createApp, createAppBot, type App } from './app.js';
import { hasNoPlatform } from './config.js';
import { platformAdapters, runService, type RunningService } from './service.js';

/** Who talks in the console chat. */
export interface ConsoleUser {
  id: string;
  displayName: string;
  localeHint?: string;
}

/** Runs the console chat on stdin/stdout until the input ends, then closes the store. */
export async function runConsoleChat(app: App, user: ConsoleUser): Promise<void> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const t = app.i18n.forLocale(app.config.DEFAULT_LOCALE);
  try {
    await runConsole({
      // One local person (or their piped script): the same limit's code path, at a rate that never slows a script.
      handler: createAppBot(app, CONSOLE_RATE_LIMIT),
      input: process.stdin,
      output: process.stdout,
      interactive,
      user,
      banner: t('console.banner', { event: app.event.name[app.config.DEFAULT_LOCALE] }),
      fileNotFound: (filePath) => t('console.file_not_found', { path: filePath }),
    });
  } finally {
    await app.store.close();
  }
}

/** Stops the service on SIGTERM or SIGINT, and exits 0 once everything is closed. */
function stopOnSignals(service: RunningService, log: pino.Logger): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'stopping');
    // The stop is bounded (adapters abandon what is left after their grace); this is the backstop.
    setTimeout(() => {
      log.error({}, 'stop timed out, exiting');
      process.exit(1);
    }, 9_500).unref();
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** `npm start`: every platform whose token is set, or the console chat when none is. */
export async function start(env: Record<string, string | undefined>, user: ConsoleUser): Promise<void> {
  const app = await createApp(env);
  if (hasNoPlatform(app.config)) {
    await runConsoleChat(app, user);
    return;
  }
  let service: RunningService;
  try {
    service = await runService(app, await platformAdapters(app));
  } catch (error) {
    await app.store.close();
    throw error;
  }
  stopOnSignals(service, app.log);
  const error = await service.failed;
  await service.stop();
  throw error;
}
