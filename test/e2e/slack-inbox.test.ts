/**
 * The durable inbox behind the Slack adapter, as `npm start` builds the service: a DM that the store
 * cannot take is not acknowledged — a 503 over HTTP, no ack of its envelope in Socket Mode — and the
 * engine never sees it; Slack's re-send of the same event, once the store is back, is acknowledged
 * and answered once. A pressed button's answer comes after the pressed message lost its buttons.
 */
import { describe, expect, it } from 'vitest';
import { eventCallback, dmMessageEvent, postEvent } from '../support/slack-api.js';
import { SIGNING_SECRET, eventually, nextEventId, slackBotsPerTest, textOf, type SlackBot, type SlackMode } from '../support/slack-harness.js';

const QUESTION = '截止时间是哪天？';
const DEADLINE_ANSWER = '2021年4月30日';

const start = slackBotsPerTest();

/** Makes the store refuse every inbox append (either way the pipeline appends) until the returned function is called. */
function inboxDown(bot: SlackBot): () => void {
  const store = bot.app.store;
  const inboxAppend = store.inboxAppend.bind(store);
  const inboxAppendAndTake = store.inboxAppendAndTake.bind(store);
  const refused = (): Promise<never> => Promise.reject(new Error('inbox append: connection refused'));
  store.inboxAppend = refused;
  store.inboxAppendAndTake = refused;
  return () => {
    store.inboxAppend = inboxAppend;
    store.inboxAppendAndTake = inboxAppendAndTake;
  };
}

/** Delivers a DM event as Slack would; whether Slack got a 2xx (HTTP) or an ack (Socket Mode). */
async function deliverDm(bot: SlackBot, user: string, eventId: string, retryNum?: number): Promise<{ acknowledged: boolean; status?: number }> {
  const event = dmMessageEvent({ userId: user, channel: bot.dmChannel(user), text: QUESTION, ts: '1618884000.000100' });
  if (bot.mode === 'http') {
    const answer = await postEvent(bot.eventsUrl, SIGNING_SECRET, event, { eventId, ...(retryNum === undefined ? {} : { retryNum }) });
    return { acknowledged: answer.status >= 200 && answer.status < 300, status: answer.status };
  }
  const socket = bot.api.socketMode;
  if (socket === undefined) throw new Error('no Socket Mode stand-in');
  return socket.deliver('events_api', eventCallback(event, { eventId }), { timeoutMs: 1_500, ...(retryNum === undefined ? {} : { retryAttempt: retryNum }) }).then(
    () => ({ acknowledged: true }),
    () => ({ acknowledged: false }),
  );
}

describe.each<SlackMode>(['http', 'socket'])('slack inbox (%s)', (mode) => {
  it('does not acknowledge a DM the store cannot keep; Slack’s re-send is kept and answered once', async () => {
    const bot = await start({ mode });
    const user = 'U0INBOX';
    const eventId = nextEventId();

    const restore = inboxDown(bot);
    const refused = await deliverDm(bot, user, eventId);
    expect(refused.acknowledged).toBe(false);
    if (mode === 'http') expect(refused.status).toBe(503);
    await bot.settle();
    expect(bot.api.messages(bot.dmChannel(user))).toEqual([]);

    restore();
    const resent = await deliverDm(bot, user, eventId, 1);
    expect(resent.acknowledged).toBe(true);
    const replies = await eventually(() => {
      const posted = bot.api.messages(bot.dmChannel(user));
      return posted.length > 0 ? posted : undefined;
    }, 'the answer to the re-sent DM');
    await bot.settle();
    expect(textOf(replies)).toContain(DEADLINE_ANSWER);
    expect(bot.api.messages(bot.dmChannel(user))).toHaveLength(1);
  });
});

describe('slack button answers', () => {
  it('retires the pressed buttons before the answer to the press is posted', async () => {
    const bot = await start();
    const user = 'U0ORDER';
    const channel = bot.dmChannel(user);
    await bot.command(user, channel, 'file');
    const pressed = await bot.press(user, channel, '附件2 重点项目备案表');
    expect(pressed.replies.length).toBeGreaterThan(0);
    const calls = bot.api.calls.filter((call) => call.method === 'chat.update' || call.method === 'chat.postMessage');
    const retire = calls.findIndex((call) => call.method === 'chat.update' && call.params.ts === pressed.messageTs);
    const answer = calls.findIndex((call) => call.method === 'chat.postMessage' && call.response.ts === pressed.replies[0]?.ts);
    expect(retire).toBeGreaterThanOrEqual(0);
    expect(answer).toBeGreaterThan(retire);
  });
});
