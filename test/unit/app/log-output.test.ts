import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { toBoltLogger } from '../../../src/adapters/slack/bolt-logger.js';
import { redactingDestination, routeDebugOutput } from '../../../src/app/log-output.js';
import type { Logger } from '../../../src/kernel/logger.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A debug-level pino logger writing through the redacting destination to a file; `lines(n)` waits for n lines and reads them. */
function fileLogger(): { log: pino.Logger; lines: (n: number) => Promise<Record<string, unknown>[]> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-log-'));
  const file = path.join(dir, 'log');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = pino({ level: 'debug' }, redactingDestination(openSync(file, 'w')));
  return {
    log,
    lines: async (n) => {
      // The destination writes asynchronously, in order.
      const read = (): string[] => readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
      for (let waited = 0; read().length < n && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      return read().map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}

/** A logger that keeps what it is given. */
function capture(): { log: Logger; seen: { level: string; obj: Record<string, unknown>; msg: string }[] } {
  const seen: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void seen.push({ level, obj: obj as Record<string, unknown>, msg });
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return { log, seen };
}

describe('the redacting destination', () => {
  it('writes every pino line redacted: fields, child bindings and errors', async () => {
    const { log, lines } = fileLogger();
    log.child({ platform: 'telegram', displayName: '慕容秋水' }).info({ chatId: '730501', text: '诸葛明月 13957268431' }, 'message handled');
    log.error({ err: Object.assign(new Error('send to kp@example.cn failed'), { payload: { text: '司马青云' } }) }, 'reply not delivered');
    const [first, second] = await lines(2);
    expect(first).toMatchObject({ level: 30, platform: 'telegram', displayName: '[redacted]', chatId: '730501', text: '[redacted]', msg: 'message handled' });
    expect(second?.['err']).toMatchObject({ type: 'Error', message: 'send to [email] failed', payload: '[redacted]' });
    expect(JSON.stringify(second)).not.toContain('司马青云');
  });

  it('takes the Slack SDKs’ lines through the Bolt bridge and redacts them there', async () => {
    const { log, lines } = fileLogger();
    const bolt = toBoltLogger(log.child({ platform: 'slack' }));
    bolt.debug('http request body: {"channel":"D0FANG01","text":"联系人：诸葛明月","blocks":"[]"}');
    bolt.debug('http request result: {"ok":true,"user":{"id":"U0FANG01","real_name":"欧阳芳芳","profile":{"email":"f@x.cn"}}}');
    bolt.error('Slack API error: invalid_blocks', Object.assign(new Error('An API error occurred: invalid_blocks'), { data: { ok: false, error: 'invalid_blocks' } }));
    const [body, result, error] = await lines(3);
    expect(body?.['sdk']).toBe('http request body: {"channel":"D0FANG01","text":"[redacted]","blocks":"[redacted]"}');
    expect(result?.['sdk']).toBe('http request result: {"ok":true,"user":{"id":"U0FANG01","real_name":"[redacted]","profile":"[redacted]"}}');
    expect(error).toMatchObject({ level: 50, msg: 'slack sdk', err: { message: 'An API error occurred: invalid_blocks', data: { ok: false, error: 'invalid_blocks' } } });
  });
});

describe('the debug output of grammY and ioredis', () => {
  it('becomes a debug line of ours, with interpolated objects reduced to ids and numbers', () => {
    const { log, seen } = capture();
    routeDebugOutput(log);
    // The `debug` module grammY loads (ioredis shares it).
    const debug = createRequire(createRequire(import.meta.url).resolve('grammy'))('debug') as {
      (namespace: string): (...args: unknown[]) => void;
      enable(namespaces: string): void;
    };
    debug.enable('sciweek-probe');
    const probe = debug('sciweek-probe');
    probe('write command[%s]: %d -> %s(%o)', '127.0.0.1:6379 (db)', 0, 'xadd', ['sciweek:inbox:3', '*', 'inbound', '{"user":{"displayName":"慕容秋水"}}']);
    probe('profile %O', { id: 5, first_name: '慕容' });
    expect(seen).toEqual([
      { level: 'debug', msg: 'sdk debug', obj: { ns: 'sciweek-probe', sdk: 'write command[127.0.0.1:6379 (db)]: 0 -> xadd(["[redacted]","[redacted]","[redacted]","[redacted]"])' } },
      { level: 'debug', msg: 'sdk debug', obj: { ns: 'sciweek-probe', sdk: 'profile {"id":5,"first_name":"[redacted]"}' } },
    ]);
  });
});
