/**
 * Simulated users for the reliability tests. Each user has a private chat with the bot and types a
 * script one message at a time, waiting for the bot's answer to a message (the reply the script says
 * it should get, seen in the Bot API stand-in's chat) before typing the next. Updates reach the bot
 * as Telegram brings them: over a webhook, the same update (same update_id) is posted again until it
 * is answered 200 — connection refused, a dropped call or a 503 is retried after 200 ms; over long
 * polling the stand-in keeps it until the bot confirms the offset. A message with no answer within
 * the patience (20 s) counts as unanswered, and the user types it again: a new update, as a person does.
 */
import type { BotApi, SentMessage, Update, UpdateInput } from './telegram-bot-api.js';
import type { Step } from './reliability-answers.js';
import { FAULTS_WEBHOOK_SECRET } from './faults-service.js';

/** One message a user typed (a re-typed message is a record of its own). */
export interface MessageRecord {
  user: number;
  /** Index of the message in the user's script. */
  step: number;
  text: string;
  updateId: number;
  sentAt: number;
  /** When the answer was seen in the chat; undefined: unanswered within the patience. */
  answeredAt: number | undefined;
}

/** How updates travel from "Telegram" to the bot. */
export interface Transport {
  /** Hands the update over; `taken` is called once the bot took it (webhook 200, or queued for polling). */
  send(update: Update, taken?: () => void): void;
  /** How the calls to the bot ended: by HTTP status, `refused` when the connection failed. */
  readonly calls: Record<string, number>;
  /** Every call to the bot: the update, its outcome (as in `calls`) and how long the call took. */
  readonly history: { updateId: number; outcome: string; ms: number }[];
  /** Stops retrying and waits for calls under way. */
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Long polling: the stand-in queues the update until the bot confirms the offset. */
export function pollingTransport(api: BotApi): Transport {
  const calls: Record<string, number> = { queued: 0 };
  return {
    calls,
    history: [],
    send(update, taken) {
      api.pushUpdate(update);
      calls['queued'] = (calls['queued'] ?? 0) + 1;
      taken?.();
    },
    close: () => Promise.resolve(),
  };
}

/**
 * A webhook as Telegram drives it: `post` makes one call and resolves with the HTTP status (rejects
 * when the connection fails); anything but 200 is retried with the same update after 200 ms.
 */
export function webhookTransport(post: (update: Update, attempt: number) => Promise<number>): Transport {
  const calls: Record<string, number> = {};
  const history: { updateId: number; outcome: string; ms: number }[] = [];
  const running = new Set<Promise<void>>();
  let closed = false;
  async function deliver(update: Update, taken?: () => void): Promise<void> {
    for (let attempt = 0; !closed; attempt += 1) {
      let status: number | undefined;
      const startedAt = Date.now();
      try {
        status = await post(update, attempt);
      } catch {
        status = undefined;
      }
      const outcome = status === undefined ? 'refused' : String(status);
      calls[outcome] = (calls[outcome] ?? 0) + 1;
      history.push({ updateId: update.update_id, outcome, ms: Date.now() - startedAt });
      if (status === 200) {
        taken?.();
        return;
      }
      await sleep(200);
    }
  }
  return {
    calls,
    history,
    send(update, taken) {
      const done = deliver(update, taken);
      running.add(done);
      void done.finally(() => running.delete(done));
    },
    async close() {
      closed = true;
      await Promise.allSettled([...running]);
    },
  };
}

/** The stand-in's registered webhook (one instance). */
export function standInWebhook(api: BotApi): Transport {
  return webhookTransport((update) => api.deliverWebhook(update));
}

/**
 * Several instances behind a load balancer: the webhook call goes straight to one instance's port
 * with the secret header, the next try of the same update to the next instance.
 */
export function balancedWebhook(ports: readonly number[]): Transport {
  let next = 0;
  return webhookTransport(async (update) => {
    const port = ports[next % ports.length] ?? 0;
    next += 1;
    const response = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': FAULTS_WEBHOOK_SECRET },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(30_000),
    });
    await response.text();
    return response.status;
  });
}

interface Waiter {
  from: number;
  pattern: RegExp;
  resolve: (at: number | undefined) => void;
}

/** Watches what the bot sends, chat by chat, reading only the new messages each time. */
export class ChatWatcher {
  private seen = 0;
  private readonly chats = new Map<number, SentMessage[]>();
  private readonly waiters = new Map<number, Set<Waiter>>();
  private readonly timer: NodeJS.Timeout;
  private halted = false;

  constructor(private readonly api: BotApi) {
    this.timer = setInterval(() => this.scan(), 20);
  }

  /** How many messages the chat got so far. */
  count(chat: number): number {
    this.scan();
    return this.chats.get(chat)?.length ?? 0;
  }

  /** Resolves with the time a message from index `from` on matches, or undefined after `timeoutMs`. */
  waitFor(chat: number, from: number, pattern: RegExp, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const set = this.waiters.get(chat) ?? new Set<Waiter>();
      this.waiters.set(chat, set);
      const timer = setTimeout(() => {
        set.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      const waiter: Waiter = {
        from,
        pattern,
        resolve: (at) => {
          clearTimeout(timer);
          set.delete(waiter);
          resolve(at);
        },
      };
      set.add(waiter);
      if (this.halted) waiter.resolve(undefined);
      else this.check(chat, waiter, Date.now());
    });
  }

  private check(chat: number, waiter: Waiter, at: number): void {
    const messages = this.chats.get(chat) ?? [];
    if (messages.slice(waiter.from).some((message) => waiter.pattern.test(message.plainText))) waiter.resolve(at);
  }

  private scan(): void {
    const all = this.api.sentMessages();
    if (all.length === this.seen) return;
    const at = Date.now();
    const touched = new Set<number>();
    for (const message of all.slice(this.seen)) {
      const list = this.chats.get(message.chat_id) ?? [];
      list.push(message);
      this.chats.set(message.chat_id, list);
      touched.add(message.chat_id);
    }
    this.seen = all.length;
    for (const chat of touched) for (const waiter of [...(this.waiters.get(chat) ?? [])]) this.check(chat, waiter, at);
  }

  /** True once stopped: users stop typing. */
  get stopped(): boolean {
    return this.halted;
  }

  /** Stops watching; every wait ends unanswered at once. */
  stop(): void {
    this.halted = true;
    clearInterval(this.timer);
    for (const set of this.waiters.values()) for (const waiter of [...set]) waiter.resolve(undefined);
  }
}

/** What the users share: the stand-in, the transport, the watcher and the log of messages. */
export interface Crowd {
  api: BotApi;
  transport: Transport;
  watcher: ChatWatcher;
  records: MessageRecord[];
  /** How long a user waits for an answer before typing the message again (default 20 s). */
  patienceMs?: number;
  /** The next update_id; ids grow in the order updates are made. */
  nextUpdateId(): number;
}

/** Creates the shared part of a crowd of users. */
export function createCrowd(api: BotApi, transport: Transport, patienceMs = 20_000): Crowd {
  let updateId = 500_000;
  return { api, transport, watcher: new ChatWatcher(api), records: [], patienceMs, nextUpdateId: () => (updateId += 1) };
}

/** Options of one message. */
export interface SayOptions {
  /** Called once the bot took the update (its inbox has it). */
  taken?: () => void;
  /** How many times the message is typed before the user gives up (default 3). */
  maxTries?: number;
}

/**
 * One user types `step.text` and waits for the answer (typing it again, as a new update, after each
 * patience without one). Resolves true when answered.
 */
export async function say(crowd: Crowd, user: number, stepIndex: number, step: Step, options: SayOptions = {}): Promise<boolean> {
  const maxTries = options.maxTries ?? 3;
  for (let tries = 1; tries <= maxTries && !crowd.watcher.stopped; tries += 1) {
    const from = crowd.watcher.count(user);
    const input: UpdateInput = crowd.api.textMessage({ chatId: user, fromId: user, text: step.text });
    const update: Update = { ...input, update_id: crowd.nextUpdateId() };
    const record: MessageRecord = { user, step: stepIndex, text: step.text, updateId: update.update_id, sentAt: Date.now(), answeredAt: undefined };
    crowd.records.push(record);
    crowd.transport.send(update, tries === 1 ? options.taken : undefined);
    record.answeredAt = await crowd.watcher.waitFor(user, from, step.expect, crowd.patienceMs ?? 20_000);
    if (record.answeredAt !== undefined) return true;
  }
  return false;
}

/** Options of {@link runUsers}. */
export interface RunOptions {
  users: readonly number[];
  script: (user: number) => Step[];
  /** A pause before each message, drawn between the two bounds (ms): people read and type. */
  thinkMs?: readonly [number, number];
}

/** Runs every user's script at once; resolves with the users who gave up on a message. */
export async function runUsers(crowd: Crowd, options: RunOptions): Promise<number[]> {
  const [low, high] = options.thinkMs ?? [300, 1200];
  const gaveUp: number[] = [];
  await Promise.all(
    options.users.map(async (user) => {
      const steps = options.script(user);
      for (const [index, step] of steps.entries()) {
        await sleep(low + Math.random() * (high - low));
        if (!(await say(crowd, user, index, step))) {
          gaveUp.push(user);
          return;
        }
      }
    }),
  );
  return gaveUp;
}

/** How many messages were answered so far. */
export function answered(crowd: Crowd): number {
  return crowd.records.filter((record) => record.answeredAt !== undefined).length;
}
