/**
 * The Slack adapter on its own, over the Web API stand-in, in HTTP or Socket Mode: its `accept` is a
 * test double standing for the durable inbox — it keeps each update, or fails (the store is down), or
 * holds until released — so a test sees what Slack was answered for an update that could or could not
 * be kept, and plays the pipeline's part by handing replies back through `deliver` with the route the
 * update carried. Modal submissions go to a `judge` the test gives.
 */
import { randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import type { App } from '@slack/bolt';
import { createSlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { createMetrics } from '../../src/app/metrics.js';
import type { Inbound } from '../../src/domain/inbound.js';
import type { PlatformAdapter, SendOutcome } from '../../src/domain/platform.js';
import type { Reply } from '../../src/domain/reply.js';
import type { InboxUpdate } from '../../src/domain/wire.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/kernel/logger.js';
import {
  eventCallback,
  postEvent,
  postInteraction,
  postSlashCommand,
  slashCommandBody,
  startSlackApi,
  type JsonObject,
  type PostEventOptions,
  type SlackApi,
  type SlackHttpAnswer,
} from './slack-api.js';

/** How the adapter receives Slack's requests. */
export type RigMode = 'http' | 'socket';

/** What Slack got for a request: an HTTP answer, or a Socket Mode ack (or none). */
export interface SlackAnswer {
  /** A 2xx response, or an ack of the envelope: Slack takes the update as delivered. */
  acknowledged: boolean;
  /** The HTTP status (HTTP mode only). */
  status: number | undefined;
  /** The response body, or the ack's payload, as JSON; undefined when empty. */
  json: unknown;
}

/** Options of a rig. */
export interface RigOptions {
  mode?: RigMode;
  /** How long the stand-in's trigger ids live (Slack: 3 s). */
  triggerTtlMs?: number;
  /** The modal submissions' judge (nothing replied by default). */
  judge?: (inbound: Inbound) => Promise<Reply[]>;
  stopGraceMs?: number;
}

/** A running adapter with the stand-in it talks to. */
export interface AdapterRig {
  readonly api: SlackApi;
  readonly adapter: PlatformAdapter & { app: App };
  readonly mode: RigMode;
  /** Every update handed to accept, kept or not, in order. */
  readonly offered: readonly InboxUpdate[];
  /** The updates accept kept, in order. */
  readonly kept: readonly InboxUpdate[];
  /** Makes accept reject with `error` (the store is down) until called with undefined. */
  failAccepts(error: Error | undefined): void;
  /** Holds every accept from now on until the returned function is called (then they are kept). */
  holdAccepts(): () => void;
  /** Delivers an Events API event (signed POST, or an events_api envelope); a fresh event id unless given. */
  event(event: JsonObject, options?: Partial<PostEventOptions>): Promise<SlackAnswer>;
  /** `/sciweek <text>` from a user in a channel, with `triggerId` (a fresh one by default). */
  command(userId: string, channel: string, text: string, triggerId?: string): Promise<SlackAnswer>;
  /** Delivers an interactivity payload (`block_actions`, `view_submission`). */
  interaction(payload: JsonObject): Promise<SlackAnswer>;
  /** Waits for the `n`-th kept update (0-based). */
  keptUpdate(n: number): Promise<InboxUpdate>;
  /** Plays the pipeline: the replies to an update, through deliver with its route. */
  answer(update: InboxUpdate, replies: readonly Reply[]): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** How long a test waits for a Socket Mode ack before taking it as not given. */
const NO_ACK_MS = 1_500;

/** The signing secret of HTTP-mode rigs. */
export const SIGNING_SECRET = 'test-secret';

const SLASH_COMMAND = '/sciweek';

let events = 0;

/** A fresh Events API event id (`Ev…`). */
export function nextEventId(): string {
  events += 1;
  return `EvRIG${events.toString(36).toUpperCase().padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** Polls `probe` every 10 ms until it returns a value; throws after `timeoutMs` naming `what`. */
export async function eventually<T>(probe: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function fromHttp(answer: SlackHttpAnswer): SlackAnswer {
  return { acknowledged: answer.status >= 200 && answer.status < 300, status: answer.status, json: answer.json };
}

/** Starts the stand-in and the adapter on it. */
export async function startAdapterRig(options: RigOptions = {}): Promise<AdapterRig> {
  const mode = options.mode ?? 'http';
  const api = await startSlackApi({ socketMode: mode === 'socket', ...(options.triggerTtlMs === undefined ? {} : { triggerTtlMs: options.triggerTtlMs }) });
  const http: HttpServer = createHttpServer({ ready: () => Promise.resolve(), registry: createMetrics().registry, log: silentLogger });
  const offered: InboxUpdate[] = [];
  const kept: InboxUpdate[] = [];
  let failure: Error | undefined;
  let hold: Promise<void> | undefined;
  const releases: (() => void)[] = [];
  const adapter = createSlackAdapter({
    botToken: api.botToken,
    ...(mode === 'http' ? { signingSecret: SIGNING_SECRET } : { appToken: api.appToken }),
    apiUrl: api.apiUrl,
    accept: async (update) => {
      offered.push(update);
      if (hold !== undefined) await hold;
      if (failure !== undefined) throw failure;
      kept.push(update);
    },
    handler: options.judge ?? (() => Promise.resolve([])),
    http,
    log: silentLogger,
    onUnreachable: () => undefined,
    retry: { baseDelayMs: 10, retryWindowMs: 500 },
    ...(options.stopGraceMs === undefined ? {} : { stopGraceMs: options.stopGraceMs }),
  });
  const port = await http.listen(0, '127.0.0.1');
  await adapter.start();
  if (mode === 'socket') await api.socketMode?.waitForConnection();
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;

  async function overSocket(type: 'events_api' | 'slash_commands' | 'interactive', payload: JsonObject): Promise<SlackAnswer> {
    const socket = api.socketMode;
    if (socket === undefined) throw new Error('no Socket Mode stand-in');
    try {
      const ack = await socket.deliver(type, payload, { timeoutMs: NO_ACK_MS });
      const body = ack.payload;
      return { acknowledged: true, status: undefined, json: body === undefined || Object.keys(body).length === 0 ? undefined : body };
    } catch {
      return { acknowledged: false, status: undefined, json: undefined };
    }
  }

  return {
    api,
    adapter,
    mode,
    offered,
    kept,
    failAccepts: (error) => {
      failure = error;
    },
    holdAccepts: () => {
      let release: () => void = () => undefined;
      hold = new Promise<void>((resolve) => (release = resolve));
      releases.push(release);
      return () => {
        hold = undefined;
        release();
      };
    },
    async event(event, o = {}) {
      const eventOptions: PostEventOptions = { ...o, eventId: o.eventId ?? nextEventId() };
      if (mode === 'socket') return overSocket('events_api', eventCallback(event, eventOptions));
      return fromHttp(await postEvent(eventsUrl, SIGNING_SECRET, event, eventOptions));
    },
    async command(userId, channel, text, triggerId = api.triggerId()) {
      const command = { command: SLASH_COMMAND, text, userId, channelId: channel, triggerId };
      if (mode === 'socket') return overSocket('slash_commands', slashCommandBody(command));
      return fromHttp(await postSlashCommand(eventsUrl, SIGNING_SECRET, command));
    },
    async interaction(payload) {
      if (mode === 'socket') return overSocket('interactive', payload);
      return fromHttp(await postInteraction(eventsUrl, SIGNING_SECRET, payload));
    },
    keptUpdate: (n) => eventually(() => kept[n], `kept update #${n}`),
    answer: (update, replies) => adapter.deliver(update.inbound.chat.id, replies, update.route),
    async close() {
      // A test that failed while holding accepts leaves them held; they are let go.
      for (const release of releases) release();
      try {
        await adapter.stop();
        await http.close();
      } finally {
        await api.close();
      }
    },
  };
}

/**
 * A `start` for a test file: each rig it starts is closed after the test that started it. Call once
 * at the top of the file (it registers an afterEach).
 */
export function adapterRigsPerTest(): (options?: RigOptions) => Promise<AdapterRig> {
  let running: AdapterRig[] = [];
  afterEach(async () => {
    await Promise.allSettled(running.map((rig) => rig.close()));
    running = [];
  });
  return async (options = {}) => {
    const rig = await startAdapterRig(options);
    running.push(rig);
    return rig;
  };
}
