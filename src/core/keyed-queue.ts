/**
 * Runs tasks one at a time per key, in arrival order, and tasks of different keys in parallel. The
 * engine queues each session's messages so that one instance never races itself on a session:
 * compare-and-set conflicts then only come from other instances.
 */

/** A per-key serial queue. */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with a task running or waiting; for tests and metrics. */
  size(): number;
}

/** Creates an empty queue. */
export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    size: () => tails.size,
  };
}
