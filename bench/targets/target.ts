/**
 * What the driver measures: one bot behind the in-memory Bot API, fed Telegram updates one at a time.
 * Each bot (ours and the two peers) implements this, so all three run the identical workload and are
 * measured the same way.
 */
import type { ClientMeter } from '../redis-meter.js';
import type { StubBotApi } from '../http-stub.js';
import type { TextUpdate } from '../workload.js';

/** The names of the measured bots, as in results.json. */
export type TargetName = 'ours' | 'telegraf' | 'grammyConversations';

/** A bot under measurement. */
export interface Target {
  readonly name: TargetName;
  /** The in-memory Bot API the bot calls (counts receipts and rejections it sent). */
  readonly api: StubBotApi;
  /** Round trips and commands of the bot's own Redis clients. */
  readonly meter: ClientMeter;
  /** Connects to Redis and initialises the bot (getMe). */
  init(): Promise<void>;
  /** Handles one update; resolves when its replies are sent. */
  handle(update: TextUpdate): Promise<void>;
  /** The Redis keys holding the in-progress session of a user (chat id = user id). */
  sessionKeys(userId: number): string[];
  /** Closes the bot's Redis clients. */
  close(): Promise<void>;
}

/** Where a target keeps its data: the Redis URL with the target's own db. */
export interface TargetOptions {
  redisUrl: string;
}
