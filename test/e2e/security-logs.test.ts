/**
 * No personal data and no secret in any log line, at LOG_LEVEL=debug with the SDKs' own debug output
 * on (`DEBUG=grammy*,ioredis:*`): the service as `npm start` runs it, a child process on Redis, files
 * a key project with distinctive values over Telegram (against the Bot API stand-in) and over Slack
 * (typed in the DM, then through the modal, against the Web API stand-in, with a user whose users.info
 * carries a real name, an e-mail and a phone); the console chat does the same at debug. The output
 * never holds a name, phone, e-mail, address, project title, form value or token, every line is our
 * JSON, and the SDKs' debug lines (request bodies, Redis commands) are there, redacted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allFlows } from '../../flows/index.js';
import { makeDataDir, runConsoleScript } from '../support/console-process.js';
import { REPO_ROOT } from '../support/engine-harness.js';
import { FAULTS_NOW, spawnService, until } from '../support/faults-service.js';
import {
  FILER_FRAGMENTS, PRIVATE_ANSWERS, PRIVATE_FRAGMENTS, SLACK_FILER, SLACK_SECRETS, TELEGRAM_FILER, TELEGRAM_TOKEN,
  debugLines, expectNone, jsonLines, slackSdkLines,
} from '../support/log-leaks.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';
import { SLACK_DEFAULTS, dmMessageEvent, postEvent, postInteraction, postSigned, slashCommandBody, startSlackApi, viewSubmissionPayload } from '../support/slack-api.js';
import type { InputValue, JsonObject, SlackApi } from '../support/slack-api.js';
import { startBotApi } from '../support/telegram-bot-api.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const DEBUG = 'grammy*,ioredis:*';
const FIELDS: readonly string[] = allFlows.find((flow) => flow.id === 'key-project')?.fields.map((field) => field.id) ?? [];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh Redis key prefix, removed after the test. */
function redisPrefix(name: string): string {
  const prefix = `logs-${name}-${process.pid}-${Date.now()}:`;
  cleanups.push(() => deleteKeysByPrefix(REDIS_URL, prefix));
  return prefix;
}

/** Waits until `count()` grew past `before`, then until it stayed put for a moment. */
async function grown(count: () => number, before: number, what: string): Promise<void> {
  await until(() => count() > before, what);
  let seen = count();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 120));
    if (count() === seen) return;
    seen = count();
  }
}

describe('logs at debug', () => {
  it('a Telegram filing on Redis: no personal value or token in any line, SDK debug lines present', async () => {
    const api = await startBotApi({ token: TELEGRAM_TOKEN });
    cleanups.push(() => api.close());
    const service = spawnService({ api, redisUrl: REDIS_URL, redisPrefix: redisPrefix('tg'), env: { LOG_LEVEL: 'debug', DEBUG } });
    cleanups.push(() => service.kill());
    let stdout = '';
    service.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    await until(() => api.callsOf('getUpdates').length > 0, 'the bot to poll');

    const chat = TELEGRAM_FILER.fromId;
    for (const text of ['/file key-project', ...PRIVATE_ANSWERS, '提交']) {
      const before = api.sentMessages(chat).length;
      api.pushUpdate(api.textMessage({ chatId: chat, ...TELEGRAM_FILER, text }));
      await until(() => api.sentMessages(chat).length > before, `a reply to "${text.slice(0, 10)}"`);
    }
    await until(() => api.sentMessages(chat).some((m) => m.plainText.includes('回执号：KP-')), 'the receipt');
    expect(api.sentMessages(chat).some((m) => m.plainText.includes('诸葛明月'))).toBe(true);
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);

    const output = service.logs() + stdout;
    expectNone(output, [...PRIVATE_FRAGMENTS, ...FILER_FRAGMENTS, TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(':')[1] ?? ''], 'the Telegram service output');
    const lines = jsonLines(service.logs());
    expect(debugLines(lines, 'grammy:').length).toBeGreaterThan(0);
    const redis = debugLines(lines, 'ioredis:');
    expect(redis.filter((text) => text.includes('write command')).length).toBeGreaterThan(20);
    expect(lines.filter((line) => line['msg'] === 'message handled').length).toBe(PRIVATE_ANSWERS.length + 2);
  });

  it('a Slack filing in the DM and through the modal: nothing of the user, the values or the tokens', async () => {
    const api = await startSlackApi({ botToken: SLACK_SECRETS.botToken, users: { [SLACK_FILER.id]: SLACK_FILER.spec } });
    cleanups.push(() => api.close());
    const slack = await spawnSlackService(api, redisPrefix('slack'));
    const channel = `D${SLACK_FILER.id.slice(1)}`;
    const messages = (): number => api.messages(channel).length;

    for (const text of ['file key-project', ...PRIVATE_ANSWERS, '提交']) {
      const before = messages();
      const answer = await postEvent(slack.eventsUrl, SLACK_SECRETS.signingSecret, dmMessageEvent({ userId: SLACK_FILER.id, channel, text }), {
        eventId: `Ev${Date.now()}${before}`,
      });
      expect(answer.status).toBe(200);
      await grown(messages, before, `a reply to "${text.slice(0, 10)}"`);
    }
    expect(JSON.stringify(api.messages(channel).at(-1))).toMatch(/KP-[0-9A-Z]{10}/);

    // The modal: opened by the slash command, submitted with every value.
    const command = slashCommandBody({ command: '/sciweek', text: 'file key-project', userId: SLACK_FILER.id, userName: SLACK_FILER.spec.name, channelId: channel, triggerId: api.triggerId() });
    expect((await postSigned(slack.eventsUrl, SLACK_SECRETS.signingSecret, new URLSearchParams(command).toString())).status).toBe(200);
    await until(() => api.views().length > 0, 'the modal');
    const view = api.views().at(-1)?.view ?? {};
    const before = messages();
    const submitted = await postInteraction(slack.eventsUrl, SLACK_SECRETS.signingSecret, viewSubmissionPayload({ userId: SLACK_FILER.id, view, values: modalValues(view) }));
    expect(submitted.status).toBe(200);
    expect(submitted.body).not.toContain('errors');
    await grown(messages, before, 'the receipt of the modal');
    await slack.stop();

    const output = slack.output();
    expectNone(output, [...PRIVATE_FRAGMENTS, ...FILER_FRAGMENTS, 'fangfang', SLACK_SECRETS.botToken, SLACK_SECRETS.signingSecret, SLACK_DEFAULTS.verificationToken], 'the Slack service output');
    const lines = jsonLines(slack.stderr());
    const sdk = slackSdkLines(lines);
    for (const said of ["apiCall('users.info')", "apiCall('chat.postMessage')", "apiCall('views.open')", 'http request body: {', 'http request result: {']) {
      expect(sdk.some((text) => text.includes(said)), said).toBe(true);
    }
    // The user's profile as users.info answered it, and the message bodies: there, their values gone.
    expect(sdk.some((text) => text.startsWith('http request result: {"ok":true,"user":{"id":"U0FANG01"') && text.includes('"real_name":"[redacted]"'))).toBe(true);
    expect(sdk.filter((text) => text.startsWith('http request body: {') && text.includes('"text":"[redacted]"')).length).toBeGreaterThan(PRIVATE_ANSWERS.length);
    expect(debugLines(lines, 'ioredis:').filter((text) => text.includes('write command')).length).toBeGreaterThan(20);
  });

  it('the console chat at debug: nothing personal on stderr', async () => {
    const data = makeDataDir();
    cleanups.push(data.remove);
    const run = await runConsoleScript(
      { dataDir: data.dir, user: 'murong', name: `${TELEGRAM_FILER.firstName}${TELEGRAM_FILER.lastName}`, env: { LOG_LEVEL: 'debug', DEBUG } },
      ['/file key-project', ...PRIVATE_ANSWERS, '提交'],
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('回执号');
    expectNone(run.stderr, [...PRIVATE_FRAGMENTS, ...FILER_FRAGMENTS], 'the console chat stderr');
    expect(jsonLines(run.stderr).filter((line) => line['msg'] === 'message handled').length).toBe(PRIVATE_ANSWERS.length + 2);
  });
});

/** The submitted state of the key-project modal: the district picked, the rest typed. */
function modalValues(view: JsonObject): Record<string, Record<string, InputValue>> {
  const blocks = Array.isArray(view['blocks']) ? (view['blocks'] as JsonObject[]) : [];
  const values: Record<string, Record<string, InputValue>> = {};
  for (const block of blocks) {
    const element = block['element'] as JsonObject | undefined;
    const index = FIELDS.indexOf(String(block['block_id']));
    if (block['type'] !== 'input' || element === undefined || index < 0) continue;
    const type = String(element['type']);
    const options = Array.isArray(element['options']) ? (element['options'] as JsonObject[]) : [];
    const state: InputValue =
      type === 'static_select'
        ? { type, selected_option: options.find((o) => o['value'] === 'shinan') ?? null }
        : { type, value: PRIVATE_ANSWERS[index] ?? '' };
    values[String(block['block_id'])] = { [String(element['action_id'])]: state };
  }
  return values;
}

/** `npm start` with only Slack configured (HTTP mode) on Redis, at debug, as a child process. */
async function spawnSlackService(api: SlackApi, prefix: string): Promise<{ eventsUrl: string; stop(): Promise<void>; output(): string; stderr(): string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'sciweek.js')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PORT: '0', LOG_LEVEL: 'debug', DEBUG, SCIWEEK_NOW: FAULTS_NOW,
      SLACK_BOT_TOKEN: SLACK_SECRETS.botToken, SLACK_SIGNING_SECRET: SLACK_SECRETS.signingSecret, SLACK_API_URL: api.apiUrl,
      REDIS_URL, REDIS_KEY_PREFIX: prefix,
    },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let port = 0;
  await until(() => {
    port = Number(/"port":(\d+)[^\n]*"msg":"http server listening"/.exec(stderr)?.[1] ?? 0);
    return port > 0 && stderr.includes('"msg":"slack started"');
  }, 'the Slack service to start');
  return {
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    async stop() {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
    output: () => stderr + stdout,
    stderr: () => stderr,
  };
}
