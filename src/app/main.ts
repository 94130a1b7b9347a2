/**
 * The composition root: the only place that reads the configuration, builds the store, the engine
 * and the adapters, and wires them together. Everything else receives what it needs.
 */
import path from 'node:path';
import { pino } from 'pino';
import { allFlows } from '../../flows/index.js';
import { runConsole } from '../adapters/console/console-adapter.js';
import { createShiftedClock, createSystemClock, type Clock } from '../kernel/clock.js';
import { loadEvent, type EventData } from '../domain/event.js';
import { loadI18n, type I18n } from '../kernel/i18n.js';
import { checkFlowMessages } from '../flow/define.js';
import { hasNoPlatform, loadConfig, type Config } from './config.js';
import { createMetrics, type Metrics } from './metrics.js';
import { EVENT_FILE, LOCALES_DIR, REMINDERS_FILE } from './paths.js';
import { createHandler, platformAdapters, runService, type RunningService } from './service.js';
import { CONSOLE_RATE_LIMIT } from '../bot/rate-limit.js';
import { loadReminderRules, type ReminderRules } from '../reminders/rules.js';
import { qaKnowledge } from '../qa/answer.js';
import { checkQaKnowledge } from '../qa/knowledge.js';
import { instrumentStampedStore, instrumentStore } from '../store/instrumented-store.js';
import { connectRedisStore } from '../store/redis-store.js';
import { withSessionCache, type CachedSessionStore } from '../store/session-cache.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { SessionStore, Store } from '../store/store.js';


/** Who talks in the console chat. */
export interface ConsoleUser {
  id: string;
  displayName: string;
  localeHint?: string;
}

/** Everything the bot is built from, checked: a failure here stops the start with a clear message. */
export interface App {
  config: Config;
  log: pino.Logger;
  event: EventData;
  i18n: I18n;
  store: Store;
  /** The sessions the engine works on: the store itself, or over Redis the session cache in front of it. */
  sessions: SessionStore | CachedSessionStore;
  clock: Clock;
  metrics: Metrics;
  reminderRules: ReminderRules;
}

/** The root logger: JSON to stderr (stdout belongs to the console chat), secrets and personal data redacted. */
export function createRootLogger(level: string): pino.Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['token', '*.token', 'config.*TOKEN', 'config.*SECRET', 'phone', '*.phone', 'fax', '*.fax', 'email', '*.email', 'text', '*.text', 'values', '*.values'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}

/**
 * Opens the configured store, every call counted for /metrics: Redis when REDIS_URL is set (waiting
 * for it with backoff), else SQLite. Over Redis the engine's sessions go through the session cache,
 * so an answer in a draft this process holds costs one round trip. SQLite gets none: its calls make
 * no round trip to save, and its rows keep no write token to tell a held copy from a session made
 * again at the same version by another process on the file.
 */
async function openStore(config: Config, log: pino.Logger, metrics: Metrics): Promise<Pick<App, 'store' | 'sessions'>> {
  const count = (operation: keyof Store): void => metrics.storeRoundTrip(operation);
  if (config.REDIS_URL === undefined) {
    const store = instrumentStore(createSqliteStore({ file: path.resolve(config.DATA_DIR, 'sciweek.db') }), count);
    return { store, sessions: store };
  }
  const redis = await connectRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_KEY_PREFIX, log, maxWaitMs: Number.POSITIVE_INFINITY });
  const store = instrumentStampedStore(redis, count);
  return { store, sessions: withSessionCache(store) };
}

/** Reads the configuration and data and opens the store. */
export async function createApp(env: Record<string, string | undefined>): Promise<App> {
  const config = loadConfig(env);
  const log = createRootLogger(config.LOG_LEVEL ?? (hasNoPlatform(config) ? 'warn' : 'info'));
  const event = loadEvent(EVENT_FILE);
  const i18n = loadI18n(LOCALES_DIR);
  for (const flow of allFlows) checkFlowMessages(flow, i18n);
  checkQaKnowledge(qaKnowledge, event, i18n);
  const reminderRules = loadReminderRules(REMINDERS_FILE, event);
  const metrics = createMetrics({ withDefaults: true });
  const { store, sessions } = await openStore(config, log, metrics);
  const clock = config.SCIWEEK_NOW === undefined ? createSystemClock() : createShiftedClock(new Date(config.SCIWEEK_NOW));
  return { config, log, event, i18n, store, sessions, clock, metrics, reminderRules };
}

/** Runs the console chat on stdin/stdout until the input ends, then closes the store. */
export async function runConsoleChat(app: App, user: ConsoleUser): Promise<void> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const t = app.i18n.forLocale(app.config.DEFAULT_LOCALE);
  try {
    await runConsole({
      // One local person (or their piped script): the same limit's code path, at a rate that never slows a script.
      handler: createHandler(app, undefined, CONSOLE_RATE_LIMIT),
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
