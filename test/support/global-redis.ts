/**
 * Vitest global setup: the Redis tests use REDIS_URL, else 127.0.0.1:6379. On a machine where neither
 * answers, a private `redis-server` (no persistence, a temp directory) is started for the run and
 * REDIS_URL points the test workers at it, so `npm test` works on a fresh machine with Redis installed.
 */
import { createConnection } from 'node:net';
import { startRedisServer, type RedisServer } from './redis-server.js';

/** True when something answers PING at host:port within a second. */
function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Starts a private Redis when none answers; the returned function stops it after the run. */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env['REDIS_URL'] !== undefined) return undefined;
  if (await answersPing('127.0.0.1', 6379)) return undefined;
  let server: RedisServer;
  try {
    server = await startRedisServer();
  } catch (error) {
    process.stderr.write(`No Redis answers at 127.0.0.1:6379 and redis-server could not be started (${String(error)}); the Redis tests will fail. Install redis-server or set REDIS_URL.\n`);
    return undefined;
  }
  process.env['REDIS_URL'] = server.url;
  return () => server.remove();
}
