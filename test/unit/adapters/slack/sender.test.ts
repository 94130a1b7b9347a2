/**
 * The Slack sender against the Web API stand-in through the real WebClient: a file reply is uploaded
 * (files.uploadV2: getUploadURLExternal, the upload, completeUploadExternal) to the channel, or to the
 * asker's DM when it answers a slash command in a channel; text replies are escaped.
 */
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackSender } from '../../../../src/adapters/slack/sender.js';
import { silentLogger } from '../../../../src/core/logger.js';
import { textReply } from '../../../../src/core/reply.js';
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
