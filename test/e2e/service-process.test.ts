/**
 * The bot as `npm start` runs it with a Telegram token, as a child process against the Bot API
 * stand-in: a whole filing leaves no phone number, e-mail, address or token in the JSON logs (debug
 * level), and SIGTERM stops intake, lets the service close, and exits 0.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir } from '../support/console-process.js';
import { KEY_PROJECT_ANSWERS, REPO_ROOT } from '../support/engine-harness.js';
import { startBotApi, type BotApi } from '../support/telegram-bot-api.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the service process', () => {
  it('files a project with no personal data or token in its logs, and exits 0 on SIGTERM', async () => {
    const api: BotApi = await startBotApi();
    cleanups.push(() => api.close());
    const data = makeDataDir();
    cleanups.push(data.remove);
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'sciweek.js')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        DATA_DIR: data.dir,
        PORT: '0',
        LOG_LEVEL: 'debug',
        SCIWEEK_NOW: '2021-04-20T10:00:00+08:00',
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
      },
    });
    let logs = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await until(() => api.callsOf('getUpdates').length > 0, 'the bot to poll');

    const chat = 5501;
    const messages = ['/file key-project', ...KEY_PROJECT_ANSWERS, '提交'];
    for (const text of messages) {
      const before = api.sentMessages(chat).length;
      api.pushUpdate(api.textMessage({ chatId: chat, fromId: chat, text }));
      await until(() => api.sentMessages(chat).length > before, `a reply to "${text.slice(0, 10)}"`);
    }
    await until(() => api.sentMessages(chat).some((m) => m.plainText.includes('回执号：KP-')), 'the receipt');

    // What the user typed that is personal, and the token, never reach the logs.
    const secrets = [api.token, '0532-85911893', 'kp@example.cn', '香港中路', '13800138000', '李四'];
    const typed = KEY_PROJECT_ANSWERS.join('\n');
    const checked = secrets.filter((s) => s === api.token || typed.includes(s));
    expect(checked.length).toBeGreaterThanOrEqual(5);
    for (const secret of checked) expect(logs, secret).not.toContain(secret);
    // The logs did record the conversation (debug level), so their silence about these is meaningful.
    expect(logs.split('\n').filter((line) => line.includes('"chatId":"5501"')).length).toBeGreaterThan(0);
    expect(logs).toContain('"msg":"adapter started"');

    child.kill('SIGTERM');
    const { code } = await exited;
    expect(code).toBe(0);
    expect(logs).toContain('"msg":"stopped"');
  });
});
