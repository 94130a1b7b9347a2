/**
 * The reminder dispatcher: on every tick the one instance holding the leader lease plans what is due
 * and sends it. Each (rule, chat) is claimed in the Store before sending and kept claimed once sent,
 * so restarts and several instances never send twice; a send that failed is released and tried on a
 * later tick, a few times at most; a chat the bot cannot write to is marked and reported to staff.
 * Sends are paced to each platform's limits. Every outcome is recorded. A platform that is down (its
 * send failed after the adapter's own retries) is not tried again for the rest of the wave: its other
 * reminders stay unclaimed for the next tick. `stop` ends a running wave after its current send.
 */
import type { PlatformAdapter } from '../domain/platform.js';
import type { Clock } from '../kernel/clock.js';
import type { EventData } from '../domain/event.js';
import type { I18n } from '../kernel/i18n.js';
import type { Locale } from '../kernel/locale.js';
import { PlatformApiError } from '../kernel/errors.js';
import type { Logger } from '../kernel/logger.js';
import { textReply, type Reply } from '../domain/reply.js';
import type { ReminderOutcome } from '../domain/records.js';
import type {
  ClaimStore,
  DeclarationStore,
  FilingQueries,
  GroupDirectory,
  ReminderLog,
  UnreachableChats,
} from '../store/store.js';
import { reminderReply } from './message.js';
import { planReminders, type DueReminder } from './planner.js';
import { createRateLimiter, PLATFORM_LIMITS, type RateLimiter } from './rate-limit.js';
import type { ReminderRules } from './rules.js';

/**
 * The stores the dispatcher uses: claims (each send, and the leader lease), the reminder log, the
 * groups, filings and declarations it plans from, and the unreachable chats it skips and marks.
 */
export type DispatcherStore = ClaimStore &
  ReminderLog &
  Pick<GroupDirectory, 'listGroups'> &
  Pick<FilingQueries, 'listFilings'> &
  Pick<DeclarationStore, 'listDeclarations'> &
  Pick<UnreachableChats, 'markUnreachable' | 'listUnreachable'>;

/** What the dispatcher is built from. */
export interface DispatcherDeps {
  store: DispatcherStore;
  event: EventData;
  rules: ReminderRules;
  clock: Clock;
  log: Logger;
  i18n: I18n;
  locale: Locale;
  adapters: ReadonlyMap<string, Pick<PlatformAdapter, 'send'>>;
  /** Staff as `platform:userId`: they get the overdue notes and the unreachable-group reports. */
  staff: readonly string[];
  /** This instance's name in claims and the lease. */
  instanceId: string;
  /** How long the leader lease lasts without renewal (default 60 s). */
  leaseTtlMs?: number;
  /** How long an unfinished send stays claimed (default 5 min): a crash mid-send frees it after this. */
  sendingTtlMs?: number;
  /** Failed waves before a reminder is given up (default 3). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
  onOutcome?: (outcome: ReminderOutcome['outcome']) => void;
}

/** What one wave did. */
export interface WaveResult {
  leader: boolean;
  due: number;
  sent: number;
  unreachable: number;
  failed: number;
  skipped: number;
}

const LEADER = 'reminders:leader';
const DONE_TTL_MS = 400 * 24 * 60 * 60 * 1000;

/** Each staff member's private chat (a Telegram private chat id is the user id; Slack takes a user id as channel). */
function staffTargets(staff: readonly string[]): { platform: string; chatId: string; district: string }[] {
  return staff.flatMap((id) => {
    const [platform, user] = id.split(':');
    return platform === undefined || user === undefined ? [] : [{ platform, chatId: user, district: '*' }];
  });
}

/** The chats a reminder goes to: the bound group, or every staff member. */
function targetsOf(reminder: DueReminder, staff: readonly string[]): { platform: string; chatId: string; district: string }[] {
  if (reminder.audience === 'groups') return [{ platform: reminder.group.platform, chatId: reminder.group.chatId, district: reminder.district }];
  return staffTargets(staff);
}

/**
 * True when a failed send says the platform is down (no answer, 5xx, sends abandoned at shutdown or
 * piling up), not one chat's problem: every adapter fails its sends as a PlatformApiError.
 */
function platformDown(err: unknown): boolean {
  return err instanceof PlatformApiError && err.transient;
}

/** A running dispatcher: `tick` runs one wave, `start` ticks on an interval until `stop`. */
export interface Dispatcher {
  tick(options?: { ruleId?: string }): Promise<WaveResult>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** Creates the dispatcher. */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const log = deps.log.child({ module: 'reminders' });
  const t = deps.i18n.forLocale(deps.locale);
  const limiters = new Map<string, RateLimiter>();
  const failures = new Map<string, number>();
  const maxAttempts = deps.maxAttempts ?? 3;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  /** Platforms whose send failed in the current wave (down, not one chat's problem). */
  const down = new Set<string>();

  const limiter = (platform: string): RateLimiter => {
    let found = limiters.get(platform);
    if (found === undefined) {
      found = createRateLimiter(PLATFORM_LIMITS[platform] ?? [{ count: 1, windowMs: 1000, perChat: true }], deps.nowMs, deps.sleep);
      limiters.set(platform, found);
    }
    return found;
  };

  async function record(outcome: ReminderOutcome): Promise<void> {
    deps.onOutcome?.(outcome.outcome);
    await deps.store.recordReminder(outcome).catch((err: unknown) => log.error({ err }, 'reminder outcome not recorded'));
  }

  async function reportUnreachable(platform: string, chatId: string, district: string): Promise<void> {
    const name = deps.event.districts.find((d) => d.id === district)?.name[deps.locale] ?? district;
    const note: Reply = textReply(t('reminders.unreachable', { platform, chat: chatId, district: name }));
    for (const target of staffTargets(deps.staff)) {
      await deps.adapters.get(target.platform)?.send(target.chatId, [note]).catch(() => undefined);
    }
  }

  /** Sends one reminder to one chat under its claim; returns what happened. */
  async function deliver(reminder: DueReminder, target: { platform: string; chatId: string; district: string }): Promise<keyof Omit<WaveResult, 'leader' | 'due'>> {
    const claim = `reminder:${reminder.ruleId}:${JSON.stringify([target.platform, target.chatId])}`;
    if (!(await deps.store.claim(claim, deps.instanceId, deps.sendingTtlMs ?? 5 * 60_000))) return 'skipped';
    const adapter = deps.adapters.get(target.platform);
    const base = { at: deps.clock.now().toISOString(), ruleId: reminder.ruleId, platform: target.platform, chatId: target.chatId, district: target.district };
    if (adapter === undefined) {
      await deps.store.renewClaim(claim, deps.instanceId, DONE_TTL_MS);
      await record({ ...base, outcome: 'failed', detail: 'no adapter for this platform' });
      return 'failed';
    }
    let outcome: 'sent' | 'unreachable';
    try {
      await limiter(target.platform).wait(target.chatId);
      outcome = await adapter.send(target.chatId, [reminderReply(deps.event, t, deps.locale, reminder, deps.clock.now())]);
    } catch (err) {
      const attempts = (failures.get(claim) ?? 0) + 1;
      failures.set(claim, attempts);
      log.warn({ err, ruleId: reminder.ruleId, platform: target.platform, attempts }, 'reminder send failed');
      if (platformDown(err)) down.add(target.platform);
      // Tried again on a later wave, a few times at most; then given up and recorded.
      if (attempts >= maxAttempts) await deps.store.renewClaim(claim, deps.instanceId, DONE_TTL_MS);
      else await deps.store.releaseClaim(claim, deps.instanceId);
      await record({ ...base, outcome: 'failed', detail: err instanceof Error ? err.message : String(err) });
      return 'failed';
    }
    // Delivered: from here on nothing may release the claim, or the group would hear it twice.
    const kept = await deps.store.renewClaim(claim, deps.instanceId, DONE_TTL_MS).catch((err: unknown) => {
      log.error({ err, ruleId: reminder.ruleId }, 'sent reminder not marked done');
      return false;
    });
    if (!kept) log.warn({ ruleId: reminder.ruleId, platform: target.platform }, 'sent reminder claim expired before it was marked done');
    await record({ ...base, outcome });
    if (outcome === 'unreachable') {
      await deps.store
        .markUnreachable({ platform: target.platform, chatId: target.chatId, reason: 'reminder not delivered', at: base.at })
        .catch((err: unknown) => log.error({ err }, 'unreachable chat not recorded'));
      await reportUnreachable(target.platform, target.chatId, target.district);
      return 'unreachable';
    }
    return 'sent';
  }

  async function wave(options: { ruleId?: string } = {}): Promise<WaveResult> {
    const result: WaveResult = { leader: false, due: 0, sent: 0, unreachable: 0, failed: 0, skipped: 0 };
    const leaseTtlMs = deps.leaseTtlMs ?? 60_000;
    const leader =
      (await deps.store.renewClaim(LEADER, deps.instanceId, leaseTtlMs)) || (await deps.store.claim(LEADER, deps.instanceId, leaseTtlMs));
    if (!leader) return result;
    result.leader = true;
    const [bound, filings, declarations, unreachable] = await Promise.all([
      deps.store.listGroups(),
      deps.store.listFilings({ eventId: deps.event.id }),
      deps.store.listDeclarations(deps.event.id),
      deps.store.listUnreachable(),
    ]);
    // A group that removed the bot is not tried again until it is bound again (/bind clears the mark).
    const gone = new Set(unreachable.map((chat) => JSON.stringify([chat.platform, chat.chatId])));
    const groups = bound.filter((group) => !gone.has(JSON.stringify([group.platform, group.chatId])));
    const due = planReminders({ event: deps.event, rules: deps.rules, groups, filings, declarations, now: deps.clock.now() }).filter(
      (r) => options.ruleId === undefined || r.ruleId === options.ruleId,
    );
    result.due = due.length;
    down.clear();
    for (const reminder of due) {
      for (const target of targetsOf(reminder, deps.staff)) {
        if (stopped) {
          log.info({ ...result }, 'reminder wave cut short: stopping');
          return result;
        }
        if (down.has(target.platform)) {
          result.skipped += 1;
          continue;
        }
        // Keep the lease while a long wave runs; an instance that lost it stops, the new leader goes on.
        if (!(await deps.store.renewClaim(LEADER, deps.instanceId, leaseTtlMs))) {
          log.warn({}, 'reminder lease lost mid-wave');
          result.leader = false;
          return result;
        }
        result[await deliver(reminder, target)] += 1;
      }
    }
    if (result.due > 0) log.info({ ...result }, 'reminder wave');
    return result;
  }

  const tick = (options?: { ruleId?: string }): Promise<WaveResult> => {
    const next = running.then(() => wave(options));
    running = next.catch(() => undefined);
    return next;
  };

  return {
    tick,
    start(intervalMs) {
      timer ??= setInterval(() => {
        tick().catch((err: unknown) => log.error({ err }, 'reminder wave failed'));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running;
      await deps.store.releaseClaim(LEADER, deps.instanceId).catch(() => false);
    },
  };
}
