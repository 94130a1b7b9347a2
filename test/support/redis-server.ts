/**
 * Private redis-server processes for tests that must own their server: kill it mid-test, restart it on
 * the same port (and the same data directory), count its commands, or list every key it holds without
 * seeing other suites' keys. The shared server on 6379 stays for everything else; `deleteKeysByPrefix`
 * cleans a test's keys off it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createRedisKeys } from '../../src/store/keys.js';

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Listen here; a free port is picked when left out. */
  port?: number;
  /** Data directory; a fresh temp directory (removed by `remove`) when left out. */
  dir?: string;
  /** Persist every write to an append-only file (`--appendonly yes --appendfsync always`). */
  appendOnly?: boolean;
}

/** A running (or killed) private redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** SIGKILLs the process (no shutdown save) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and directory, and waits until it answers PING. */
  restart(): Promise<void>;
  /** Kills the server and removes the temp directory it created. */
  remove(): Promise<void>;
}

/** A TCP port nobody listens on right now (the OS picks it; a small race is accepted in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** True when something on `port` answers an inline PING with +PONG. */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

/** Waits until a server on `port` answers PING; rejects after `timeoutMs`. */
export async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingOnce(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

function spawnServer(port: number, dir: string, appendOnly: boolean): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  if (appendOnly) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  child.on('error', () => undefined);
  return child;
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Starts a private redis-server and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sciweek-redis-'));
  const appendOnly = options.appendOnly === true;
  let child = spawnServer(port, dir, appendOnly);
  try {
    await waitForPing(port);
  } catch (error) {
    await killChild(child);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    kill: () => killChild(child),
    restart: async () => {
      await killChild(child);
      child = spawnServer(port, dir, appendOnly);
      await waitForPing(port);
    },
    remove: async () => {
      await killChild(child);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Deletes every key under `prefix` (SCAN + UNLINK) on `url`, leaving other suites' keys alone. */
export async function deleteKeysByPrefix(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, found] = await admin.scan(cursor, 'MATCH', createRedisKeys(prefix).pattern(), 'COUNT', 500);
      if (found.length > 0) await admin.unlink(...found);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await admin.quit();
  }
}
