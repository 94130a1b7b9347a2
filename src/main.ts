/**
 * The composition root: the only place that reads the configuration, builds the store, the engine
 * and the adapters, and wires them together. Everything else receives what it needs.
 */
import path from 'node:path';
import { pino } from 'pino';
import { allFlows } from '../flows/index.js';
import type { BotCommand } from 'grammy/types';
import type { PlatformAdapter } from './adapters/adapter.js';
import { createSlackAdapter } from './adapters/slack/slack-adapter.js';
import { createTelegramAdapter, type CommandMenu } from './adapters/telegram/telegram-adapter.js';
import { runConsole } from './adapters/console/console-adapter.js';
import { createShiftedClock, createSystemClock, type Clock } from './core/clock.js';
import { createEngine, type MessageHandler } from './core/engine.js';
import { loadEvent, type EventData } from './core/event.js';
import { loadI18n, type I18n } from './core/i18n.js';
import type { Locale } from './core/locale.js';
import { checkFlowMessages } from './flow/define.js';
import { hasNoPlatform, loadConfig, type Config } from './config.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { createMetrics, type Metrics } from './metrics.js';
import { EVENT_FILE, LOCALES_DIR } from './paths.js';
import { qaKnowledge } from './qa/answer.js';
import { checkQaKnowledge } from './qa/knowledge.js';
import { instrumentStore } from './store/instrumented-store.js';
import { connectRedisStore } from './store/redis-store.js';
import { createSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Platform re-deliveries are recognised for this long. */
export const DEDUPE_TTL_MS = DAY_MS;

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
  clock: Clock;
  metrics: Metrics;
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

/** Opens the configured store: Redis when REDIS_URL is set (waiting for it with backoff), else SQLite. */
async function openStore(config: Config, log: pino.Logger): Promise<Store> {
  if (config.REDIS_URL === undefined) return createSqliteStore({ file: path.resolve(config.DATA_DIR, 'sciweek.db') });
  return connectRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_KEY_PREFIX, log, maxWaitMs: Number.POSITIVE_INFINITY });
}

/** Reads the configuration and data and opens the store. */
export async function createApp(env: Record<string, string | undefined>): Promise<App> {
  const config = loadConfig(env);
  const log = createRootLogger(config.LOG_LEVEL ?? (hasNoPlatform(config) ? 'warn' : 'info'));
  const event = loadEvent(EVENT_FILE);
  const i18n = loadI18n(LOCALES_DIR);
  for (const flow of allFlows) checkFlowMessages(flow, i18n);
  checkQaKnowledge(qaKnowledge, event, i18n);
  const metrics = createMetrics({ withDefaults: true });
  const store = instrumentStore(await openStore(config, log), (operation) => metrics.storeRoundTrip(operation));
  const clock = config.SCIWEEK_NOW === undefined ? createSystemClock() : createShiftedClock(new Date(config.SCIWEEK_NOW));
  return { config, log, event, i18n, store, clock, metrics };
}

/** Builds the engine's message handler for an app. */
export function createHandler(app: App): MessageHandler {
  return createEngine({
    store: app.store,
    event: app.event,
    flows: allFlows,
    i18n: app.i18n,
    clock: app.clock,
    log: app.log.child({ module: 'engine' }),
    observer: app.metrics.observer,
    defaultLocale: app.config.DEFAULT_LOCALE,
    sessionTtlMs: app.config.SESSION_TTL_DAYS * DAY_MS,
    dedupeTtlMs: DEDUPE_TTL_MS,
    staff: new Set(app.config.STAFF_IDS),
  }).handle;
}

/** Runs the console chat on stdin/stdout until the input ends, then closes the store. */
export async function runConsoleChat(app: App, user: ConsoleUser): Promise<void> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const t = app.i18n.forLocale(app.config.DEFAULT_LOCALE);
  try {
    await runConsole({
      handler: createHandler(app),
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

/** A running service: its HTTP port and how to stop it. */
export interface RunningService {
  port: number;
  /** Stops intake, lets in-flight messages finish, closes the HTTP server and the store. */
  stop(): Promise<void>;
  /** Resolves with the error when an adapter cannot go on (e.g. two pollers on one token). */
  failed: Promise<Error>;
}

/** What the adapters of a service are built from. */
export interface AdapterDeps {
  handler: MessageHandler;
  http: HttpServer;
  /** An adapter that cannot go on calls this; the service then stops with the error. */
  fatal: (error: Error) => void;
}

/**
 * Runs the service: the HTTP server on PORT (health, readiness, metrics, and the adapters' routes),
 * then every adapter. `stop` undoes it in reverse order.
 */
export async function runService(
  app: App,
  makeAdapters: (deps: AdapterDeps) => PlatformAdapter[],
  host?: string,
): Promise<RunningService> {
  const http = createHttpServer({ ready: () => app.store.ping(), registry: app.metrics.registry, log: app.log.child({ module: 'http' }) });
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => {
    fail = resolve;
  });
  const adapters = makeAdapters({ handler: createHandler(app), http, fatal: (error) => fail(error) });
  const port = await http.listen(app.config.PORT, host);
  app.log.info({ port }, 'http server listening');
  for (const adapter of adapters) {
    await adapter.start();
    app.log.info({ platform: adapter.platform }, 'adapter started');
  }
  let stopping: Promise<void> | undefined;
  return {
    port,
    failed,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
        await http.close();
        await app.store.close();
        app.log.info({}, 'stopped');
      })()),
  };
}

/** The Telegram command menu in each language, from the locales. */
function telegramMenus(app: App): CommandMenu[] {
  const names = ['start', 'file', 'my', 'ask', 'help', 'cancel', 'lang', 'bind', 'unbind'];
  const menu = (locale: Locale): BotCommand[] => {
    const t = app.i18n.forLocale(locale);
    return names.map((command) => ({ command, description: t(`commands.${command}`) }));
  };
  return [{ commands: menu(app.config.DEFAULT_LOCALE) }, { languageCode: 'zh', commands: menu('zh-CN') }, { languageCode: 'en', commands: menu('en') }];
}

/** Records in the store that the bot cannot write to a chat of `platform`. */
function recordUnreachable(app: App, platform: string): (chatId: string, reason: string) => void {
  return (chatId, reason) => {
    app.store
      .markUnreachable({ platform, chatId, reason, at: new Date().toISOString() })
      .catch((err: unknown) => app.log.error({ err }, 'cannot record an unreachable chat'));
  };
}

/** The adapters the configuration asks for: Telegram and Slack when their tokens are set. */
export function platformAdapters(app: App): (deps: AdapterDeps) => PlatformAdapter[] {
  return ({ handler, http, fatal }) => {
    const adapters: PlatformAdapter[] = [];
    const { config } = app;
    if (config.TELEGRAM_BOT_TOKEN !== undefined) {
      const webhook =
        config.TELEGRAM_WEBHOOK_URL === undefined || config.TELEGRAM_WEBHOOK_SECRET === undefined
          ? undefined
          : { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET };
      adapters.push(
        createTelegramAdapter({
          token: config.TELEGRAM_BOT_TOKEN,
          apiRoot: config.TELEGRAM_API_ROOT,
          ...(webhook === undefined ? {} : { webhook }),
          handler,
          http,
          log: app.log,
          menus: telegramMenus(app),
          onUnreachable: recordUnreachable(app, 'telegram'),
          onFatal: fatal,
        }),
      );
    }
    if (config.SLACK_BOT_TOKEN !== undefined) {
      adapters.push(
        createSlackAdapter({
          botToken: config.SLACK_BOT_TOKEN,
          ...(config.SLACK_SIGNING_SECRET === undefined ? {} : { signingSecret: config.SLACK_SIGNING_SECRET }),
          ...(config.SLACK_APP_TOKEN === undefined ? {} : { appToken: config.SLACK_APP_TOKEN }),
          ...(config.SLACK_API_URL === undefined ? {} : { apiUrl: config.SLACK_API_URL }),
          handler,
          http,
          log: app.log,
          onUnreachable: recordUnreachable(app, 'slack'),
        }),
      );
    }
    return adapters;
  };
}

/** Stops the service on SIGTERM or SIGINT, and exits 0 once everything is closed. */
function stopOnSignals(service: RunningService, log: pino.Logger): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'stopping');
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
    service = await runService(app, platformAdapters(app));
  } catch (error) {
    await app.store.close();
    throw error;
  }
  stopOnSignals(service, app.log);
  const error = await service.failed;
  await service.stop();
  throw error;
}
