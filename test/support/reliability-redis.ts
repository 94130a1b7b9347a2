/**
 * A private redis-server for a reliability test: a free port, a temp directory, no persistence, and
 * DEBUG allowed (DEBUG SLEEP stalls the whole server, as a long fork or a swapped-out host does).
 * Nothing else uses it, so the test may stall it and read every key without seeing other suites'.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitForPing } from './redis-server.js';

/** A running private redis-server. */
export interface StallableRedis {
  readonly url: string;
  readonly port: number;
  /**
   * Opens the connections of a stall of `seconds`, so that `fire` sends `DEBUG SLEEP` at once; `fire`
   * resolves once the server is asleep (a PING on another connection goes unanswered), with `woke`,
   * which resolves when it answers again.
   */
  armStall(seconds: number): Promise<{ fire(): Promise<{ woke: Promise<void> }> }>;
  /** Kills the server and removes its directory. */
  remove(): Promise<void>;
}

/** Starts the server and waits until it answers PING. */
export async function startStallableRedis(): Promise<StallableRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-reliability-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes'],
    { stdio: 'ignore' },
  );
  child.on('error', () => undefined);
  const remove = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(port);
  } catch (error) {
    await remove();
    throw error;
  }
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    port,
    async armStall(seconds) {
      const sleeper = new Redis(url, { maxRetriesPerRequest: 0, commandTimeout: (seconds + 30) * 1000 });
      const probe = new Redis(url, { maxRetriesPerRequest: 0, commandTimeout: 200 });
      await Promise.all([sleeper.ping(), probe.ping()]);
      return {
        async fire() {
          const woke = sleeper
            .call('DEBUG', 'SLEEP', String(seconds))
            .then(() => undefined)
            .finally(() => sleeper.disconnect());
          // Asleep once a PING sent after the DEBUG goes unanswered.
          for (let i = 0; i < 50; i += 1) {
            const answered = await probe.ping().then(() => true, () => false);
            if (!answered) break;
          }
          probe.disconnect();
          return { woke };
        },
      };
    },
    remove,
  };
}
