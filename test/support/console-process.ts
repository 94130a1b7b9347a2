/**
 * Drives the real console chat as a child process (`node bin/sciweek.js chat …`), the way a person
 * or a script would: piped stdin, replies on stdout.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'sciweek.js');

/** A fresh DATA_DIR; remove it with the returned function. */
export function makeDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh DATA_DIR per call, each removed after the test that made it. */
export function dataDirsPerTest(): () => string {
  let made: (() => void)[] = [];
  afterEach(() => {
    for (const remove of made) remove();
    made = [];
  });
  return () => {
    const { dir, remove } = makeDataDir();
    made.push(remove);
    return dir;
  };
}

/** Options of one console process. */
export interface ConsoleRun {
  dataDir: string;
  user?: string;
  name?: string;
  lang?: string;
  /** The event clock (SCIWEEK_NOW); defaults to before the forms' deadline. */
  now?: string;
  env?: Record<string, string>;
}

function childEnv(run: ConsoleRun): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: run.dataDir, SCIWEEK_NOW: run.now ?? '2021-04-20T10:00:00+08:00', ...run.env };
  return env;
}

function args(run: ConsoleRun): string[] {
  return [BIN, 'chat', '--user', run.user ?? 'tester', '--name', run.name ?? '测试员', ...(run.lang === undefined ? [] : ['--lang', run.lang])];
}

/** Starts a console process and keeps it open for line-by-line driving. */
export function spawnConsole(run: ConsoleRun): {
  child: ChildProcessWithoutNullStreams;
  send: (line: string) => void;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, args(run), { cwd: ROOT, env: childEnv(run) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000): Promise<string> => {
    const started = Date.now();
    while (!pattern.test(stdout)) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`);
      if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return stdout;
  };
  return { child, send: (line) => child.stdin.write(`${line}\n`), output: () => stdout, waitFor, done };
}

/** Pipes all lines in, closes stdin, and resolves with everything printed and the exit code. */
export async function runConsoleScript(run: ConsoleRun, lines: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const chat = spawnConsole(run);
  chat.child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  const result = await chat.done;
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

/** What a one-shot `sciweek` command printed and how it ended. */
export interface SciweekRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/sciweek.js …args` (a CLI command, not the chat) with a clean environment: no REDIS_URL, no platform token. */
export function runSciweek(args: readonly string[], dataDir: string): Promise<SciweekRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        timeout: 25_000,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
