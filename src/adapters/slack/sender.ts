/**
 * Outbound Slack calls: replies as messages (ephemeral in a channel when answering a slash
 * command, in a thread when answering a mention), modals for whole forms, in order per channel. A
 * channel the bot cannot write to is recorded once and not retried. The Web API client honours 429
 * Retry-After and retries a little by itself (configured in the adapter); beyond that, while Slack is
 * down (network errors, 5xx), a reply is tried again with backoff for a time window (default three
 * minutes), its channel's later replies waiting behind it; a stopping service abandons what still
 * waits (see outbound-retry.ts).
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../kernel/logger.js';
import type { Reply } from '../../domain/reply.js';
import type { SendOutcome } from '../../domain/platform.js';
import { backoffMs, createOutboundQueue, exhausted, retryPolicyOf, type RetrySettings } from '../outbound-retry.js';
import { toModal, toSlackMessages } from './render.js';

/** Where and how one batch of replies goes. */
export interface SlackDestination {
  channel: string;
  /** Answer only this user (a slash command in a channel). */
  ephemeralTo?: string;
  /** Answer in this thread (a mention in a channel). */
  threadTs?: string;
  /** Lets a `form` reply open a modal (from a slash command or a button). */
  triggerId?: string;
  /** The chat whose session the modal's submission belongs to (the user's DM). */
  formChat?: string;
}

/** Errors that mean the bot cannot write there at all. */
const UNREACHABLE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'user_not_found', 'cannot_dm_bot']);

/** The Slack error code of a failed call, if it is a platform error. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Slack errors that say "try later": network failures, 5xx, and Slack's own internal errors. */
const TRANSIENT = new Set(['fatal_error', 'internal_error', 'service_unavailable', 'request_timeout']);

/** True when a failed call may succeed if tried again later. */
export function isTransientSlackError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (code === 'slack_webapi_request_error') return true;
  if (code === 'slack_webapi_http_error') return typeof statusCode !== 'number' || statusCode >= 500;
  const platform = slackErrorCode(error);
  return platform !== undefined && TRANSIENT.has(platform);
}

/**
 * What the Slack sender is built from. Retries while Slack is down: no attempt limit, a window of
 * three minutes by default.
 */
export interface SlackSenderDeps extends RetrySettings {
  client: webApi.WebClient;
  log: Logger;
  onUnreachable: (channel: string, reason: string) => void;
}

/** Sends replies, in order per channel. */
export interface SlackSender {
  send(to: SlackDestination, replies: readonly Reply[]): Promise<SendOutcome>;
  /** Resolves when every queued send has ended. */
  idle(): Promise<void>;
  /** Gives up every waiting send at once (shutdown); returns what was waiting. */
  abandon(): { chats: number; messages: number; byChat: Record<string, number> };
}

/** Sends replies; `onUnreachable` hears about channels that refuse the bot. */
export function createSlackSender(deps: SlackSenderDeps): SlackSender {
  const nowMs = deps.nowMs ?? Date.now;
  const policy = retryPolicyOf(deps, { maxAttempts: Number.POSITIVE_INFINITY, retryWindowMs: 180_000 });
  const outbound = createOutboundQueue(deps, deps.log);
  const ledger = outbound.ledger;

  /** Delivers one reply, trying again while Slack is down; false when the channel refuses the bot. */
  async function deliverWithRetries(to: SlackDestination, reply: Reply): Promise<boolean> {
    let failures = 0;
    let firstFailureMs = 0;
    for (;;) {
      ledger.check(to.channel);
      try {
        return await deliver(to, reply);
      } catch (error) {
        failures += 1;
        if (failures === 1) firstFailureMs = nowMs();
        if (!isTransientSlackError(error) || exhausted(policy, failures, firstFailureMs, nowMs())) throw error;
        deps.log.warn({ channel: to.channel, failures }, 'slack send failed, retrying');
        await ledger.pause(to.channel, backoffMs(policy, failures));
      }
    }
  }

  async function deliver(to: SlackDestination, reply: Reply): Promise<boolean> {
    try {
      if (reply.kind === 'form') {
        if (to.triggerId === undefined) return true;
        const metadata = JSON.stringify({ flowId: reply.form.flowId, chat: to.formChat ?? to.channel });
        await deps.client.views.open({ trigger_id: to.triggerId, view: toModal(reply.form, metadata) as never });
        return true;
      }
      if (reply.kind === 'file') {
        // Files are never ephemeral: an export asked for in a channel goes to the asker's DM.
        const channel = to.ephemeralTo !== undefined ? (to.formChat ?? to.ephemeralTo) : to.channel;
        const upload = { channel_id: channel, file: Buffer.from(reply.data), filename: reply.name, ...(reply.caption === undefined ? {} : { initial_comment: reply.caption }) };
        await deps.client.filesUploadV2(to.threadTs === undefined ? upload : { ...upload, thread_ts: to.threadTs });
        return true;
      }
      for (const message of toSlackMessages(reply)) {
        const base = { channel: to.channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false };
        if (to.ephemeralTo !== undefined) await deps.client.chat.postEphemeral({ ...base, user: to.ephemeralTo });
        else await deps.client.chat.postMessage(to.threadTs === undefined ? base : { ...base, thread_ts: to.threadTs });
      }
      return true;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code !== undefined && UNREACHABLE.has(code)) {
        deps.log.warn({ channel: to.channel, code }, 'channel unreachable');
        deps.onUnreachable(to.channel, code);
        return false;
      }
      throw error;
    }
  }

  return {
    send: (to, replies) => outbound.send(to.channel, replies, (reply) => deliverWithRetries(to, reply)),
    idle: () => outbound.idle(),
    abandon: () => ledger.abandon(),
  };
}

