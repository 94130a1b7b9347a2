/**
 * The service half of the composition root: with a platform token set, the HTTP server on PORT, the
 * platform adapters, and the reminder dispatcher, wired from an App (see app.ts) and stopped in
 * reverse order.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { BotCommand } from 'grammy/types';
import type { AcceptUpdate, PlatformAdapter } from '../domain/platform.js';
import { textReply } from '../domain/reply.js';
import { toLocale } from '../kernel/locale.js';
import { createPipeline } from '../delivery/pipeline.js';
import type { Deliver } from '../delivery/outbox-sender.js';
import type { CommandMenu } from '../adapters/telegram/telegram-adapter.js';
import type { Locale } from '../kernel/locale.js';
import type { ChatAdminPort, RemindersPort } from '../bot/ports.js';
import { menuCommands } from '../bot/commands.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import { createAppBot, type App } from './app.js';
import type { MessageHandler } from '../bot/engine.js';
import { DEFAULT_RATE_LIMIT } from '../bot/rate-limit.js';
import { createDispatcher, type Dispatcher } from '../reminders/dispatcher.js';
import { formatReminderLine, planReminders, type DueReminder } from '../reminders/planner.js';

/** A running service: the address and port its HTTP server bound, and how to stop it. */
export interface RunningService {
  host: string;
  port: number;
  /** Stops intake, lets in-flight messages finish, closes the HTTP server and the store. */
  stop(): Promise<void>;
  /** Resolves with the error when an adapter cannot go on (e.g. two pollers on one token). */
  failed: Promise<Error>;
}

/** What the adapters of a service are built from. */
export interface AdapterDeps {
  /** Keeps an update in the durable inbox (every platform update goes this way). */
  accept: AcceptUpdate;
  /** Handles a message at once, for a platform that needs the answer in its HTTP response (a Slack modal). */
  handler: MessageHandler;
  http: HttpServer;
  /** An adapter that cannot go on calls this; the service then stops with the error. */
  fatal: (error: Error) => void;
}

/**
 * Runs the service: the HTTP server on HOST:PORT (health, readiness, metrics, and the adapters'
 * routes), then every adapter. `host` overrides HOST. `stop` undoes it in reverse order.
 */
export async function runService(
  app: App,
  makeAdapters: (deps: AdapterDeps) => PlatformAdapter[],
  host: string = app.config.HOST,
): Promise<RunningService> {
  const http = createHttpServer({
    ready: () => app.store.ping(),
    registry: app.metrics.registry,
    log: app.log.child({ module: 'http' }),
    ...(app.config.METRICS_TOKEN === undefined ? {} : { metricsToken: app.config.METRICS_TOKEN }),
  });
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => {
    fail = resolve;
  });
  const dispatcherHolder: { dispatcher?: Dispatcher } = {};
  const reminders = remindersPort(app, dispatcherHolder);
  // The handler is made before the adapters it is given to; the admin port asks them once they exist.
  const byPlatform = new Map<string, PlatformAdapter>();
  const bot = createAppBot(app, DEFAULT_RATE_LIMIT, { reminders, chatAdmin: chatAdminPort(byPlatform) });
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const deliverers = new Map<string, Deliver>();
  const pipeline = createPipeline({
    store: app.store,
    handle: bot.durable,
    deliverers,
    notice: (inbound) => [textReply(app.i18n.forLocale(toLocale(inbound.user.localeHint) ?? app.config.DEFAULT_LOCALE)('errors.store_slow'))],
    partitions: app.config.INBOX_PARTITIONS,
    leaseMs: app.config.INBOX_LEASE_SECONDS * 1000,
    consumer: instanceId,
    log: app.log.child({ module: 'inbox' }),
  });
  const adapters = makeAdapters({ accept: pipeline.accept, handler: bot, http, fatal: (error) => fail(error) });
  for (const adapter of adapters) {
    byPlatform.set(adapter.platform, adapter);
    deliverers.set(adapter.platform, (chatId, replies, route) => adapter.deliver(chatId, replies, route));
  }
  const port = await http.listen(app.config.PORT, host);
  const bound = (http.server.address() as AddressInfo).address;
  app.log.info({ host: bound, port, metricsBehindToken: app.config.METRICS_TOKEN !== undefined }, 'http server listening');
  for (const adapter of adapters) {
    await adapter.start();
    app.log.info({ platform: adapter.platform }, 'adapter started');
  }
  if (adapters.length > 0) pipeline.start();
  const dispatcher = createDispatcher({
    store: app.store,
    event: app.event,
    rules: app.reminderRules,
    clock: app.clock,
    log: app.log,
    i18n: app.i18n,
    locale: app.config.DEFAULT_LOCALE,
    adapters: byPlatform,
    staff: app.config.STAFF_IDS,
    instanceId,
    onOutcome: (outcome) => app.metrics.reminderOutcome(outcome),
  });
  dispatcherHolder.dispatcher = dispatcher;
  if (adapters.length > 0) dispatcher.start(REMINDER_TICK_MS);
  let stopping: Promise<void> | undefined;
  return {
    host: bound,
    port,
    failed,
    stop: () =>
      (stopping ??= (async () => {
        // No new reminder wave; the running one ends after its current send, which the adapters'
        // bounded stop lets finish or abandons.
        const halted = dispatcher.stop();
        // Updates in hand finish and their answers go out within the grace; what does not stays in
        // the inbox and the outbox for the next instance. Adapters keep taking updates meanwhile.
        await pipeline.stop(STOP_GRACE_MS);
        await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
        await halted;
        await http.close();
        await app.store.close();
        app.log.info({}, 'store closed');
        app.log.info({}, 'stopped');
      })()),
  };
}

/** Whether a user administers a group chat, asked of the adapter of the chat's platform (false without one). */
function chatAdminPort(byPlatform: ReadonlyMap<string, PlatformAdapter>): ChatAdminPort {
  return async ({ platform, chatId, userId }) => (await byPlatform.get(platform)?.isChatAdmin?.(chatId, userId)) ?? false;
}

/** The Telegram command menu in each language: the registry's menu commands, described from the locales. */
function telegramMenus(app: App): CommandMenu[] {
  const menu = (locale: Locale): BotCommand[] => {
    const t = app.i18n.forLocale(locale);
    return menuCommands().map(({ name, menuKey }) => ({ command: name, description: t(menuKey) }));
  };
  return [{ commands: menu(app.config.DEFAULT_LOCALE) }, { languageCode: 'zh', commands: menu('zh-CN') }, { languageCode: 'en', commands: menu('en') }];
}

/** How long a stopping service lets the updates in hand finish. */
const STOP_GRACE_MS = 4_000;

/** How often the reminder dispatcher looks for due reminders. */
export const REMINDER_TICK_MS = 60_000;

/** What would be sent at `at`: the plan from the store's groups, filings and declarations. */
export async function planAt(app: App, at: Date): Promise<DueReminder[]> {
  const [groups, filings, declarations] = await Promise.all([
    app.store.listGroups(),
    app.store.listFilings({ eventId: app.event.id }),
    app.store.listDeclarations(app.event.id),
  ]);
  return planReminders({ event: app.event, rules: app.reminderRules, groups, filings, declarations, now: at });
}

/** The staff's handle on reminders; `send` works once the dispatcher runs. */
function remindersPort(app: App, holder: { dispatcher?: Dispatcher }): RemindersPort {
  return {
    preview: async () => {
      const [plan, sent] = await Promise.all([planAt(app, app.clock.now()), app.store.listReminders(10_000)]);
      const done = new Set(sent.filter((o) => o.outcome !== 'failed').map((o) => JSON.stringify([o.ruleId, o.platform, o.chatId])));
      return plan.filter((r) => r.audience !== 'groups' || !done.has(JSON.stringify([r.ruleId, r.group.platform, r.group.chatId]))).map(formatReminderLine);
    },
    send: async (ruleId) => {
      const result = await holder.dispatcher?.tick(ruleId === undefined ? {} : { ruleId });
      return result ?? { leader: false, due: 0, sent: 0, unreachable: 0, failed: 0, skipped: 0 };
    },
    log: (limit) => app.store.listReminders(limit),
  };
}

/** Records in the store that the bot cannot write to a chat of `platform`. */
function recordUnreachable(app: App, platform: string): (chatId: string, reason: string) => void {
  return (chatId, reason) => {
    app.store
      .markUnreachable({ platform, chatId, reason, at: new Date().toISOString() })
      .catch((err: unknown) => app.log.error({ err }, 'cannot record an unreachable chat'));
  };
}

/**
 * The adapters the configuration asks for: Telegram and Slack when their tokens are set. Each SDK is
 * loaded only when its platform is configured (Bolt alone takes a fifth of a second to load).
 */
export async function platformAdapters(app: App): Promise<(deps: AdapterDeps) => PlatformAdapter[]> {
  const { createTelegramAdapter } =
    app.config.TELEGRAM_BOT_TOKEN === undefined ? { createTelegramAdapter: undefined } : await import('../adapters/telegram/telegram-adapter.js');
  const { createSlackAdapter } =
    app.config.SLACK_BOT_TOKEN === undefined ? { createSlackAdapter: undefined } : await import('../adapters/slack/slack-adapter.js');
  return ({ accept, handler, http, fatal }) => {
    const adapters: PlatformAdapter[] = [];
    const { config } = app;
    if (config.TELEGRAM_BOT_TOKEN !== undefined && createTelegramAdapter !== undefined) {
      const webhook =
        config.TELEGRAM_WEBHOOK_URL === undefined || config.TELEGRAM_WEBHOOK_SECRET === undefined
          ? undefined
          : { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET };
      adapters.push(
        createTelegramAdapter({
          token: config.TELEGRAM_BOT_TOKEN,
          apiRoot: config.TELEGRAM_API_ROOT,
          ...(webhook === undefined ? {} : { webhook }),
          accept,
          http,
          log: app.log,
          menus: telegramMenus(app),
          onUnreachable: recordUnreachable(app, 'telegram'),
          onFatal: fatal,
        }),
      );
    }
    if (config.SLACK_BOT_TOKEN !== undefined && createSlackAdapter !== undefined) {
      adapters.push(
        createSlackAdapter({
          botToken: config.SLACK_BOT_TOKEN,
          ...(config.SLACK_SIGNING_SECRET === undefined ? {} : { signingSecret: config.SLACK_SIGNING_SECRET }),
          ...(config.SLACK_APP_TOKEN === undefined ? {} : { appToken: config.SLACK_APP_TOKEN }),
          ...(config.SLACK_API_URL === undefined ? {} : { apiUrl: config.SLACK_API_URL }),
          accept,
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

