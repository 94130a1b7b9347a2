/**
 * Slack going down in the middle of a reminder wave, through the real Slack adapter (Bolt's Web API
 * client) and the Web API stand-in, on the shared Redis with a fake clock. Four bound channels; the
 * first one's reminder goes out, then every Slack call fails (503, or refused connections). The
 * channel being sent to fails once its retry window is over, and the wave leaves Slack's other
 * channels unclaimed for a later tick instead of waiting out the window for each of them. The next
 * tick after Slack is back sends them, and every channel has its reminder exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../src/domain/platform.js';
import { createSlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { createHttpServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/app/metrics.js';
import { silentLogger, type Logger } from '../../src/kernel/logger.js';
import { bindGroups, fakeTime, groupBinding, openStore, reminderDispatcher } from '../support/reminders-harness.js';
import { startSlackApi, type Outage, type SlackApi } from '../support/slack-api.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The bound channels, in the order a wave sends to them (chat id order), with their districts. */
const CHANNELS = [
  ['C0REMIND1', 'shinan'],
  ['C0REMIND2', 'shibei'],
  ['C0REMIND3', 'licang'],
  ['C0REMIND4', 'laoshan'],
] as const;

/** A logger keeping what is warned and logged as an error (message, fields), for the retries. */
function recordingLogger(lines: { msg: string; fields: Record<string, unknown> }[]): Logger {
  const keep = (fields: object, msg: string): void => {
    lines.push({ msg, fields: { ...fields } });
  };
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: keep, error: keep, child: () => log };
  return log;
}

/** The real Slack adapter on the stand-in, started (auth.test), with a short retry window. */
async function slackAdapterOn(api: SlackApi, log: Logger): Promise<PlatformAdapter> {
  const adapter = createSlackAdapter({
    botToken: api.botToken,
    signingSecret: 'test-secret',
    apiUrl: api.apiUrl,
    accept: () => Promise.resolve(),
    handler: () => Promise.resolve([]),
    http: createHttpServer({ ready: () => Promise.resolve(), registry: createMetrics().registry, log: silentLogger }),
    log,
    onUnreachable: () => undefined,
    retry: { baseDelayMs: 10, retryWindowMs: 300 },
  });
  await adapter.start();
  return adapter;
}

/** The channels chat.postMessage was called for, in call order. */
function postedTo(api: SlackApi): string[] {
  return api.callsOf('chat.postMessage').map((call) => String(call.params.channel));
}

describe('a reminder wave while Slack goes down', () => {
  it.each<[string, Outage, RegExp]>([
    ['answers 503', { status: 503 }, /statusCode = 503/],
    ['refuses connections', { refuse: true }, /ECONNREFUSED/],
  ])('skips Slack’s other channels once a send fails, and a later tick delivers each exactly once (Slack %s)', async (_, outage, failure) => {
    const api = await startSlackApi();
    cleanups.push(() => api.close());
    const time = fakeTime('2021-04-23 09:00');
    const opened = openStore('redis', time.nowMs);
    cleanups.push(() => opened.cleanup());
    const lines: { msg: string; fields: Record<string, unknown> }[] = [];
    const adapter = await slackAdapterOn(api, recordingLogger(lines));
    const retriesOf = (channel: string): number => lines.filter((line) => line.msg === 'send failed, retrying' && line.fields['chatId'] === channel).length;
    cleanups.push(() => adapter.stop());
    const dispatcher = reminderDispatcher({ store: opened.store, clock: time.clock, adapters: new Map([['slack', adapter]]) });
    cleanups.push(() => dispatcher.stop());
    await bindGroups(
      opened.store,
      CHANNELS.map(([channel, district]) => groupBinding(district, channel, 'slack')),
    );
    const [first, second, ...rest] = CHANNELS.map(([channel]) => channel);
    // Slack goes down right after the wave's first message is answered.
    let wentDown = false;
    api.onAnswered((call) => {
      if (wentDown || call.method !== 'chat.postMessage') return;
      wentDown = true;
      void api.setOutage(outage);
    });

    // The second channel fails after its retry window (retried: it reached a second attempt); the
    // third and fourth are not tried in this wave, let alone waited for.
    expect(await dispatcher.tick()).toMatchObject({ due: 4, sent: 1, failed: 1, skipped: 2, unreachable: 0 });
    expect(retriesOf(second ?? '')).toBeGreaterThan(0);
    expect(rest.map(retriesOf)).toEqual([0, 0]);
    const duringOutage = postedTo(api);
    expect(duringOutage.filter((channel) => channel !== second)).toEqual([first]);
    expect(api.messages().map((message) => message.channel)).toEqual([first]);
    const recorded = await opened.store.listReminders(10);
    expect(recorded.map((o) => [o.platform, o.chatId, o.outcome]).sort()).toEqual([
      ['slack', first, 'sent'],
      ['slack', second, 'failed'],
    ]);
    expect(recorded.find((o) => o.outcome === 'failed')?.detail).toMatch(failure);

    // Slack is back: the next tick sends the failed channel and the two left over, the first is done.
    await api.setOutage(undefined);
    expect(await dispatcher.tick()).toMatchObject({ due: 4, sent: 3, failed: 0, skipped: 1 });
    expect(postedTo(api).slice(duringOutage.length)).toEqual([second, ...rest]);
    expect(await dispatcher.tick()).toMatchObject({ due: 4, sent: 0, failed: 0, skipped: 4 });
    for (const [channel] of CHANNELS) expect(api.messages(channel), channel).toHaveLength(1);
  }, 30_000);
});
