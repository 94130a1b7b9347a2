/**
 * The engine: one message, one pass. Dedupe and load (one store call), route, then a
 * compare-and-set save that also writes any filing and marks the delivery done (a second call); on a
 * version conflict (another instance wrote the session meanwhile) it reloads and runs again, a few
 * times at most. A delivery is marked only by its commit: one that crashed or met a store failure
 * half-way is handled again when the platform re-delivers it. One error
 * boundary per message: the user gets a localized apology, the log gets `{ err }`, the process lives.
 */
import { StoreError } from '../kernel/errors.js';
import type { EventData } from '../domain/event.js';
import { toOwnerKey } from '../domain/filing.js';
import type { I18n } from '../kernel/i18n.js';
import type { Inbound } from '../domain/inbound.js';
import { LOCALES, toLocale, type Locale } from '../kernel/locale.js';
import { lazyChild, type Logger } from '../kernel/logger.js';
import { textReply, type Reply } from '../domain/reply.js';
import { routeMessage } from './router.js';
import { chooseLocale } from './reply-locale.js';
import type { SessionData, SessionKey, StoredSession } from '../domain/session.js';
import type { Clock } from '../kernel/clock.js';
import { createKeyedQueue } from '../kernel/keyed-queue.js';
import type { TurnContext, TurnStores } from './turn.js';
import type { ChatAdminPort, ExportPort, RemindersPort } from './ports.js';
import type { Qa } from '../qa/answer.js';
import type { FlowDefinition } from '../flow/define.js';
import type { CachedSessionStore } from '../store/session-cache.js';
import type { OutboxWrite, SessionStore } from '../store/store.js';
import type { DurableHandler, HandleOutcome, HandleResult, InboxRef, MessageHandler } from './handling.js';
import { encodeReplies } from '../domain/wire.js';
import { randomUUID } from 'node:crypto';

export type { DurableHandler, HandleOutcome, HandleResult, InboxRef, MessageHandler } from './handling.js';

/** Told about every handled message (metrics); must not throw. */
export interface EngineObserver {
  handled(event: { platform: string; outcome: HandleOutcome; durationMs: number }): void;
}

/** What the engine is built from. */
export interface EngineDeps {
  observer?: EngineObserver;
  /**
   * Where each message's session is loaded (`begin`) and saved with its filings (`commit`). Behind a
   * session cache (Redis) it also holds copies, and an answer in a draft then skips `begin`.
   */
  sessions: SessionStore | CachedSessionStore;
  /** What the handlers read and write beside the session (see {@link TurnContext}). */
  store: TurnStores;
  event: EventData;
  flows: readonly FlowDefinition[];
  i18n: I18n;
  clock: Clock;
  log: Logger;
  defaultLocale: Locale;
  sessionTtlMs: number;
  dedupeTtlMs: number;
  /** Staff as `platform:userId` (STAFF_IDS). */
  staff?: ReadonlySet<string>;
  reminders?: RemindersPort;
  /** Asks a platform whether a user administers a group chat; without it nobody does (staff still may bind). */
  chatAdmin?: ChatAdminPort;
  /** The event Q&A, built at start-up. */
  qa: Qa;
  /** Builds the staff's export files. */
  exports: ExportPort;
}

/**
 * Attempts of one message against compare-and-set conflicts. Messages of one session are queued in
 * this process, so conflicts come only from other instances; a few jittered reruns settle them.
 */
const MAX_ATTEMPTS = 20;
const RETRY_JITTER_MS = 3;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const COMMAND = /^\s*[/／]/u;
/** Buttons of a draft: navigation and choices (see flow/navigation.ts). */
const FORM_ACTION = /^(nav|pick):/;

/** What one message carries across the reruns of its turn. */
interface Turn {
  log: Logger;
  locale?: Locale;
  chatAdmin: () => Promise<boolean>;
  /** Set for a message of the durable inbox: its replies are committed to the outbox under this id and route. */
  outbox?: { id: string; route: string };
  /** The inbox entry the commit acknowledges. */
  entry?: InboxRef;
}

/** How one pass of a message ended. */
interface Pass {
  replies: Reply[];
  duplicate: boolean;
  /** The outbox entry the replies were committed in. */
  outboxId?: string;
  /** The commit acknowledged the inbox entry. */
  acknowledged?: boolean;
}

/** The admin check of a chat where nobody is asked: private chats, or no platform to ask. */
const NOT_ADMIN = (): Promise<boolean> => Promise.resolve(false);

/** Builds the message handler. */
export function createEngine(deps: EngineDeps): { handle: MessageHandler; handleDurably: DurableHandler } {
  const flows = new Map(deps.flows.map((flow) => [flow.id, flow]));
  const queue = createKeyedQueue();
  // Whether the sessions come with held copies is known once, not asked per message.
  const sessions = deps.sessions;
  const heldCopy = 'held' in sessions ? (key: SessionKey): StoredSession | undefined => sessions.held(key) : undefined;

  async function once(
    inbound: Inbound,
    key: SessionKey,
    deliveryId: string | undefined,
    turn: Turn,
    held: StoredSession | undefined,
  ): Promise<Pass | 'conflict'> {
    const log = turn.log;
    // From the session cache's copy the message costs one round trip (the commit checks version and delivery).
    const begun = held !== undefined ? { duplicate: false, session: held } : await deps.sessions.begin({ deliveryId, dedupeTtlMs: deps.dedupeTtlMs, key });
    if (begun.duplicate) {
      log.info({}, 'duplicate delivery dropped');
      return { replies: [], duplicate: true };
    }
    const stored: SessionData = begun.session?.data ?? {};
    const { locale, guessed } = chooseLocale(stored, inbound, deps.defaultLocale);
    turn.locale = locale;
    const session: SessionData = guessed === undefined ? stored : { ...stored, guessedLocale: guessed };
    const t = deps.i18n.forLocale(locale);
    const now = deps.clock.now();
    const ctx: TurnContext = {
      inbound,
      session,
      locale,
      t,
      now,
      ownerKey: toOwnerKey(inbound.platform, inbound.user.id),
      isStaff: deps.staff?.has(toOwnerKey(inbound.platform, inbound.user.id)) ?? false,
      chatAdmin: turn.chatAdmin,
      event: deps.event,
      flows,
      filings: deps.store,
      groups: deps.store,
      unreachable: deps.store,
      declarations: deps.store,
      i18n: deps.i18n,
      log,
      qa: deps.qa,
      exports: deps.exports,
      ...(deps.reminders === undefined ? {} : { reminders: deps.reminders }),
      runner: {
        event: deps.event,
        locale,
        now,
        t,
        inAllLocales: (k) => LOCALES.map((l) => deps.i18n.forLocale(l)(k)),
      },
    };
    const result = await routeMessage(ctx);
    const outbox: OutboxWrite | undefined =
      turn.outbox === undefined || result.replies.length === 0
        ? undefined
        : { id: turn.outbox.id, platform: inbound.platform, chatId: inbound.chat.id, body: encodeReplies(result.replies), route: turn.outbox.route };
    const committed = await deps.sessions.commit({
      key,
      expectedVersion: begun.session?.version ?? 0,
      data: result.data,
      sessionTtlMs: deps.sessionTtlMs,
      ...(result.filings === undefined ? {} : { filings: result.filings }),
      ...(result.audit === undefined ? {} : { audit: result.audit }),
      ...(deliveryId === undefined ? {} : { delivery: { id: deliveryId, dedupeTtlMs: deps.dedupeTtlMs } }),
      ...(outbox === undefined ? {} : { outbox }),
      ...(turn.entry === undefined ? {} : { inboxEntry: turn.entry }),
    });
    if (!committed.ok && committed.conflict === 'duplicate') {
      log.info({}, 'duplicate delivery dropped at commit');
      return { replies: [], duplicate: true };
    }
    if (!committed.ok) {
      log.warn({ conflict: committed.conflict }, 'commit conflict');
      return 'conflict';
    }
    return { replies: result.replies, duplicate: false, ...(outbox === undefined ? {} : { outboxId: outbox.id }), acknowledged: turn.entry !== undefined };
  }

  /** Runs a message in its session's line, tells the observer and logs how it ended. */
  async function run(inbound: Inbound, route: string | undefined, entry?: InboxRef): Promise<HandleResult> {
    const startedMs = performance.now();
    const sessionKey = JSON.stringify([inbound.platform, inbound.chat.id, inbound.user.id]);
    const result = await queue.run(sessionKey, () => guarded(inbound, route, entry));
    const durationMs = performance.now() - startedMs;
    const outcome = result.outcome;
    deps.observer?.handled({ platform: inbound.platform, outcome, durationMs });
    // One line per message at debug level: where and how it ended, never what was typed.
    deps.log.debug({ platform: inbound.platform, chatId: inbound.chat.id, deliveryId: inbound.deliveryId, outcome, durationMs, replies: result.replies.length }, 'message handled');
    return result;
  }

  const handle: MessageHandler = (inbound) => run(inbound, undefined).then((result) => result.replies);
  const handleDurably: DurableHandler = (inbound, route, entry) => run(inbound, route, entry);

  /**
   * The session cache's copy of the session, when the message may be answered from it: an answer in a
   * draft (text, files, or a form button), whose handling writes nothing but through the commit — so
   * if the copy is out of date, or the delivery a duplicate, the commit refuses it and nothing else
   * happened. Commands and other buttons (which may send files or reminders) read the session first.
   */
  function heldForAnswer(inbound: Inbound, key: SessionKey): StoredSession | undefined {
    const held = heldCopy?.(key);
    if (held?.data.flow === undefined || inbound.form !== undefined) return undefined;
    if (inbound.text !== undefined && COMMAND.test(inbound.text)) return undefined;
    if (inbound.action !== undefined && !FORM_ACTION.test(inbound.action)) return undefined;
    return held;
  }

  /** The message's `chatAdmin`: the platform is asked at most once, even when a conflict reruns the turn. */
  function adminCheck(inbound: Inbound, log: Logger): () => Promise<boolean> {
    const port = deps.chatAdmin;
    if (port === undefined || inbound.chat.kind !== 'group') return NOT_ADMIN;
    let asked: Promise<boolean> | undefined;
    return () =>
      (asked ??= Promise.resolve()
        .then(() => port({ platform: inbound.platform, chatId: inbound.chat.id, userId: inbound.user.id }))
        .catch((err: unknown) => {
          log.warn({ err }, 'cannot check chat admin');
          return false;
        }));
  }

  /**
   * One message to its end. `route` set: a message of the durable inbox, whose replies are committed
   * to the outbox, and whose store failure is not answered but handed back to be tried again (the
   * commit may have happened; the delivery's mark tells on the next try).
   */
  async function guarded(inbound: Inbound, route: string | undefined, entry?: InboxRef): Promise<HandleResult> {
    const key: SessionKey = { platform: inbound.platform, chatId: inbound.chat.id, userId: inbound.user.id };
    const log = lazyChild(deps.log, { platform: inbound.platform, chatId: inbound.chat.id, deliveryId: inbound.deliveryId });
    // Delivery ids are unique per platform only (Telegram update_id, Slack event id).
    const deliveryId = inbound.deliveryId === undefined ? undefined : `${inbound.platform}:${inbound.deliveryId}`;
    const turn: Turn = {
      log,
      chatAdmin: adminCheck(inbound, log),
      ...(route === undefined ? {} : { outbox: { id: deliveryId ?? randomUUID(), route } }),
      ...(entry === undefined ? {} : { entry }),
    };
    try {
      for (let attempt = 1; ; attempt += 1) {
        // A refused commit leaves the cache holding the live session, so a rerun may answer from it too.
        const held = heldForAnswer(inbound, key);
        // The delivery is marked by the commit that answers it, so every rerun still carries it.
        const result = await once(inbound, key, deliveryId, turn, held);
        if (result !== 'conflict') {
          return {
            replies: result.replies,
            outcome: result.duplicate ? 'duplicate' : 'ok',
            ...(result.outboxId === undefined ? {} : { outboxId: result.outboxId }),
            ...(result.acknowledged === true ? { acknowledged: true } : {}),
          };
        }
        if (attempt >= MAX_ATTEMPTS) break;
        // The first conflict may only mean an old copy (another instance answered last): rerun at once.
        if (attempt > 1) await sleep(Math.random() * RETRY_JITTER_MS * attempt);
      }
      return { replies: [textReply(deps.i18n.forLocale(turn.locale ?? deps.defaultLocale)('errors.conflict'))], outcome: 'conflict' };
    } catch (err) {
      const storeFailed = err instanceof StoreError;
      log.error({ err }, 'message failed');
      if (storeFailed && route !== undefined) return { replies: [], outcome: 'store_error', retry: true };
      const t = deps.i18n.forLocale(turn.locale ?? toLocale(inbound.user.localeHint) ?? deps.defaultLocale);
      return {
        replies: [textReply(t(storeFailed ? 'errors.store_unavailable' : 'errors.internal'))],
        outcome: storeFailed ? 'store_error' : 'error',
      };
    }
  }

  return { handle, handleDurably };
}
