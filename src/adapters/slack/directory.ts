/**
 * What the Slack adapter looks up and keeps for a while: the bot's own user id, each user's name,
 * locale and admin flag (users.info), and each user's DM channel (conversations.open).
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../kernel/logger.js';
import type { SlackUser } from './to-inbound.js';

const USER_TTL_MS = 10 * 60 * 1000;
const MAX_USERS = 5000;

/** Cached Slack lookups. */
export interface SlackDirectory {
  init(): Promise<void>;
  botUserId(): string;
  user(id: string): Promise<SlackUser>;
  dmChannel(userId: string): Promise<string>;
}

/** Creates the directory over a Web API client. */
export function createSlackDirectory(client: webApi.WebClient, log: Logger): SlackDirectory {
  const users = new Map<string, { user: SlackUser; atMs: number }>();
  const dms = new Map<string, string>();
  let botUserId = '';
  return {
    async init() {
      const auth = await client.auth.test();
      botUserId = typeof auth.user_id === 'string' ? auth.user_id : '';
    },
    botUserId: () => botUserId,
    async user(id) {
      const cached = users.get(id);
      if (cached !== undefined && Date.now() - cached.atMs < USER_TTL_MS) return cached.user;
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
