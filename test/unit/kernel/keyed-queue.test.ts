import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from '../../../src/kernel/keyed-queue.js';

/** A promise and its resolver, to finish tasks in a chosen order. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('keyed queue', () => {
  it('runs one task at a time per key, in arrival order, and other keys alongside', async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    const first = gate();
    const a1 = queue.run('a', async () => {
      log.push('a1 start');
      await first.promise;
      log.push('a1 end');
      return 1;
    });
    const a2 = queue.run('a', () => {
      log.push('a2');
      return Promise.resolve(2);
    });
    const b1 = queue.run('b', () => {
      log.push('b1');
      return Promise.resolve(3);
    });
    expect(await b1).toBe(3);
    expect(log).toEqual(['a1 start', 'b1']);
    expect(queue.busy('a')).toBe(true);
    first.open();
    expect(await Promise.all([a1, a2])).toEqual([1, 2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    expect(queue.size()).toBe(0);
    expect(queue.busy('a')).toBe(false);
  });

  it('goes on after a task that rejects or throws, and hands each caller its own outcome', async () => {
    const queue = createKeyedQueue();
    const failed = queue.run('k', () => Promise.reject(new Error('boom')));
    const thrown = queue.run('k', () => {
      throw new Error('sync');
    });
    const ok = queue.run('k', () => Promise.resolve('fine'));
    await expect(failed).rejects.toThrow('boom');
    await expect(thrown).rejects.toThrow('sync');
    expect(await ok).toBe('fine');
    expect(queue.size()).toBe(0);
  });

  it('keeps per-key order for any interleaving of tasks and finishing times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.nat(3)), { maxLength: 40 }), async (tasks) => {
        const queue = createKeyedQueue();
        const running = new Set<string>();
        const order = new Map<string, number[]>();
        await Promise.all(
          tasks.map(([key, ticks], index) =>
            queue.run(key, async () => {
              expect(running.has(key)).toBe(false);
              running.add(key);
              for (let i = 0; i < ticks; i += 1) await Promise.resolve();
              order.set(key, [...(order.get(key) ?? []), index]);
              running.delete(key);
            }),
          ),
        );
        for (const [key, seen] of order) {
          expect(seen).toEqual(tasks.flatMap(([k], i) => (k === key ? [i] : [])));
        }
        expect(queue.size()).toBe(0);
      }),
    );
  });
});
