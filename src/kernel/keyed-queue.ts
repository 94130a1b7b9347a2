/**
 * Runs tasks one at a time per key, in arrival order, and tasks of different keys in parallel. The
 * engine queues each session's messages so that one instance never races itself on a session:
 * compare-and-set conflicts then only come from other instances. The rate limiter queues a slowed
 * user's messages with it too, and the Telegram adapter a group's updates (members share its
 * binding). Each chat's replies keep their order in the adapters' outbound queues
 * (adapters/kit/outbound.ts).
 *
 * Every message passes the engine's queue, so the common case is kept cheap: a task whose key is
 * idle starts at once (synchronously, in the caller's turn) and costs one promise reaction; only a
 * task that has to wait behind another one allocates a waiter.
 */

/** A per-key serial queue. */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** True while a task of `key` runs or waits. */
  busy(key: string): boolean;
  /** Keys with a task running or waiting; for tests and metrics. */
  size(): number;
}

/** Creates an empty queue. */
export function createKeyedQueue(): KeyedQueue {
  // A key is present while one of its tasks runs; its array holds the starts of the tasks waiting.
  const waiting = new Map<string, Array<() => void>>();

  function next(key: string): void {
    const start = waiting.get(key)?.shift();
    if (start === undefined) waiting.delete(key);
    else start();
  }

  function start<T>(key: string, task: () => Promise<T>): Promise<T> {
    let result: Promise<T>;
    try {
      result = task();
    } catch (error) {
      result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    result.then(
      () => next(key),
      () => next(key),
    );
    return result;
  }

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const queue = waiting.get(key);
      if (queue === undefined) {
        waiting.set(key, []);
        return start(key, task);
      }
      return new Promise<void>((resolve) => queue.push(resolve)).then(() => start(key, task));
    },
    busy: (key) => waiting.has(key),
    size: () => waiting.size,
  };
}
