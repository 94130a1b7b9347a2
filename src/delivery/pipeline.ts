/**
 * The durable path of every platform update: the adapter hands it to `accept`, which writes it to
 * the store's inbox (its chat's partition) before the platform is told it arrived; a worker takes the
 * entries of the partitions this instance leases, runs each through the durable handler (one chat's
 * updates one after the other, chats in parallel), and acknowledges it only once its commit — session,
 * filing, delivery mark and outbox replies together — is done. The replies then leave through the
 * outbox sender. A store failure leaves the update in the inbox to be handled again (the delivery mark
 * tells whether the commit happened), and the user hears once that the message is kept.
 *
 * After a crash, the instance that takes the partition (the restarted one, or another) first sends
 * what the outbox still holds for it, then handles what was taken and not acknowledged, then new work.
 */
import type { DurableHandler, HandleResult } from '../bot/engine.js';
import type { Inbound } from '../domain/inbound.js';
import type { AcceptUpdate } from '../domain/platform.js';
import type { Reply } from '../domain/reply.js';
import { decodeUpdate, encodeUpdate, type InboxUpdate } from '../domain/wire.js';
import { createKeyedQueue } from '../kernel/keyed-queue.js';
import type { Logger } from '../kernel/logger.js';
import type { ClaimStore, Inbox, InboxEntry, Outbox } from '../store/store.js';
import { createLeases } from './leases.js';
import { createOutboxSender, type Deliver } from './outbox-sender.js';
import { partitionOf } from './partition.js';

/** What the pipeline is built from. */
export interface PipelineOptions {
  store: Inbox & Outbox & ClaimStore;
  handle: DurableHandler;
  /** The delivery of each platform's answers, by platform name. */
  deliverers: ReadonlyMap<string, Deliver>;
  /** The notice a user gets once while the store fails on their message (it is kept, not lost). */
  notice: (inbound: Inbound) => Reply[];
  /** Inbox partitions; every instance sharing the store must use the same number. */
  partitions: number;
  /** This instance's id (partition leases, inbox consumer). */
  consumer: string;
  log: Logger;
  /** How long a partition lease lasts unrenewed (default 10 s): the wait before a dead instance's work is taken over. */
  leaseMs?: number;
  /** Updates handled at once (default 1024). */
  maxInFlight?: number;
  /** Waits between tries of a failing store call (tests shorten them). */
  retryDelaysMs?: readonly number[];
}

/** The running pipeline. */
export interface Pipeline {
  /** Writes an update to the inbox; resolves once stored, rejects (a StoreError) when it is not. */
  accept: AcceptUpdate;
  /** Starts leasing partitions and working them. */
  start(): void;
  /**
   * Stops taking entries, lets those in hand finish for at most `graceMs` (what does not finish stays
   * in the inbox and outbox for the next holder), and gives the partitions up.
   */
  stop(graceMs: number): Promise<void>;
}

const DEFAULT_RETRY_DELAYS_MS = [200, 500, 1000, 2000, 5000];
const TAKE_WAIT_MS = 1000;
/** Entries taken at once. */
const TAKE_MAX = 256;
/**
 * While this instance itself takes the updates it keeps (its partitions' traffic comes to it), a
 * waiting read would wake on each of its own appends for nothing: it looks for updates other
 * instances kept this often instead, until its own traffic has been quiet for as long.
 */
const LOCAL_POLL_MS = 50;
const SWEEP_EVERY_MS = 30_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Creates the pipeline; nothing is read until `start`. */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { store, log, partitions, consumer } = options;
  const leaseMs = options.leaseMs ?? 10_000;
  const maxInFlight = options.maxInFlight ?? 1024;
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const delayOf = (attempt: number): number => delays[Math.min(attempt, delays.length - 1)] ?? 1000;
  const sender = createOutboxSender({ outbox: store, deliverers: options.deliverers, log });
  const chats = createKeyedQueue();
  let running = false;
  let inFlight = 0;
  /** When this instance last took an update it kept itself. */
  let keptHereAtMs = Number.NEGATIVE_INFINITY;
  let slotWaiters: (() => void)[] = [];
  let loops: Promise<void>[] = [];
  const idle = new Set<Promise<void>>();
  /** Entries in hand (partition and id), so a reclaim never dispatches one twice. */
  const inHand = new Set<string>();
  const handKey = (entry: Pick<InboxEntry, 'partition' | 'id'>): string => `${entry.partition}:${entry.id}`;
  let wakeStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (wakeStopped = resolve));
  /** Waits `ms`, or less when the pipeline stops. */
  const pause = (ms: number): Promise<void> => Promise.race([sleep(ms), stopped]);

  const leases = createLeases({ claims: store, partitions, owner: consumer, ttlMs: leaseMs, log, onTaken: takeOver });

  /** Retries a store call until it answers, or the pipeline stops (then it rejects). */
  async function persist<T>(what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (err) {
        if (!running) throw err;
        log.warn({ err, attempt }, `${what} failed; trying again`);
        await sleep(delayOf(attempt));
      }
    }
  }

  /** Recovers a partition just taken: its chats' answers still in the outbox, then its entries in hand. */
  async function takeOver(partition: number): Promise<void> {
    for (const chat of await store.outboxChats(100_000)) {
      if (partitionOf(chat.platform, chat.chatId, partitions) === partition) await sender.sweep(chat.platform, chat.chatId);
    }
    const entries = await store.inboxReclaim(consumer, partition);
    if (entries.length > 0) log.info({ partition, entries: entries.length }, 'inbox entries taken over');
    for (const entry of entries) dispatch(entry);
  }

  /** Sends what a handled message answered: notices and unstored replies now, stored replies through the outbox. */
  async function answer(update: InboxUpdate, result: HandleResult): Promise<void> {
    const { platform, chat } = update.inbound;
    if (result.notices !== undefined) sender.direct(platform, chat.id, update.route, result.notices);
    if (result.outboxId !== undefined) sender.stored(platform, chat.id, result.outboxId, update.route, result.replies);
    else sender.direct(platform, chat.id, update.route, result.replies);
    // Handled before (a takeover, a commit whose answer was lost): its answers may still wait in the store.
    if (result.outcome === 'duplicate') await sender.sweep(platform, chat.id);
  }

  /** Handles one entry to its end; leaves it in the inbox when the partition is lost or the pipeline stops. */
  async function work(entry: InboxEntry, update: InboxUpdate): Promise<void> {
    let told = false;
    for (let attempt = 0; ; attempt += 1) {
      const result = await options.handle(update.inbound, update.route, entry);
      if (result.retry !== true) {
        await answer(update, result);
        // Acknowledged by the commit, in the same atomic step; anything else is acknowledged here.
        if (result.acknowledged === true) return;
        break;
      }
      if (!running || !leases.holds(entry.partition)) return;
      if (!told) {
        told = true;
        sender.direct(update.inbound.platform, update.inbound.chat.id, update.route, options.notice(update.inbound));
      }
      await sleep(delayOf(attempt));
    }
    await persist('inbox ack', () => store.inboxAck([entry]));
  }

  function release(): void {
    inFlight -= 1;
    const waiters = slotWaiters;
    slotWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Puts an entry in its chat's line; `known` is its update when this process kept it (not read back). */
  function dispatch(entry: InboxEntry, known?: InboxUpdate): void {
    if (inHand.has(handKey(entry))) return;
    let update: InboxUpdate;
    try {
      update = known ?? decodeUpdate(entry.body);
    } catch (err) {
      log.error({ err, partition: entry.partition }, 'unreadable inbox entry dropped');
      void store.inboxAck([entry]).catch(() => undefined);
      return;
    }
    inHand.add(handKey(entry));
    inFlight += 1;
    const chatKey = JSON.stringify([update.inbound.platform, update.inbound.chat.id]);
    const done = chats
      .run(chatKey, () => work(entry, update))
      .catch((err: unknown) => log.error({ err, partition: entry.partition }, 'inbox entry left for later'))
      .finally(() => {
        inHand.delete(handKey(entry));
        release();
      });
    idle.add(done);
    void done.finally(() => idle.delete(done));
  }

  async function takeLoop(): Promise<void> {
    while (running) {
      const held = leases.held();
      if (held.length === 0 || inFlight >= maxInFlight) {
        await (held.length === 0 ? pause(200) : Promise.race([new Promise<void>((resolve) => slotWaiters.push(resolve)), stopped]));
        continue;
      }
      try {
        const keptHere = Date.now() - keptHereAtMs < LOCAL_POLL_MS;
        if (keptHere) await pause(LOCAL_POLL_MS);
        const entries = await store.inboxTake(consumer, held, Math.min(TAKE_MAX, maxInFlight - inFlight), keptHere ? 0 : TAKE_WAIT_MS);
        // A partition lost while waiting: its entries go to the new holder (reclaimed there).
        for (const entry of entries) if (leases.holds(entry.partition)) dispatch(entry);
      } catch (err) {
        log.warn({ err }, 'inbox not read; trying again');
        await pause(delayOf(2));
      }
    }
  }

  /**
   * Takes back, in the partitions held, entries another consumer took and never acknowledged since
   * (a worker that stopped between taking an entry and seeing its partition go, one that stalled past
   * its lease); entries in this instance's hand are left alone.
   */
  async function reclaimStranded(): Promise<void> {
    for (const partition of leases.held()) {
      const entries = await store.inboxReclaim(consumer, partition);
      const stranded = entries.filter((entry) => !inHand.has(handKey(entry)));
      if (stranded.length > 0) log.warn({ partition, entries: stranded.length }, 'stranded inbox entries taken back');
      for (const entry of stranded) dispatch(entry);
    }
  }

  async function leaseLoop(): Promise<void> {
    const everyMs = Math.max(50, Math.floor(leaseMs / 3));
    for (let tick = 1; running; tick += 1) {
      await leases.tick();
      // Stranded entries are rare (a stall past a lease): looked for once a lease period.
      if (tick % 3 === 0) await reclaimStranded().catch((err: unknown) => log.warn({ err }, 'inbox reclaim failed'));
      if ((tick * everyMs) % SWEEP_EVERY_MS < everyMs) await sweepStranded().catch((err: unknown) => log.warn({ err }, 'outbox sweep failed'));
      await pause(everyMs);
    }
  }

  /** Sends answers left in the outbox of held partitions whose chats have nothing in hand (a failed delivery). */
  async function sweepStranded(): Promise<void> {
    for (const chat of await store.outboxChats(100_000)) {
      const partition = partitionOf(chat.platform, chat.chatId, partitions);
      if (leases.holds(partition) && !sender.busy(chat.platform, chat.chatId) && !chats.busy(JSON.stringify([chat.platform, chat.chatId]))) {
        await sender.sweep(chat.platform, chat.chatId);
      }
    }
  }

  return {
    accept: async (update) => {
      const partition = partitionOf(update.inbound.platform, update.inbound.chat.id, partitions);
      const body = encodeUpdate(update);
      if (!running || !leases.holds(partition) || inFlight >= maxInFlight) {
        await store.inboxAppend(partition, body);
        return;
      }
      // This instance works the partition: the append takes the update (and any still waiting) at once.
      keptHereAtMs = Date.now();
      const { id, entries } = await store.inboxAppendAndTake(consumer, partition, body, TAKE_MAX);
      for (const entry of entries) dispatch(entry, entry.id === id ? update : undefined);
    },
    start() {
      if (running) return;
      running = true;
      loops = [leaseLoop(), takeLoop()];
    },
    async stop(graceMs) {
      if (!running) return;
      running = false;
      wakeStopped();
      const stopAt = Date.now() + graceMs;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled([...loops, ...idle]), late]);
      await sender.drain(Math.max(0, stopAt - Date.now()));
      clearTimeout(timer);
      await leases.releaseAll();
    },
  };
}
