/**
 * The ioredis client as the bot wants it: fail fast while Redis is unreachable, reconnect by itself
 * with capped backoff, and a start-up wait that reports every failed attempt.
 */
import { Redis } from 'ioredis';
import { StoreError } from '../kernel/errors.js';

const RECONNECT_BASE_DELAY_MS = 100;
const RECONNECT_MAX_DELAY_MS = 2_000;

/** Delay before reconnect attempt `attempt` (1, 2, …): exponential, capped, with a little jitter. */
export function reconnectDelayMs(attempt: number): number {
  const delay = Math.min(RECONNECT_BASE_DELAY_MS * 2 ** Math.min(Math.max(attempt - 1, 0), 16), RECONNECT_MAX_DELAY_MS);
  return delay + Math.floor(Math.random() * (delay / 10));
}

/**
 * Creates the ioredis client a bot wants: calls made while Redis is unreachable reject at once instead
 * of queueing forever (the offline queue only serves the very first connection; in-flight commands are
 * failed, never replayed, when the connection drops; nothing waits longer than the command timeout),
 * and it reconnects by itself with capped backoff when Redis returns.
 */
export function createRedisClient(url: string): Redis {
  const redis = new Redis(url, {
    connectionName: 'sciweek-bot',
    connectTimeout: 5_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: true,
    retryStrategy: reconnectDelayMs,
    // Commands of concurrent messages issued in one tick leave in one socket write: with many
    // messages in flight that saves most write system calls (each message still waits its own two
    // round trips).
    enableAutoPipelining: true,
  });
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  // Errors reach callers as StoreErrors per call; without a listener ioredis would print each one.
  redis.on('error', () => undefined);
  return redis;
}

/** The URL with any password masked, fit for a log line. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable redis url)';
  }
}

/** Resolves when `redis` is ready; reports each failed attempt; rejects after `maxWaitMs` or on end. */
export function waitForReady(
  redis: Redis,
  maxWaitMs: number,
  onRetry: (attempt: number, retryInMs: number, error: unknown) => void,
): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let attempt = 0;
    let lastError: unknown;
    const onError = (error: unknown): void => void (lastError = error);
    const onReconnecting = (retryInMs: unknown): void => {
      attempt += 1;
      onRetry(attempt, typeof retryInMs === 'number' ? retryInMs : 0, lastError);
    };
    const finish = (error?: StoreError): void => {
      clearTimeout(timer);
      redis.off('error', onError).off('reconnecting', onReconnecting).off('ready', onReady).off('end', onEnd);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = (): void => finish();
    const onEnd = (): void => finish(new StoreError('redis store: connection ended before it was ready', { cause: lastError }));
    // An infinite wait (the bot's start-up) sets no timer: setTimeout would read Infinity as 1 ms.
    const timer = Number.isFinite(maxWaitMs)
      ? setTimeout(() => {
          finish(new StoreError(`redis store: no connection after ${maxWaitMs} ms`, { cause: lastError }));
        }, maxWaitMs)
      : undefined;
    redis.on('error', onError).on('reconnecting', onReconnecting).on('ready', onReady).on('end', onEnd);
    if (redis.status === 'wait') redis.connect().catch(() => undefined);
  });
}

