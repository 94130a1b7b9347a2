/**
 * The Slack adapter (Bolt): the HTTP receiver on the shared server at `/slack/events` (signatures
 * and timestamps checked by Bolt), or Socket Mode with an app token. DM messages, mentions, the slash
 * command and button presses are written to the durable inbox (`accept`) before Slack hears they
 * arrived: over HTTP the response goes out only after the listener (`processBeforeResponse`), in
 * Socket Mode the envelope is acked only after it (socket-receiver.ts). An update that could not be
 * kept gets a 503, or no ack, so Slack sends an event again and tells the user of a failed command or
 * button; Slack's re-sends are deduped downstream by event id / envelope id / trigger id. Their
 * answers come back through `deliver`, with the route each update carried (route.ts); a pressed
 * message loses its buttons there, just before the answer.
 *
 * The exception is a modal submission: Slack needs its verdict — errors shown on the fields, or the
 * modal closed — in the HTTP response (or the ack) within 3 s, which a trip through the inbox cannot
 * promise. It is judged at once by `handler`, and its replies are sent directly.
 */
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { MessageHandler } from '../../bot/engine.js';
import type { AcceptUpdate, PlatformAdapter, SendOutcome } from '../../domain/platform.js';
import type { Reply } from '../../domain/reply.js';
import type { Logger } from '../../kernel/logger.js';
import { MAX_BODY_BYTES, type HttpServer } from '../../http/server.js';
import { toBoltLogger } from './bolt-logger.js';
import { createIntake } from '../kit/intake.js';
import { sendKeepingPrivate } from '../kit/private.js';
import { classifySlackError, createSlackSender, type SlackDestination } from './sender.js';
import { createSlackDirectory } from './directory.js';
import { registerListeners } from './listeners.js';
import { decodeRoute, encodeRoute, type RetiredMessage } from './route.js';
import { deferAcks } from './socket-receiver.js';
import { SLACK } from './to-inbound.js';

/** What the adapter is built from. */
export interface SlackAdapterOptions {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** The Web API base URL (GovSlack, a proxy, a test stand-in). */
  apiUrl?: string;
  /** Keeps a DM message, mention, slash command or button press; its answer comes back through `deliver`. */
  accept: AcceptUpdate;
  /** Judges a modal submission at once (Slack needs the verdict in its response); nothing else. */
  handler: MessageHandler;
  http: HttpServer;
  log: Logger;
  onUnreachable: (channel: string, reason: string) => void;
  /** Retry pacing of replies while Slack is down (tests shorten it); see sender.ts. */
  retry?: { baseDelayMs?: number; retryWindowMs?: number };
  /** How long stop() lets waiting replies finish before abandoning them (default 4 s). */
  stopGraceMs?: number;
}

/** The Slack events path on the shared HTTP server. */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Thrown by a listener while the adapter is not taking updates: Slack is told to send it again. */
class IntakeClosedError extends Error {
  constructor() {
    super('slack intake closed');
  }
}

/** Resolves once every promise settled, or after `ms`. */
async function settled(promises: readonly Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Pressed messages already retired, remembered a while: a notice and the answer share one route. */
const MAX_RETIRED = 1000;

/**
 * The HTTP receiver. Bolt reads at most MAX_BODY_BYTES (413 beyond, checked while the body streams)
 * and checks the v0 signature in constant time (tsscmp) and the timestamp (refused when over 5
 * minutes old). The response waits for the listener; when the listener threw, Slack gets a 503
 * (Bolt's own answer would be a 500) and, for an event, sends it again.
 */
function httpReceiver(signingSecret: string, logger: BoltLogger): HTTPReceiver {
  return new HTTPReceiver({
    signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger,
    processBeforeResponse: true,
    bodyLimit: MAX_BODY_BYTES,
    processEventErrorHandler: ({ response }) => {
      if (response.headersSent) return Promise.resolve(false);
      response.writeHead(503, { 'retry-after': '1' });
      response.end();
      // Answered: Bolt's 3 s timer for an unacknowledged request is stopped.
      return Promise.resolve(true);
    },
  });
}

/** Creates the adapter; nothing talks to Slack until `start`. */
export function createSlackAdapter(options: SlackAdapterOptions): PlatformAdapter & { app: App } {
  const log = options.log.child({ platform: SLACK });
  const logger = toBoltLogger(log);
  const stopGraceMs = options.stopGraceMs ?? 4_000;
  // Retry a little, wait out 429s, and never keep retrying a dead API for half an hour (the default).
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 3000 },
    rejectRateLimitedCalls: false,
    timeout: 10_000,
    ...(options.apiUrl === undefined ? {} : { slackApiUrl: options.apiUrl }),
  };
  const socket =
    options.appToken === undefined
      ? undefined
      : deferAcks(
          // A copy of the client options: the Socket Mode client writes its own retry policy into the object it is given.
          new SocketModeReceiver({ appToken: options.appToken, logger, installerOptions: { clientOptions: { ...clientOptions } } }),
          log,
        );
  const receiver = socket ?? httpReceiver(options.signingSecret ?? '', logger);
  const http = receiver instanceof HTTPReceiver ? receiver : undefined;
  const app = new App({ token: options.botToken, receiver, clientOptions, logger, logLevel: LogLevel.WARN, deferInitialization: true });
  const sender = createSlackSender({ client: app.client, log, onUnreachable: options.onUnreachable, ...options.retry });
  const directory = createSlackDirectory(app.client, log);
  const intake = createIntake({ outbound: sender, log });
  const retired = new Set<string>();
  /** Accepts under way: stop waits for them (a while) so their updates are acknowledged. */
  const keeping = new Set<Promise<void>>();

  registerListeners(app, {
    directory,
    keep: async (inbound, route) => {
      if (!intake.accepting) throw new IntakeClosedError();
      const kept = options.accept({ inbound, route: encodeRoute(route) });
      keeping.add(kept);
      try {
        await kept;
      } finally {
        keeping.delete(kept);
      }
    },
    judge: (inbound) => intake.track(options.handler(inbound)),
    sendLater: (channel, replies) => {
      // A failure is logged by the sender.
      void sendTo({ channel }, replies).catch(() => undefined);
    },
  });

  app.error(async (error) => {
    if (error.original instanceof IntakeClosedError || error instanceof IntakeClosedError) log.info({}, 'slack update refused while stopping');
    else log.error({ err: error }, 'slack update not taken');
    // Rethrown so the receiver does not acknowledge it (see the header).
    return Promise.reject(error);
  });

  /** Shows the pressed message without its buttons; best effort, once per message. */
  async function retire(message: RetiredMessage): Promise<void> {
    const key = JSON.stringify([message.channel, message.ts]);
    if (retired.has(key)) return;
    if (retired.size >= MAX_RETIRED) retired.clear();
    retired.add(key);
    await app.client.chat
      .update({ channel: message.channel, ts: message.ts, text: message.text, blocks: message.blocks as never })
      .catch((err: unknown) => log.debug({ err }, 'pressed buttons not retired'));
  }

  /** Sends replies to a destination; those for the asker alone go to the user's DM. */
  function sendTo(to: SlackDestination, replies: readonly Reply[]): Promise<SendOutcome> {
    return sendKeepingPrivate(replies, {
      here: (some) => sender.send(to, some),
      privately: async (userId, some) => {
        let channel: string;
        try {
          channel = await directory.dmChannel(userId);
        } catch (error) {
          if (classifySlackError(error).kind === 'unreachable') return 'unreachable';
          throw error;
        }
        return sender.send({ channel }, some);
      },
    });
  }

  let stopping: Promise<void> | undefined;

  return {
    platform: SLACK,
    app,
    async start() {
      await app.init();
      await directory.init();
      intake.open();
      if (socket !== undefined) await socket.start();
      else if (http !== undefined) options.http.route('POST', SLACK_EVENTS_PATH, (req, res) => http.requestListener(req, res));
      log.info({ mode: socket === undefined ? 'http' : 'socket' }, 'slack started');
    },
    stop: () =>
      (stopping ??= (async () => {
        // New updates are refused from here on (Slack sends them again); those being kept finish, for
        // a while, and are acknowledged before the socket closes. One still not kept is not
        // acknowledged: Slack sends it again.
        intake.close();
        await settled([...keeping], stopGraceMs);
        if (socket !== undefined) await socket.stop(stopGraceMs).catch((err: unknown) => log.warn({ err }, 'socket stop failed'));
        // Replies still waiting for a Slack that is down are abandoned after the grace (and logged).
        await intake.drain(stopGraceMs);
      })()),
    send: (chatId, replies) => sendTo({ channel: chatId }, replies),
    async deliver(chatId, replies, route) {
      const to = decodeRoute(route, chatId);
      if (to.retire !== undefined) await retire(to.retire);
      return sendTo(to, replies);
    },
    // Slack channels have no admins of their own: a workspace admin or owner counts as one.
    isChatAdmin: async (_chatId, userId) => (await directory.user(userId, 15_000)).isAdmin === true,
  };
}
