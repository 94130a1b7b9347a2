/**
 * The update feed of the Bot API stand-in: the queue of unconfirmed updates, `getUpdates` long polling
 * (held until an update arrives or `timeout` passes; `offset` confirms; one poller at a time — a new
 * one terminates the held one with 409), `allowed_updates`, and the webhook (set / delete / info, and
 * delivering an update to it the way Telegram does).
 */
import {
  ApiFailure, badRequest, boolParam, intParam, isRecord, jsonParam, stringParam,
} from './telegram-bot-api-http.js';
import type { Params, Update, UpdateInput, WebhookInfo } from './telegram-bot-api-types.js';

/** Update kinds Telegram leaves out when `allowed_updates` is empty or was never given. */
const OPT_IN_KINDS = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const TERMINATED = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/** A registered webhook. */
export interface Webhook {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections?: number;
  drop_pending_updates: boolean;
}

/** The kind of an update: its one field besides `update_id`. */
export function updateKind(update: UpdateInput): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

interface HeldPoll {
  limit: number;
  finish(result: Update[] | ApiFailure): void;
}

/** The queue, the long poll and the webhook; see the module comment. */
export class UpdateFeed {
  private queue: Update[] = [];
  private lastId = 10_000;
  private allowed: Set<string> | undefined;
  private held: HeldPoll | undefined;
  private current: Webhook | undefined;

  /** The registered webhook, if any. */
  get webhook(): Webhook | undefined {
    return this.current;
  }

  /** Updates queued and not yet confirmed. */
  pending(): Update[] {
    return [...this.queue];
  }

  /** True when the bot's allowed_updates let this kind through. */
  private allows(kind: string): boolean {
    return this.allowed === undefined ? !OPT_IN_KINDS.has(kind) : this.allowed.has(kind);
  }

  /** Queues an update (assigning an increasing update_id when missing) and wakes a held poll. */
  push(input: UpdateInput): Update {
    const update: Update = { ...input, update_id: input.update_id ?? this.lastId + 1 };
    this.lastId = Math.max(this.lastId, update.update_id);
    if (!this.allows(updateKind(update))) return update;
    this.queue.push(update);
    this.queue.sort((a, b) => a.update_id - b.update_id);
    const held = this.held;
    if (held !== undefined) {
      this.held = undefined;
      held.finish(this.queue.slice(0, held.limit));
    }
    return update;
  }

  /** Stores `allowed_updates` when the parameter was given (an empty list restores the default). */
  private setAllowed(params: Params): string[] | undefined {
    const value = jsonParam(params, 'allowed_updates', "can't parse allowed updates JSON object");
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((kind): kind is string => typeof kind === 'string')) return badRequest('allowed updates must be an Array of String');
    this.allowed = value.length === 0 ? undefined : new Set(value);
    return value;
  }

  /** Drops every queued update. */
  private drop(): void {
    this.queue = [];
  }

  /** Ends a held poll with an error (or with no updates), if one is held. */
  private releaseHeld(outcome: Update[] | ApiFailure): void {
    const held = this.held;
    this.held = undefined;
    held?.finish(outcome);
  }

  /**
   * `getUpdates`: resolves with the updates, or rejects with an {@link ApiFailure} (409 conflicts). A
   * held poll is given a moment to be seen closing first, so a client that aborts its poll and confirms
   * at once (grammY's `bot.stop()`) does not get its abandoned request answered 409.
   */
  async getUpdates(params: Params, signal: AbortSignal): Promise<Update[]> {
    if (this.held !== undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.poll(params, signal);
  }

  private poll(params: Params, signal: AbortSignal): Promise<Update[]> {
    if (this.current !== undefined) return Promise.reject(new ApiFailure(409, WEBHOOK_ACTIVE));
    const offset = intParam(params, 'offset') ?? 0;
    const limit = Math.min(100, Math.max(1, intParam(params, 'limit') ?? 100));
    const timeout = Math.max(0, intParam(params, 'timeout') ?? 0);
    this.setAllowed(params);
    if (offset < 0) this.queue = this.queue.slice(offset);
    else if (offset > 0) this.queue = this.queue.filter((update) => update.update_id >= offset);
    this.releaseHeld(new ApiFailure(409, TERMINATED));
    if (this.queue.length > 0 || timeout === 0) return Promise.resolve(this.queue.slice(0, limit));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.releaseHeld([]), timeout * 1000);
      const poll: HeldPoll = {
        limit,
        finish: (outcome) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (outcome instanceof ApiFailure) reject(outcome);
          else resolve(outcome);
        },
      };
      const onAbort = (): void => {
        if (this.held === poll) this.releaseHeld([]);
      };
      signal.addEventListener('abort', onAbort);
      this.held = poll;
    });
  }

  /** `setWebhook`: registers the URL (an empty URL deletes the webhook); a held poll ends with 409. */
  setWebhook(params: Params): { result: true; description: string } {
    const url = stringParam(params, 'url') ?? '';
    if (url === '') return this.deleteWebhook(params);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return badRequest('bad webhook: Failed to resolve host: Name or service not known');
    }
    // Telegram requires https; the stand-in also takes http so tests can listen on 127.0.0.1.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = stringParam(params, 'secret_token');
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return badRequest('secret token contains unallowed characters');
    const allowed = this.setAllowed(params);
    const maxConnections = intParam(params, 'max_connections');
    const drop = boolParam(params, 'drop_pending_updates');
    if (drop) this.drop();
    const same = this.current?.url === url;
    this.current = {
      url,
      drop_pending_updates: drop,
      ...(secret === undefined ? {} : { secret_token: secret }),
      ...(allowed === undefined ? {} : { allowed_updates: allowed }),
      ...(maxConnections === undefined ? {} : { max_connections: maxConnections }),
    };
    this.releaseHeld(new ApiFailure(409, 'Conflict: terminated by setWebhook request'));
    return { result: true, description: same ? 'Webhook is already set' : 'Webhook was set' };
  }

  /** `deleteWebhook`. */
  deleteWebhook(params: Params): { result: true; description: string } {
    const had = this.current !== undefined;
    this.current = undefined;
    if (boolParam(params, 'drop_pending_updates')) this.drop();
    return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
  }

  /** `getWebhookInfo`. */
  webhookInfo(): WebhookInfo {
    const hook = this.current;
    return {
      url: hook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
      ...(hook?.max_connections === undefined ? {} : { max_connections: hook.max_connections }),
      ...(hook?.allowed_updates === undefined ? {} : { allowed_updates: hook.allowed_updates }),
    };
  }

  /**
   * POSTs an update to the webhook as Telegram does (JSON, `X-Telegram-Bot-Api-Secret-Token` with the
   * registered secret, or `secret` when given; `null` sends none). Returns the status and the reply
   * body, which may carry a method call (`{ method, ... }`).
   */
  async deliver(input: UpdateInput, secret?: string | null): Promise<{ update: Update; status: number; reply: unknown }> {
    const hook = this.current;
    if (hook === undefined) throw new Error('deliverWebhook: no webhook is set (call setWebhook first)');
    const update: Update = { ...input, update_id: input.update_id ?? this.lastId + 1 };
    this.lastId = Math.max(this.lastId, update.update_id);
    const token = secret === undefined ? hook.secret_token : secret ?? undefined;
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-telegram-bot-api-secret-token': token }) },
      body: JSON.stringify(update),
    });
    const text = await response.text();
    let reply: unknown;
    try {
      reply = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      reply = undefined;
    }
    return { update, status: response.status, reply: isRecord(reply) ? reply : undefined };
  }

  /** Answers a held poll with no updates (on server close). */
  close(): void {
    this.releaseHeld([]);
  }
}
