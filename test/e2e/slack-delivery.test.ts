/**
 * What the Slack adapter owes Slack, end to end through Bolt: requests with a bad signature
 * or a stale timestamp are refused with 401 before anything runs; an event Slack re-sends
 * (`X-Slack-Retry-Num`, same event_id) is handled once; a 429 on chat.postMessage is waited out and the
 * message delivered once; and in Socket Mode, DM events and slash commands arrive as envelopes that are
 * acknowledged by envelope id and answered.
 */
import { describe, expect, it } from 'vitest';
import { translate } from '../support/engine-harness.js';
import { dmMessageEvent, postEvent, postSlashCommand } from '../support/slack-api.js';
import { SIGNING_SECRET, eventually, nextEventId, slackBotsPerTest, textOf, type SlackBot } from '../support/slack-harness.js';

const zh = translate('zh-CN');
const QUESTION = '截止时间是哪天？';
const DEADLINE_ANSWER = '2021年4月30日';

const start = slackBotsPerTest();

/** How many updates the engine counted with an outcome (the `sciweek_updates_total` counter). */
async function updatesCounted(bot: SlackBot, outcome: string): Promise<number> {
  const metric = bot.app.metrics.registry.getSingleMetric('sciweek_updates_total');
  const values = (await metric?.get())?.values ?? [];
  return values.filter((value) => value.labels.outcome === outcome).reduce((sum, value) => sum + value.value, 0);
}

describe('slack over HTTP', () => {
  it('refuses a bad signature and a timestamp older than 5 minutes with 401; nothing runs', async () => {
    const bot = await start();
    const user = 'U0SIGNED';
    const channel = bot.dmChannel(user);
    const event = dmMessageEvent({ userId: user, channel, text: QUESTION });

    const forged = await postEvent(bot.eventsUrl, SIGNING_SECRET, event, { eventId: nextEventId(), badSignature: true });
    expect(forged.status).toBe(401);
    const stale = await postEvent(bot.eventsUrl, SIGNING_SECRET, event, { eventId: nextEventId(), timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const command = await postSlashCommand(
      bot.eventsUrl, SIGNING_SECRET, { command: '/sciweek', text: 'help', userId: user, channelId: channel, triggerId: bot.api.triggerId() }, { badSignature: true },
    );
    expect(command.status).toBe(401);

    await bot.settle();
    expect(bot.api.messages()).toEqual([]);
    expect(bot.api.ephemerals()).toEqual([]);
    // Not even a user lookup: the engine never saw them.
    expect(bot.api.callsOf('users.info')).toEqual([]);
    expect(bot.api.callsOf('chat.postMessage')).toEqual([]);
    expect(await bot.session(channel, user)).toBeUndefined();
    expect(await updatesCounted(bot, 'ok')).toBe(0);

    // The same event, signed right and fresh, is answered.
    const replies = await bot.dm(user, QUESTION);
    expect(textOf(replies)).toContain(DEADLINE_ANSWER);
    expect(await bot.session(channel, user)).toBeDefined();
  });

  it('handles an event Slack re-sends with X-Slack-Retry-Num and the same event_id once', async () => {
    const bot = await start();
    const user = 'U0RETRY';
    const channel = bot.dmChannel(user);
    const event = dmMessageEvent({ userId: user, channel, text: QUESTION });
    const eventId = nextEventId();

    const first = await postEvent(bot.eventsUrl, SIGNING_SECRET, event, { eventId });
    expect(first.status).toBe(200);
    const retry = await postEvent(bot.eventsUrl, SIGNING_SECRET, event, { eventId, retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);

    // Both reached the engine: one was answered, the other dropped as a duplicate.
    await eventually(async () => ((await updatesCounted(bot, 'duplicate')) === 1 ? true : undefined), 'the re-send to be dropped');
    await eventually(() => (bot.api.messages(channel).length > 0 ? true : undefined), 'the reply');
    await bot.settle();
    expect(await updatesCounted(bot, 'ok')).toBe(1);
    const replies = bot.api.messages(channel);
    expect(replies).toHaveLength(1);
    expect(textOf(replies)).toContain(DEADLINE_ANSWER);
    expect(bot.api.callsOf('chat.postMessage')).toHaveLength(1);

    // A different event from the same user is a new message, answered again.
    await bot.dm(user, QUESTION);
    expect(bot.api.messages(channel)).toHaveLength(2);
  });

  it('waits out a 429 with Retry-After 1 on chat.postMessage and delivers the message once', async () => {
    const bot = await start();
    const user = 'U0LIMITED';
    const channel = bot.dmChannel(user);
    bot.api.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

    await bot.deliverEvent(dmMessageEvent({ userId: user, channel, text: QUESTION }));
    await eventually(() => (bot.api.messages(channel).length > 0 ? true : undefined), 'the reply after the rate limit', 10_000);
    await bot.settle();

    const calls = bot.api.callsOf('chat.postMessage');
    expect(calls.map((call) => [call.status, call.response.ok])).toEqual([
      [429, false],
      [200, true],
    ]);
    expect(calls[1]?.params.text).toBe(calls[0]?.params.text);
    expect(calls[1]?.params.channel).toBe(channel);
    const delivered = bot.api.messages(channel);
    expect(delivered).toHaveLength(1);
    expect(textOf(delivered)).toContain(DEADLINE_ANSWER);
  });
});

describe('slack in Socket Mode', () => {
  it('acknowledges a DM events_api envelope and a slash_commands envelope by envelope id, and answers both', async () => {
    const bot = await start({ mode: 'socket' });
    const socket = bot.api.socketMode;
    if (socket === undefined) throw new Error('no Socket Mode stand-in');
    expect(bot.api.callsOf('apps.connections.open').map((call) => call.token)).toEqual([bot.api.appToken]);
    expect(socket.connectionCount()).toBe(1);

    const user = 'U0SOCKET';
    const channel = bot.dmChannel(user);
    const dm = await bot.deliverEvent(dmMessageEvent({ userId: user, channel, text: QUESTION }));
    expect(dm.envelopeId).toBe(socket.envelopes[0]?.envelope_id);
    expect(socket.acks.map((ack) => ack.envelope_id)).toContain(dm.envelopeId);
    await eventually(() => (bot.api.messages(channel).length > 0 ? true : undefined), 'the DM reply');
    await bot.settle();
    expect(textOf(bot.api.messages(channel))).toContain(DEADLINE_ANSWER);

    const command = await bot.command(user, 'C0SOCKET', 'help');
    expect(command.ack.envelopeId).toBe(socket.envelopes[1]?.envelope_id);
    expect(socket.acks.map((ack) => ack.envelope_id)).toEqual([dm.envelopeId, command.ack.envelopeId]);
    expect(socket.envelopes.map((envelope) => envelope.type)).toEqual(['events_api', 'slash_commands']);
    expect(command.ephemerals).toHaveLength(1);
    expect(command.ephemerals[0]).toMatchObject({ channel: 'C0SOCKET', user });
    const help = textOf(command.ephemerals.map((e) => ({ text: e.text, blocks: e.blocks })));
    expect(help.startsWith(zh('help.group_intro'))).toBe(true);
    expect(help).toContain('/sciweek bind 区市名称 — ');
    // The slash command was answered only to its user, nothing posted in the channel.
    expect(command.messages).toEqual([]);
  });
});
