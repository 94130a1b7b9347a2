/**
 * Slack's half of the outbound kit: replies become Web API calls — messages (ephemeral in a channel
 * when answering a slash command, in a thread when answering a mention), file uploads, modals for
 * whole forms — and a failed call is classified: a channel the bot cannot write to is unreachable,
 * network errors, 5xx and Slack's own internal errors are transient, a rate limit that reaches us
 * asks us to wait, anything else is fatal. A modal needs a trigger id Slack takes only within 3 s of
 * the user's action; when it is gone (or there is none) the form is offered as a button in the user's
 * DM instead, whose press opens it, so a late answer still leads somewhere and never fails for good.
 * The Web API client honours 429 Retry-After and retries a little by itself (configured in the
 * adapter); order per channel, retries while Slack is down (default: three minutes), the bound on
 * waiting messages and shutdown are the kit's (../kit/outbound.ts).
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../kernel/logger.js';
import { bold, paragraph, type ChatReply, type FormView } from '../../domain/reply.js';
import type { SendOutcome } from '../../domain/platform.js';
import { createOutbound, type Outbound } from '../kit/outbound.js';
import type { Failure, PlatformCalls, RetrySettings } from '../kit/retry.js';
import { toModal, toSlackMessages, type SlackMessage } from './render.js';
import { SLACK, toEngineCommand } from './to-inbound.js';

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

/** A message to post to a channel. */
export interface SlackPost {
  channel: string;
  message: SlackMessage;
}

/** One Web API call that sends something. */
export type SlackCall =
  /** A modal, or when its trigger id is no longer good, `instead`: a message whose button asks for it again. */
  | { kind: 'modal'; triggerId: string; view: Record<string, unknown>; instead: SlackPost }
  | { kind: 'file'; channel: string; threadTs: string | undefined; name: string; data: Uint8Array; caption: string | undefined }
  | { kind: 'message'; channel: string; message: SlackMessage; ephemeralTo: string | undefined; threadTs: string | undefined };

/** Errors that mean the bot cannot write there at all. */
const UNREACHABLE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'user_not_found', 'cannot_dm_bot']);

/**
 * views.open's errors for a trigger id it will not take: unknown, used already, or older than the
 * 3 s Slack gives it (an answer that came late: the store was slow, the update waited in the inbox).
 */
const TRIGGER_GONE = new Set(['invalid_trigger_id', 'exchanged_trigger_id', 'expired_trigger_id']);

/** Slack errors that say "try later": Slack's own internal errors. */
const TRANSIENT = new Set(['fatal_error', 'internal_error', 'service_unavailable', 'request_timeout']);

/** The Slack error code of a failed call, if it is a platform error. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The system error code (ECONNREFUSED, ECONNRESET…) under a request error, if there is one. */
function networkCode(error: unknown): string | undefined {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && typeof cause === 'object' && cause !== null; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a failed Web API call means. */
export function classifySlackError(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  if (typeof error !== 'object' || error === null) return { kind: 'fatal', status: undefined, message };
  const { code, statusCode, retryAfter } = error as { code?: unknown; statusCode?: unknown; retryAfter?: unknown };
  if (code === 'slack_webapi_request_error') {
    // The client says only "fetch failed": the system's code tells a refused connection from a reset.
    const system = networkCode(error);
    return { kind: 'transient', status: undefined, message: system === undefined ? message : `${message} (${system})` };
  }
  if (code === 'slack_webapi_rate_limited_error' && typeof retryAfter === 'number') return { kind: 'retryAfter', status: 429, message, seconds: retryAfter };
  if (code === 'slack_webapi_http_error') {
    const status = typeof statusCode === 'number' ? statusCode : undefined;
    return { kind: status === undefined || status >= 500 ? 'transient' : 'fatal', status, message };
  }
  const platform = slackErrorCode(error);
  if (platform === undefined) return { kind: 'fatal', status: undefined, message };
  // A platform error comes in an HTTP 200 answer with `ok: false`.
  if (UNREACHABLE.has(platform)) return { kind: 'unreachable', status: 200, message: platform, reason: platform };
  return { kind: TRANSIENT.has(platform) ? 'transient' : 'fatal', status: 200, message: platform };
}

/**
 * What stands in for a modal that cannot open: in the chat the modal belongs to (the user's DM), the
 * form's title with a button labelled with it, whose press asks for the form as `/sciweek file <form>`
 * does — and brings a fresh trigger id along.
 */
export function formOffer(to: SlackDestination, form: FormView): SlackPost {
  const { command } = toEngineCommand(`file ${form.flowId}`);
  const offer: ChatReply = { kind: 'choices', blocks: [paragraph(bold(form.title))], buttons: [{ label: form.title, payload: command, role: 'nav' }] };
  const [message = { text: '', blocks: [] }] = toSlackMessages(offer);
  return { channel: to.formChat ?? to.channel, message };
}

/** The calls that send replies to a destination, in order. */
export function toSlackCalls(to: SlackDestination, replies: readonly ChatReply[]): SlackCall[] {
  const calls: SlackCall[] = [];
  for (const reply of replies) {
    if (reply.kind === 'form') {
      const instead = formOffer(to, reply.form);
      if (to.triggerId === undefined) {
        calls.push({ kind: 'message', channel: instead.channel, message: instead.message, ephemeralTo: undefined, threadTs: undefined });
        continue;
      }
      const metadata = JSON.stringify({ flowId: reply.form.flowId, chat: to.formChat ?? to.channel });
      calls.push({ kind: 'modal', triggerId: to.triggerId, view: toModal(reply.form, metadata), instead });
    } else if (reply.kind === 'file') {
      // Files are never ephemeral: an export asked for in a channel goes to the asker's DM.
      const channel = to.ephemeralTo !== undefined ? (to.formChat ?? to.ephemeralTo) : to.channel;
      calls.push({ kind: 'file', channel, threadTs: to.threadTs, name: reply.name, data: reply.data, caption: reply.caption });
    } else {
      for (const message of toSlackMessages(reply)) calls.push({ kind: 'message', channel: to.channel, message, ephemeralTo: to.ephemeralTo, threadTs: to.threadTs });
    }
  }
  return calls;
}

/** The Web API calls that send replies. */
export function slackCalls(client: webApi.WebClient): PlatformCalls<SlackCall> {
  async function post(channel: string, message: SlackMessage, ephemeralTo: string | undefined, threadTs: string | undefined): Promise<void> {
    const base = { channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false };
    if (ephemeralTo !== undefined) await client.chat.postEphemeral({ ...base, user: ephemeralTo });
    else await client.chat.postMessage(threadTs === undefined ? base : { ...base, thread_ts: threadTs });
  }
  return {
    platform: SLACK,
    classify: classifySlackError,
    method(call) {
      if (call.kind === 'modal') return 'views.open';
      if (call.kind === 'file') return 'files.uploadV2';
      return call.ephemeralTo === undefined ? 'chat.postMessage' : 'chat.postEphemeral';
    },
    async call(_chat, call) {
      if (call.kind === 'modal') {
        try {
          await client.views.open({ trigger_id: call.triggerId, view: call.view as never });
        } catch (error) {
          const code = slackErrorCode(error);
          if (code === undefined || !TRIGGER_GONE.has(code)) throw error;
          await post(call.instead.channel, call.instead.message, undefined, undefined);
        }
        return;
      }
      if (call.kind === 'file') {
        const upload = { channel_id: call.channel, file: Buffer.from(call.data), filename: call.name, ...(call.caption === undefined ? {} : { initial_comment: call.caption }) };
        await client.filesUploadV2(call.threadTs === undefined ? upload : { ...upload, thread_ts: call.threadTs });
        return;
      }
      await post(call.channel, call.message, call.ephemeralTo, call.threadTs);
    },
  };
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

/** Sends replies, in order per channel (the kit's outbound queues over Web API calls). */
export interface SlackSender extends Omit<Outbound<SlackCall>, 'send' | 'sendLater'> {
  /** Sends replies after the channel's messages already handed over. */
  send(to: SlackDestination, replies: readonly ChatReply[]): Promise<SendOutcome>;
}

/** Sends replies; `onUnreachable` hears about channels that refuse the bot. */
export function createSlackSender(deps: SlackSenderDeps): SlackSender {
  const outbound = createOutbound({
    ...deps,
    calls: slackCalls(deps.client),
    defaults: { maxAttempts: Number.POSITIVE_INFINITY, retryWindowMs: 180_000 },
  });
  return {
    ...outbound,
    send: (to, replies) => outbound.send(to.channel, toSlackCalls(to, replies)),
  };
}
