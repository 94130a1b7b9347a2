/**
 * Outbound Slack calls: replies as messages (ephemeral in a channel when answering a slash
 * command, in a thread when answering a mention), modals for whole forms, in order per channel. A
 * channel the bot cannot write to is recorded once and not retried; the Web API client itself
 * honours 429 Retry-After and retries a little (configured in the adapter), never for half an hour.
 */
import type { webApi } from '@slack/bolt';
import { createKeyedQueue } from '../../core/keyed-queue.js';
import type { Logger } from '../../core/logger.js';
import type { Reply } from '../../core/reply.js';
import type { SendOutcome } from '../adapter.js';
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

/** Sends replies; `onUnreachable` hears about channels that refuse the bot. */
export function createSlackSender(deps: {
  client: webApi.WebClient;
  log: Logger;
  onUnreachable: (channel: string, reason: string) => void;
}): { send(to: SlackDestination, replies: readonly Reply[]): Promise<SendOutcome>; idle(): Promise<void> } {
  const queue = createKeyedQueue();
  const pending = new Set<Promise<void>>();

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
    send(to, replies) {
      const run = queue.run(to.channel, async (): Promise<SendOutcome> => {
        for (const reply of replies) if (!(await deliver(to, reply))) return 'unreachable';
        return 'sent';
      });
      const tracked = run.then(
        () => undefined,
        (err: unknown) => deps.log.error({ err, channel: to.channel }, 'reply not delivered'),
      );
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
      return run;
    },
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

