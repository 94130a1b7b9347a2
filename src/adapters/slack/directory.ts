/**
 * What the Slack adapter looks up and keeps for a while: the bot's own user id, each user's name,
 * locale and admin flag (users.info), and each user's DM channel (conversations.open). Slack waits
 * for an update's acknowledgement while the user is looked up, so a lookup that takes too long is not
 * waited for: the update goes on with the bare user id, and the answer, when it comes, is kept for the
 * user's next update.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../kernel/logger.js';
import type { SlackUser } from './to-inbound.js';

const USER_TTL_MS = 10 * 60 * 1000;
const MAX_USERS = 5000;
/** How long an update waits for users.info before it goes on without the user's name and locale. */
const USER_WAIT_MS = 1000;

/** Cached Slack lookups. */
export interface SlackDirectory {
  init(): Promise<void>;
  botUserId(): string;
  /** The user, or `{ id, displayName: id }` when Slack does not tell within `waitMs` (default 1 s). */
  user(id: string, waitMs?: number): Promise<SlackUser>;
  dmChannel(userId: string): Promise<string>;
}

/** Creates the directory over a Web API client. */
export function createSlackDirectory(client: webApi.WebClient, log: Logger): SlackDirectory {
  const users = new Map<string, { user: SlackUser; atMs: number }>();
  const dms = new Map<string, string>();
  const asking = new Map<string, Promise<SlackUser>>();
  let botUserId = '';

  async function lookUp(id: string): Promise<SlackUser> {
    let user: SlackUser = { id, displayName: id };
    try {
      const info = await client.users.info({ user: id, include_locale: true });
      const u = info.user;
      if (u !== undefined) {
        user = { id, displayName: u.profile?.display_name || u.real_name || u.name || id, isAdmin: u.is_admin === true || u.is_owner === true };
        if (typeof u.locale === 'string') user.localeHint = u.locale;
      }
    } catch (err) {
      log.warn({ err, user: id }, 'users.info failed');
    }
    if (users.size >= MAX_USERS) users.clear();
    users.set(id, { user, atMs: Date.now() });
    return user;
  }

  return {
    async init() {
      const auth = await client.auth.test();
      botUserId = typeof auth.user_id === 'string' ? auth.user_id : '';
    },
    botUserId: () => botUserId,
    async user(id, waitMs = USER_WAIT_MS) {
      const cached = users.get(id);
      if (cached !== undefined && Date.now() - cached.atMs < USER_TTL_MS) return cached.user;
      let pending = asking.get(id);
      if (pending === undefined) {
        const started = lookUp(id).finally(() => asking.delete(id));
        asking.set(id, started);
        pending = started;
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<SlackUser>((resolve) => (timer = setTimeout(() => resolve({ id, displayName: id }), waitMs)));
      try {
        return await Promise.race([pending, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async dmChannel(userId) {
      const known = dms.get(userId);
      if (known !== undefined) return known;
      const opened = await client.conversations.open({ users: userId });
      const id = opened.channel?.id ?? userId;
      dms.set(userId, id);
      return id;
    },
  };
}
