/**
 * The composition root's first half: what the bot is built from. `loadContent` reads the event, the
 * words, the forms, the Q&A and the reminder rules once and checks them against each other;
 * `createApp` adds the configuration, the logger, the store, the clock and the metrics; `createBot`
 * turns those parts into the message handler the adapters are given. The service, the console chat,
 * the CLI and the benchmark all build the bot through `createBot`, so none of them wires it again.
 */
import path from 'node:path';
import { pino } from 'pino';
import { allFlows } from '../../flows/index.js';
import { createEngine, type DurableHandler, type EngineObserver, type MessageHandler } from '../bot/engine.js';
import type { ChatAdminPort, RemindersPort } from '../bot/ports.js';
import { withDurableRateLimit, withRateLimit, type RateLimitPolicy } from '../bot/rate-limit.js';
import { loadEvent, type EventData } from '../domain/event.js';
import { exportFilings } from '../export/index.js';
import { checkFlowMessages, type FlowDefinition } from '../flow/define.js';
import { createShiftedClock, createSystemClock, type Clock } from '../kernel/clock.js';
import { loadI18n, type I18n } from '../kernel/i18n.js';
import type { Locale } from '../kernel/locale.js';
import type { Logger } from '../kernel/logger.js';
import type { Inbound } from '../domain/inbound.js';
import { createQa, type Qa } from '../qa/answer.js';
import { loadQaKnowledge } from '../qa/knowledge.js';
import { loadReminderRules, type ReminderRules } from '../reminders/rules.js';
import type { TurnStores } from '../bot/turn.js';
import { instrumentStampedStore, instrumentStore } from '../store/instrumented-store.js';
import { connectRedisStore } from '../store/redis-store.js';
import { withSessionCache, type CachedSessionStore } from '../store/session-cache.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { SessionStore, Store } from '../store/store.js';
import { hasNoPlatform, loadConfig, type Config } from './config.js';
import { redactingDestination, routeDebugOutput } from './log-output.js';
import { createMetrics, type Metrics } from './metrics.js';
import { EVENT_FILE, LOCALES_DIR, QA_FILE, REMINDERS_FILE } from './paths.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Platform re-deliveries are recognised for this long. */
export const DEDUPE_TTL_MS = DAY_MS;

/** What the bot knows, read from data/, locales/ and flows/ and checked against each other. */
export interface Content {
  event: EventData;
  flows: readonly FlowDefinition[];
  i18n: I18n;
  qa: Qa;
  reminderRules: ReminderRules;
}

/** Where the content is read from; the shipped files by default. */
export interface ContentFiles {
  event: string;
  locales: string;
  qa: string;
  reminders: string;
}

/** The shipped data files. */
export const SHIPPED_FILES: ContentFiles = { event: EVENT_FILE, locales: LOCALES_DIR, qa: QA_FILE, reminders: REMINDERS_FILE };

/** Reads and checks the content; a mistake in any file is a ConfigError naming the file and the path. */
export function loadContent(files: ContentFiles = SHIPPED_FILES, flows: readonly FlowDefinition[] = allFlows): Content {
  const event = loadEvent(files.event);
  const i18n = loadI18n(files.locales);
  for (const flow of flows) checkFlowMessages(flow, i18n);
  const qa = createQa({ knowledge: loadQaKnowledge(files.qa), source: files.qa, event, i18n, flowIds: new Set(flows.map((flow) => flow.id)) });
  const reminderRules = loadReminderRules(files.reminders, event);
  return { event, flows, i18n, qa, reminderRules };
}

/** Everything the bot is built from, checked: a failure here stops the start with a clear message. */
export interface App extends Content {
  config: Config;
  log: pino.Logger;
  store: Store;
  /** The sessions the engine works on: the store itself, or over Redis the session cache in front of it. */
  sessions: SessionStore | CachedSessionStore;
  clock: Clock;
  metrics: Metrics;
}

/**
 * The root logger: JSON to stderr (stdout belongs to the console chat), each line redacted on its
 * way out (no personal data or secret, whoever wrote it: see src/kernel/redact.ts), with the `debug`
 * output of grammY and ioredis taken in as lines of its own.
 */
export function createRootLogger(level: string): pino.Logger {
  const log = pino({ level }, redactingDestination(2));
  routeDebugOutput(log.child({ module: 'sdk' }));
  return log;
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

/** Reads the configuration and the content and opens the store. */
export async function createApp(env: Record<string, string | undefined>): Promise<App> {
  const config = loadConfig(env);
  const log = createRootLogger(config.LOG_LEVEL ?? (hasNoPlatform(config) ? 'warn' : 'info'));
  const content = loadContent();
  const metrics = createMetrics({ withDefaults: true });
  const { store, sessions } = await openStore(config, log, metrics);
  const clock = config.SCIWEEK_NOW === undefined ? createSystemClock() : createShiftedClock(new Date(config.SCIWEEK_NOW));
  return { ...content, config, log, store, sessions, clock, metrics };
}

/** The parts of a bot. */
export interface BotParts {
  content: Pick<Content, 'event' | 'flows' | 'i18n' | 'qa'>;
  /** Where sessions are begun and committed (over Redis, the session cache in front of the store). */
  sessions: SessionStore | CachedSessionStore;
  /** What the handlers read and write beside the session. */
  store: TurnStores;
  clock: Clock;
  log: Logger;
  defaultLocale: Locale;
  sessionTtlMs: number;
  /** Staff as `platform:userId` (STAFF_IDS). */
  staff?: readonly string[];
  observer?: EngineObserver;
  /** The staff's handle on reminders, when a dispatcher runs. */
  reminders?: RemindersPort;
  /** Asks the platforms whether a user administers a group chat, when adapters run. */
  chatAdmin?: ChatAdminPort;
  /** The per-user rate limit in front of the engine; none when absent (embedders that limit upstream). */
  rateLimit?: RateLimitPolicy;
}

/**
 * The bot: a message handler (the console chat, a Slack modal's verdict) with, as `durable`, the
 * handler of the durable inbox, which commits the replies to the outbox. Both share one engine, so a
 * session's messages keep one line whichever way they come.
 */
export type Bot = MessageHandler & { durable: DurableHandler };

/** Builds the bot: the engine with its ports, behind the per-user rate limit when one is given. */
export function createBot(parts: BotParts): Bot {
  const { content } = parts;
  const engine = createEngine({
    sessions: parts.sessions,
    store: parts.store,
    event: content.event,
    flows: content.flows,
    i18n: content.i18n,
    qa: content.qa,
    exports: exportFilings,
    clock: parts.clock,
    log: parts.log,
    defaultLocale: parts.defaultLocale,
    sessionTtlMs: parts.sessionTtlMs,
    dedupeTtlMs: DEDUPE_TTL_MS,
    ...(parts.staff === undefined ? {} : { staff: new Set(parts.staff) }),
    ...(parts.observer === undefined ? {} : { observer: parts.observer }),
    ...(parts.reminders === undefined ? {} : { reminders: parts.reminders }),
    ...(parts.chatAdmin === undefined ? {} : { chatAdmin: parts.chatAdmin }),
  });
  if (parts.rateLimit === undefined) return Object.assign((inbound: Inbound) => engine.handle(inbound), { durable: engine.handleDurably });
  // The machine's clock: adapters stamp `receivedAt` with it (SCIWEEK_NOW shifts only the event clock).
  const limits = { policy: parts.rateLimit, clock: createSystemClock(), i18n: content.i18n, defaultLocale: parts.defaultLocale };
  return Object.assign(withRateLimit(engine.handle, limits), { durable: withDurableRateLimit(engine.handleDurably, limits) });
}

/** The ports the service gives the bot of an app (the console chat runs without them). */
export interface ServicePorts {
  reminders?: RemindersPort;
  chatAdmin?: ChatAdminPort;
}

/** The bot of an app, as the service and the console chat run it. */
export function createAppBot(app: App, rateLimit: RateLimitPolicy | undefined, ports: ServicePorts = {}): Bot {
  return createBot({
    content: app,
    sessions: app.sessions,
    store: app.store,
    clock: app.clock,
    log: app.log.child({ module: 'engine' }),
    defaultLocale: app.config.DEFAULT_LOCALE,
    sessionTtlMs: app.config.SESSION_TTL_DAYS * DAY_MS,
    staff: app.config.STAFF_IDS,
    observer: app.metrics.observer,
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(ports.reminders === undefined ? {} : { reminders: ports.reminders }),
    ...(ports.chatAdmin === undefined ? {} : { chatAdmin: ports.chatAdmin }),
  });
}
