/**
 * The fault tests' view of the service: `node bin/sciweek.js` as a child process with a Telegram token
 * against the Bot API stand-in (polling or webhook), on Redis (URL and prefix) or SQLite (a DATA_DIR), its JSON logs
 * collected; and the key-project conversation as many users type it, with what each step's reply says,
 * so a test can tell from the chat alone how many of a user's updates were handled.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { KEY_PROJECT_ANSWERS, REPO_ROOT } from './engine-harness.js';
import type { BotApi, SentMessage } from './telegram-bot-api.js';

/** The clock of every fault test: before the forms' deadline. */
export const FAULTS_NOW = '2021-04-20T10:00:00+08:00';

/** The webhook secret of webhook-mode services. */
export const FAULTS_WEBHOOK_SECRET = 'faults-secret_42';

/** One user's whole key-project filing: /file, the 16 answers, submit (18 updates). */
export const FILING_SCRIPT: readonly string[] = ['/file key-project', ...KEY_PROJECT_ANSWERS, '提交'];

/**
 * What the bot's last message says after the first `handled` updates of {@link FILING_SCRIPT}: the
 * question with its progress `（k/16）`, then the summary, then the receipt; undefined for none.
 */
export function expectedAfter(handled: number): RegExp | undefined {
  if (handled === 0) return undefined;
  if (handled <= KEY_PROJECT_ANSWERS.length) return new RegExp(`（${handled}/${KEY_PROJECT_ANSWERS.length}）`, 'u');
  if (handled === KEY_PROJECT_ANSWERS.length + 1) return /请核对附件2 重点项目备案表/u;
  return /回执号：KP-[0-9A-Z]{10}/u;
}

/** A running service process. */
export interface ServiceProcess {
  child: ChildProcessWithoutNullStreams;
  logs(): string;
  /** Log lines (parsed pino JSON) whose `msg` is `msg`. */
  logLines(msg: string): Record<string, unknown>[];
  /** Resolves with how the process ended and when (Date.now()). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  /** SIGKILLs it if it still runs. */
  kill(): void;
}

/** Options of {@link spawnService}. */
export interface ServiceOptions {
  api: BotApi;
  /** The store: Redis (URL and key prefix) or the embedded SQLite store in a DATA_DIR. */
  store?: { redisUrl: string; redisPrefix: string } | { dataDir: string };
  /** Shorthand for a Redis store. */
  redisUrl?: string;
  redisPrefix?: string;
  /** Webhook mode on this port; long polling when left out. */
  webhookPort?: number;
  env?: Record<string, string>;
}

function storeEnv(options: ServiceOptions): Record<string, string> {
  const store = options.store ?? { redisUrl: options.redisUrl ?? '', redisPrefix: options.redisPrefix ?? 'sciweek:' };
  return 'dataDir' in store ? { DATA_DIR: store.dataDir } : { REDIS_URL: store.redisUrl, REDIS_KEY_PREFIX: store.redisPrefix };
}

/** Starts `node bin/sciweek.js` with a Telegram token, as `npm start` would run it. */
export function spawnService(options: ServiceOptions): ServiceProcess {
  const webhook =
    options.webhookPort === undefined
      ? { PORT: '0' }
      : {
          PORT: String(options.webhookPort),
          TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${options.webhookPort}/telegram/hook`,
          TELEGRAM_WEBHOOK_SECRET: FAULTS_WEBHOOK_SECRET,
        };
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'sciweek.js')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      LOG_LEVEL: 'info',
      SCIWEEK_NOW: FAULTS_NOW,
      TELEGRAM_BOT_TOKEN: options.api.token,
      TELEGRAM_API_ROOT: options.api.apiRoot,
      ...storeEnv(options),
      ...webhook,
      ...options.env,
    },
  });
  let logs = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, atMs: Date.now() })),
  );
  const logLines = (msg: string): Record<string, unknown>[] =>
    logs
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['msg'] === msg);
  return {
    child,
    logs: () => logs,
    logLines,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Polls `check` every 20 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The text of the bot's last message to a chat, or undefined. */
export function lastText(api: BotApi, chatId: number): string | undefined {
  const sent: SentMessage[] = api.sentMessages(chatId);
  return sent.at(-1)?.plainText;
}
