/**
 * The intake side every adapter shares: whether updates are taken at all, the work in flight that
 * the outbound queues do not already track (an update waiting for capacity, a modal being judged),
 * and a bounded stop — `drain` waits for that work and for the outbound queues to empty, at most a
 * grace; then it abandons the sends still waiting for a platform that is down (and logs which chats
 * lost how many messages) and waits for the rest, which ends at once.
 */
import type { AbandonReport } from './ledger.js';

/** What the intake stops with: the platform's outbound queues. */
export interface DrainTarget {
  idle(): Promise<void>;
  abandon(): AbandonReport;
}

/** An adapter's intake. */
export interface Intake {
  /** True between `open` and `close` (or `drain`). */
  readonly accepting: boolean;
  open(): void;
  /** Stops taking updates; what is in flight goes on. */
  close(): void;
  /** Counts `work` as in flight until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T>;
  /**
   * Closes, then waits for the work in flight and the outbound queues, at most `graceMs`; past it,
   * abandons the waiting sends (logged) and waits for the rest to end.
   */
  drain(graceMs: number): Promise<void>;
}

/** Creates a closed intake over a platform's outbound queues. */
export function createIntake(options: { outbound: DrainTarget; log: { warn(obj: object, msg: string): void } }): Intake {
  const { outbound, log } = options;
  const work = new Set<Promise<unknown>>();
  let accepting = false;

  async function drained(): Promise<void> {
    do {
      while (work.size > 0) await Promise.allSettled([...work]);
      await outbound.idle();
    } while (work.size > 0);
  }

  return {
    get accepting() {
      return accepting;
    },
    open() {
      accepting = true;
    },
    close() {
      accepting = false;
    },
    track(promise) {
      work.add(promise);
      const forget = (): void => {
        work.delete(promise);
      };
      promise.then(forget, forget);
      return promise;
    },
    async drain(graceMs) {
      accepting = false;
      const done = drained();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
      const late = (await Promise.race([done, grace])) === 'late';
      clearTimeout(timer);
      if (!late) return;
      log.warn(outbound.abandon(), 'replies abandoned at shutdown');
      await done;
    },
  };
}
