/**
 * The Slack sender against the Web API stand-in through the real WebClient: a file reply is uploaded
 * (files.uploadV2: getUploadURLExternal, the upload, completeUploadExternal) to the channel, or to the
 * asker's DM when it answers a slash command in a channel; text replies are escaped.
 */
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../../../src/adapters/slack/sender.js';
import { silentLogger } from '../../../../src/kernel/logger.js';
import { textReply } from '../../../../src/domain/reply.js';
import { startSlackApi, type SlackApi } from '../../../support/slack-api.js';

let apis: SlackApi[] = [];
afterEach(async () => {
  await Promise.all(apis.map((api) => api.close()));
  apis = [];
});

async function setup(): Promise<{ api: SlackApi; sender: ReturnType<typeof createSlackSender>; unreachable: string[] }> {
  const api = await startSlackApi();
  apis.push(api);
  const client = new webApi.WebClient(api.botToken, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
  const unreachable: string[] = [];
  const sender = createSlackSender({ client, log: silentLogger, onUnreachable: (channel, reason) => unreachable.push(`${channel} ${reason}`) });
  return { api, sender, unreachable };
}

describe('slack sender', () => {
  it('uploads a file reply to the channel with its name and bytes', async () => {
    const { api, sender } = await setup();
    const data = new TextEncoder().encode('\uFEFF回执号,项目名称\r\nKP-1,海洋科普\r\n');
    const outcome = await sender.send({ channel: 'D0DM' }, [{ kind: 'file', name: 'sciweek-key-project.csv', mime: 'text/csv', data, caption: '导出' }]);
    expect(outcome).toBe('sent');
    const [shared] = api.sharedFiles('D0DM');
    expect(shared?.filename).toBe('sciweek-key-project.csv');
    expect(shared?.content.equals(Buffer.from(data))).toBe(true);
    expect(shared?.initialComment).toBe('导出');
  });

  it('sends a file asked for in a channel to the asker’s DM, not the channel', async () => {
    const { api, sender } = await setup();
    await sender.send({ channel: 'C0CHAN', ephemeralTo: 'U0STAFF', formChat: 'D0STAFF' }, [
      { kind: 'file', name: 'a.xlsx', mime: 'application/octet-stream', data: new Uint8Array([1, 2, 3]) },
    ]);
    expect(api.sharedFiles('C0CHAN')).toEqual([]);
    expect(api.sharedFiles('D0STAFF').map((f) => f.filename)).toEqual(['a.xlsx']);
  });

  it('reports a channel the bot was removed from and stops', async () => {
    const { api, sender, unreachable } = await setup();
    api.failNext('chat.postMessage', { error: 'not_in_channel' });
    const outcome = await sender.send({ channel: 'C0GONE' }, [textReply('a'), textReply('b')]);
    expect(outcome).toBe('unreachable');
    expect(unreachable).toEqual(['C0GONE not_in_channel']);
    expect(api.callsOf('chat.postMessage')).toHaveLength(1);
  });
});

describe('slack sender while Slack is down', () => {
  async function downSetup(retryWindowMs: number) {
    const api = await startSlackApi();
    apis.push(api);
    const client = new webApi.WebClient(api.botToken, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
    const waits: number[] = [];
    let now = 0;
    const sender = createSlackSender({
      client,
      log: silentLogger,
      onUnreachable: () => undefined,
      baseDelayMs: 100,
      retryWindowMs,
      nowMs: () => now,
      sleep: (ms) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
    });
    return { api, sender, waits };
  }

  it('tries a reply again with backoff through 5xx and delivers it, the channel’s next reply after it', async () => {
    const { api, sender, waits } = await downSetup(180_000);
    api.failNext('chat.postMessage', { status: 503 }, 4);
    const first = sender.send({ channel: 'D0DM' }, [textReply('第一条')]);
    const second = sender.send({ channel: 'D0DM' }, [textReply('第二条')]);
    expect(await first).toBe('sent');
    expect(await second).toBe('sent');
    expect(waits).toEqual([100, 200, 400, 800]);
    expect(api.messages('D0DM').map((m) => m.text)).toEqual(['第一条', '第二条']);
  });

  it('gives a reply up once it has failed for the whole window, and does not retry what Slack refused', async () => {
    const { api, sender } = await downSetup(1_000);
    api.failNext('chat.postMessage', { status: 502 }, 50);
    await expect(sender.send({ channel: 'D0DM' }, [textReply('迟到')])).rejects.toMatchObject({
      code: 'platform_api_failed',
      platform: 'slack',
      method: 'chat.postMessage',
      status: 502,
      transient: true,
      cause: { code: 'slack_webapi_http_error' },
    });
    const calls = api.callsOf('chat.postMessage').length;
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThan(10);
    const fresh = await downSetup(180_000);
    fresh.api.failNext('chat.postMessage', { error: 'invalid_blocks' });
    await expect(fresh.sender.send({ channel: 'D0DM' }, [textReply('x')])).rejects.toMatchObject({
      code: 'platform_api_failed',
      platform: 'slack',
      message: 'invalid_blocks',
      transient: false,
      cause: { data: { error: 'invalid_blocks' } },
    });
    expect(fresh.api.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('abandons a waiting reply at once when told (shutdown)', async () => {
    const api = await startSlackApi();
    apis.push(api);
    const client = new webApi.WebClient(api.botToken, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
    const sender = createSlackSender({ client, log: silentLogger, onUnreachable: () => undefined, baseDelayMs: 60_000 });
    api.failNext('chat.postMessage', { status: 503 }, 5);
    const sent = sender.send({ channel: 'D0DM' }, [textReply('a'), textReply('b')]);
    for (let i = 0; i < 100 && api.callsOf('chat.postMessage').length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sender.abandon()).toEqual({ chats: 1, messages: 2, byChat: { D0DM: 2 } });
    await expect(sent).rejects.toMatchObject({ code: 'send_abandoned', platform: 'slack', method: 'chat.postMessage', transient: true });
    await sender.idle();
  });
});
