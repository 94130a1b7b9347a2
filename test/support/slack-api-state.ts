/**
 * What the Web API stand-in remembers — messages (with their edit history), ephemerals, views and their
 * stacks, trigger ids, conversations, files and members — and how it renders Slack objects from it
 * (user, conversation and file objects shaped as `users.info`, `conversations.info` and `files.info`
 * return them).
 */
import { dmChannelOf, nextTriggerId, type JsonObject } from './slack-api-ids.js';
import { SlackError } from './slack-api-http.js';
import type { ChannelSpec, EphemeralMessage, FileSpec, OpenedView, SlackFile, StoredMessage, UserSpec } from './slack-api-types.js';

/** The fixed identity of the stand-in's workspace. */
export interface Workspace {
  botUserId: string;
  botUserName: string;
  botId: string;
  teamId: string;
  teamName: string;
  teamDomain: string;
  appId: string;
  /** `http://127.0.0.1:<port>` — where `url_private` points. */
  origin: string;
  /** How long a minted trigger id stays valid (3 s, as in Slack). */
  triggerTtlMs: number;
}

/** A minted trigger id. */
interface Trigger {
  mintedAt: number;
  used: boolean;
  viewId: string | undefined;
}

/** The offset in seconds and a label of an IANA time zone at the current instant. */
function zoneInfo(tz: string): { offset: number; label: string } {
  const part = (style: 'longOffset' | 'long'): string =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offset = match === null ? 0 : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
  return { offset, label: part('long') };
}

/** The stand-in's memory. */
export class SlackState {
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views = new Map<string, OpenedView>();
  readonly channels = new Map<string, ChannelSpec>();
  readonly users = new Map<string, UserSpec>();
  readonly files = new Map<string, { file: SlackFile; content: Buffer }>();
  /** External uploads (files.getUploadURLExternal): file id → name, declared length, bytes once posted. */
  readonly uploads = new Map<string, { filename: string; length: number; content?: Buffer }>();
  /** Files shared by files.completeUploadExternal, in order: which file went to which channel. */
  readonly shared: { fileId: string; channel: string; filename: string; content: Buffer; initialComment?: string }[] = [];
  private readonly triggers = new Map<string, Trigger>();

  constructor(readonly workspace: Workspace) {}

  /** Resolves a `channel` argument: a user id means the bot's DM with that user; unknown shapes fail. */
  channelId(raw: string | undefined): string {
    if (raw === undefined) throw new SlackError('channel_not_found');
    if (/^[UW][A-Z0-9]{2,}$/.test(raw)) return this.openDm(raw).id;
    if (!/^[CDG][A-Z0-9]{2,}$/.test(raw)) throw new SlackError('channel_not_found');
    return raw;
  }

  /** The bot's DM with a user, created on first use. */
  openDm(userId: string): ChannelSpec & { existed: boolean } {
    const id = dmChannelOf(userId);
    const known = this.channels.get(id);
    if (known !== undefined) return { ...known, existed: true };
    const spec: ChannelSpec = { id, type: 'im', user: userId };
    this.channels.set(id, spec);
    return { ...spec, existed: false };
  }

  /** The message the bot posted at `channel`/`ts`. */
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Mints a trigger id. */
  mintTrigger(viewId?: string): string {
    const id = nextTriggerId();
    this.triggers.set(id, { mintedAt: Date.now(), used: false, viewId });
    return id;
  }

  /** Exchanges a trigger id once: `invalid_trigger_id`, `exchanged_trigger_id` or `expired_trigger_id` otherwise. */
  exchangeTrigger(id: string | undefined): { viewId: string | undefined } {
    const trigger = id === undefined ? undefined : this.triggers.get(id);
    if (trigger === undefined) throw new SlackError('invalid_trigger_id');
    if (trigger.used) throw new SlackError('exchanged_trigger_id');
    if (Date.now() - trigger.mintedAt > this.workspace.triggerTtlMs) throw new SlackError('expired_trigger_id');
    trigger.used = true;
    return { viewId: trigger.viewId };
  }

  /** A `users.info` user object. */
  userObject(id: string, includeLocale: boolean): JsonObject {
    const spec = this.users.get(id);
    if (spec === undefined) throw new SlackError('user_not_found');
    const tz = spec.tz ?? 'Asia/Shanghai';
    const zone = zoneInfo(tz);
    const realName = spec.real_name ?? spec.name;
    return {
      id, team_id: this.workspace.teamId, name: spec.name, deleted: spec.deleted ?? false, color: '9f69e7', real_name: realName,
      tz, tz_label: zone.label, tz_offset: zone.offset,
      profile: {
        real_name: realName, display_name: spec.name, real_name_normalized: realName, display_name_normalized: spec.name, team: this.workspace.teamId,
        ...(spec.email === undefined ? {} : { email: spec.email }), ...(spec.phone === undefined ? {} : { phone: spec.phone }),
      },
      is_admin: spec.is_admin ?? false, is_owner: spec.is_owner ?? false, is_primary_owner: false, is_restricted: false,
      is_ultra_restricted: false, is_bot: spec.is_bot ?? false, is_app_user: false, updated: 1_700_000_000,
      ...(includeLocale ? { locale: spec.locale ?? 'en-US' } : {}),
    };
  }

  /** A `conversations.info` channel object; ids not registered are typed by prefix (D im, C channel, G group). */
  channelObject(rawId: string | undefined): JsonObject {
    const id = this.channelId(rawId);
    const spec = this.channels.get(id) ?? { id, type: id.startsWith('D') ? 'im' : id.startsWith('G') ? 'group' : 'channel' };
    const base = { id, created: 1_700_000_000, is_archived: false, is_org_shared: false, context_team_id: this.workspace.teamId };
    if (spec.type === 'im') return { ...base, is_im: true, is_channel: false, is_group: false, is_mpim: false, is_private: true, user: spec.user ?? null, is_user_deleted: false, priority: 0 };
    return {
      ...base, name: spec.name ?? id.toLowerCase(), is_channel: spec.type === 'channel', is_group: spec.type !== 'channel', is_im: false,
      is_mpim: spec.type === 'mpim', is_private: spec.type !== 'channel', is_general: false, is_member: true, is_shared: false, is_ext_shared: false,
    };
  }

  /** Registers a file; `url_private` points at the stand-in's file route. */
  registerFile(spec: FileSpec): SlackFile {
    const content = spec.content === undefined ? Buffer.alloc(spec.size ?? 0) : Buffer.from(spec.content);
    const base = `${this.workspace.origin}/files-pri/${this.workspace.teamId}-${spec.id}`;
    const file: SlackFile = {
      id: spec.id, created: Math.floor(Date.now() / 1000), timestamp: Math.floor(Date.now() / 1000), name: spec.name,
      title: spec.title ?? spec.name, mimetype: spec.mimetype, filetype: spec.filetype ?? (/\.([A-Za-z0-9]+)$/.exec(spec.name)?.[1]?.toLowerCase() ?? 'binary'),
      pretty_type: spec.mimetype, user: spec.user ?? this.workspace.botUserId, user_team: this.workspace.teamId, mode: 'hosted', editable: false,
      is_external: false, external_type: '', is_public: false, size: spec.size ?? content.length,
      url_private: `${base}/${encodeURIComponent(spec.name)}`, url_private_download: `${base}/download/${encodeURIComponent(spec.name)}`,
      permalink: `https://${this.workspace.teamDomain}.slack.com/files/${spec.user ?? this.workspace.botUserId}/${spec.id}/${spec.name}`,
    };
    this.files.set(spec.id, { file, content });
    return file;
  }
}
