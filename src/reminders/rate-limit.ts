/**
 * Pacing of reminder sends to the platforms' limits: Telegram about 30 messages a second overall and
 * 20 a minute per group; Slack about one a second per channel. A sliding window per scope; `wait`
 * resolves when one more message may go.
 */

/** One limit: at most `count` messages per `windowMs`, overall or per chat. */
export interface Limit {
  count: number;
  windowMs: number;
  perChat: boolean;
}

/** The limits of each platform. */
export const PLATFORM_LIMITS: Readonly<Record<string, readonly Limit[]>> = {
  // Windows a little longer than the platforms': a message is counted when it leaves, and reaches the
  // API a few milliseconds later, so an exact window lets 31 arrive within one second.
  telegram: [
    { count: 30, windowMs: 1100, perChat: false },
    { count: 20, windowMs: 61_000, perChat: true },
  ],
  slack: [{ count: 1, windowMs: 1100, perChat: true }],
};

/** Waits until a message may go to `chatId` under every limit, then counts it. */
export interface RateLimiter {
  wait(chatId: string): Promise<void>;
}

/** Creates a limiter; `nowMs` and `sleep` are injectable so tests can run on a fake clock. */
export function createRateLimiter(
  limits: readonly Limit[],
  nowMs: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): RateLimiter {
  const sent = new Map<string, number[]>();
  const keyOf = (limit: Limit, index: number, chatId: string): string => `${index}:${limit.perChat ? chatId : '*'}`;
  /** How long until every window has room, 0 when it has now. */
  const delayMs = (chatId: string, now: number): number =>
    Math.max(
      0,
      ...limits.map((limit, index) => {
        const times = (sent.get(keyOf(limit, index, chatId)) ?? []).filter((t) => t > now - limit.windowMs);
        sent.set(keyOf(limit, index, chatId), times);
        const oldest = times[0];
        return times.length < limit.count || oldest === undefined ? 0 : oldest + limit.windowMs - now;
      }),
    );
  return {
    async wait(chatId) {
      for (let delay = delayMs(chatId, nowMs()); delay > 0; delay = delayMs(chatId, nowMs())) await sleep(delay);
      const now = nowMs();
      limits.forEach((limit, index) => {
        const key = keyOf(limit, index, chatId);
        sent.set(key, [...(sent.get(key) ?? []), now]);
      });
    },
  };
}
