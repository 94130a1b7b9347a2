import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest, type Logger } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Button, ModalView } from '@slack/types';
import { ErrorCode, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  blockActionsPayload, dmMessageEvent, eventCallback, postEvent, postInteraction, postSlashCommand, postUrlVerification, signSlackRequest,
  startSlackApi, viewSubmissionPayload, type JsonObject, type SlackApi, type SlackApiOptions,
} from '../../support/slack-api.js';

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function start(options: SlackApiOptions = {}): Promise<SlackApi> {
  const api = await startSlackApi(options);
  cleanups.push(() => api.close());
  return api;
}

/** A logger that keeps quiet (WebClient logs `[ERROR]` lines of response_metadata.messages at error level). */
const logger: Logger = {
  debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined,
  setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined,
};

const clientOf = (api: SlackApi, options: WebClientOptions = {}, token = api.botToken): WebClient =>
  new WebClient(token, { slackApiUrl: api.apiUrl, logger, retryConfig: { retries: 0 }, ...options });

/** The `error` code of a rejected Web API call. */
async function slackError(call: Promise<unknown>): Promise<string> {
  const error: unknown = await call.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof WebAPIPlatformError)) throw new Error(`expected a platform error, got ${String(error)}`);
  return error.data.error ?? '';
}

const button = (actionId: string, text = 'Go', value = 'v'): Button => ({ type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value });
const modal = (extra: Partial<ModalView> = {}): ModalView => ({
  type: 'modal', callback_id: 'filing', private_metadata: '{"step":1}', title: { type: 'plain_text', text: 'Register event' },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [{ type: 'input', block_id: 'name', label: { type: 'plain_text', text: 'Name' }, element: { type: 'plain_text_input', action_id: 'value' } }],
  ...extra,
});

describe('Slack Web API stand-in with a real WebClient', () => {
  it('answers auth.test with the bot identity and refuses wrong, app, missing tokens and unknown methods', async () => {
    const api = await start();
    const auth = await clientOf(api).auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: api.botUserId, team_id: api.teamId, bot_id: api.botId });
    expect(api.callsOf('auth.test')[0]).toMatchObject({ contentType: 'application/x-www-form-urlencoded', token: api.botToken });
    expect(await slackError(clientOf(api, {}, 'xoxb-wrong').auth.test())).toBe('invalid_auth');
    expect(await slackError(clientOf(api, {}, api.appToken).auth.test())).toBe('not_allowed_token_type');
    expect(await slackError(clientOf(api, {}, '').auth.test())).toBe('not_authed');
    expect(await slackError(clientOf(api).apiCall('chat.nope'))).toBe('unknown_method');
  });

  it('posts and updates messages with increasing ts and history; user ids post to the DM', async () => {
    const api = await start();
    const client = clientOf(api);
    const first = await client.chat.postMessage({ channel: 'C0FILINGS', text: 'one', mrkdwn: false });
    const second = await client.chat.postMessage({ channel: 'C0FILINGS', text: 'two', thread_ts: first.ts ?? '' });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ text: 'one', user: api.botUserId, bot_id: api.botId });
    const updated = await client.chat.update({ channel: 'C0FILINGS', ts: first.ts ?? '', text: 'one, edited', blocks: [{ type: 'divider' }] });
    expect(updated).toMatchObject({ ok: true, ts: first.ts, text: 'one, edited' });
    const [stored, reply] = api.messages('C0FILINGS');
    expect(stored).toMatchObject({ text: 'one, edited', mrkdwn: false, blocks: [{ type: 'divider' }] });
    expect(stored?.history.map((v) => [v.method, v.text])).toEqual([['chat.postMessage', 'one'], ['chat.update', 'one, edited']]);
    expect(reply?.thread_ts).toBe(first.ts);
    expect(await slackError(client.chat.update({ channel: 'C0FILINGS', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    expect((await client.chat.postMessage({ channel: 'U0ALICE', text: 'hi' })).channel).toBe('D0ALICE');
    expect(await slackError(client.chat.postMessage({ channel: 'C0FILINGS', text: '' }))).toBe('no_text');
    expect((await client.chat.postEphemeral({ channel: 'C0FILINGS', user: 'U0ALICE', text: 'psst' })).message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(api.ephemerals('C0FILINGS')).toHaveLength(1);
  });

  it('refuses blocks past Slack limits with invalid_blocks and json-pointer messages', async () => {
    const api = await start();
    const client = clientOf(api);
    const post = (blocks: unknown[]): Promise<unknown> => client.apiCall('chat.postMessage', { channel: 'C0FILINGS', text: 'fallback', blocks });
    await expect(post([{ type: 'section', text: { type: 'mrkdwn', text: 'ok' } }, { type: 'actions', elements: [button('a'), button('b')] }])).resolves.toBeTruthy();
    const cases: Array<[unknown[], string]> = [
      [Array.from({ length: 51 }, () => ({ type: 'divider' })), '/blocks'],
      [[{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }], '/blocks/0/text/text'],
      [[{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }], '/blocks/0/elements/0/text/text'],
      [[{ type: 'actions', elements: [button('a', 'Go', 'v'.repeat(2001))] }], '/blocks/0/elements/0/value'],
      [[{ type: 'actions', elements: [button('same')] }, { type: 'actions', elements: [button('same')] }], '/blocks/1/elements/0/action_id'],
      [[{ type: 'carousel' }], '/blocks/0/type'],
    ];
    for (const [blocks, pointer] of cases) {
      const error: unknown = await post(blocks).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebAPIPlatformError);
      const data = (error as WebAPIPlatformError).data;
      expect(data.error).toBe('invalid_blocks');
      expect(JSON.stringify(data.response_metadata?.messages)).toContain(`[json-pointer:${pointer}]`);
    }
    expect(api.messages()).toHaveLength(1);
  });

  it('honours 429 Retry-After once with retries: 1; rejects it when asked; retries 5xx but never platform errors', async () => {
    const api = await start();
    const limited: number[] = [];
    const client = clientOf(api, { retryConfig: { retries: 1 }, rejectRateLimitedCalls: false });
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => limited.push(seconds));
    api.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const began = Date.now();
    await client.chat.postMessage({ channel: 'C0FILINGS', text: 'after the wait' });
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000);
    expect(limited).toEqual([1]);
    expect(api.callsOf('chat.postMessage').map((c) => [c.status, c.response.error])).toEqual([[429, 'ratelimited'], [200, undefined]]);

    api.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
    const rejected: unknown = await clientOf(api, { rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C0X', text: 'x' }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(WebAPIRateLimitedError);
    expect(rejected).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });

    api.failNext('auth.test', { status: 500 });
    const http: unknown = await clientOf(api).auth.test().catch((e: unknown) => e);
    expect(http).toBeInstanceOf(WebAPIHTTPError);
    expect(http).toMatchObject({ statusCode: 500 });
    api.failNext('auth.test', { status: 503 });
    await expect(clientOf(api, { retryConfig: { retries: 1, minTimeout: 0 } }).auth.test()).resolves.toMatchObject({ ok: true });
    api.failNext('auth.test', { error: 'team_added_to_org' });
    expect(await slackError(clientOf(api, { retryConfig: { retries: 3, minTimeout: 0 } }).auth.test())).toBe('team_added_to_org');
    expect(api.callsOf('auth.test')).toHaveLength(4);
  });

  it('exchanges a trigger id once within its lifetime, validates views, and tracks hashes and stacks', async () => {
    const api = await start({ triggerTtlMs: 200 });
    const client = clientOf(api);
    expect(await slackError(client.apiCall('views.open', { view: modal() }))).toBe('invalid_trigger_id');
    expect(await slackError(client.views.open({ trigger_id: '1.2.unknown', view: modal() }))).toBe('invalid_trigger_id');
    const trigger = api.triggerId();
    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'filing', private_metadata: '{"step":1}', state: { values: {} }, app_id: api.appId });
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).toBe('exchanged_trigger_id');
    const late = api.triggerId();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await slackError(client.views.open({ trigger_id: late, view: modal() }))).toBe('expired_trigger_id');

    const invalid = (view: ModalView): Promise<unknown> => client.views.open({ trigger_id: api.triggerId(), view }).catch((e: unknown) => e);
    const tooLong = await invalid(modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }));
    expect((tooLong as WebAPIPlatformError).data).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: [expect.stringContaining('/view/title/text')] } });
    const noBlockId = await invalid(modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'N' }, element: { type: 'plain_text_input', action_id: 'v' } }] }));
    expect((noBlockId as WebAPIPlatformError).data.error).toBe('invalid_arguments');

    const id = opened.view?.id ?? '';
    expect(await slackError(client.views.update({ view_id: id, hash: 'stale', view: modal() }))).toBe('hash_conflict');
    const updated = await client.views.update({ view_id: id, hash: opened.view?.hash ?? '', view: modal({ private_metadata: '{"step":2}' }) });
    expect(updated.view).toMatchObject({ id, private_metadata: '{"step":2}' });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    const pushed = await client.views.push({ trigger_id: api.triggerId({ viewId: id }), view: modal({ callback_id: 'step2' }) });
    expect(pushed.view).toMatchObject({ root_view_id: id, previous_view_id: id });
    await client.views.push({ trigger_id: api.triggerId({ viewId: pushed.view?.id ?? '' }), view: modal() });
    expect(await slackError(client.views.push({ trigger_id: api.triggerId({ viewId: id }), view: modal() }))).toBe('push_limit_reached');
    expect(api.views().find((v) => v.id === id)?.history).toEqual(['views.open', 'views.update']);
  });

  it('serves users, conversations, files and apps.connections.open', async () => {
    const api = await start({ users: { U0ALICE: { name: 'alice', is_admin: true, locale: 'zh-CN', tz: 'Asia/Shanghai' } } });
    const client = clientOf(api);
    const user = (await client.users.info({ user: 'U0ALICE', include_locale: true })).user;
    expect(user).toMatchObject({ id: 'U0ALICE', name: 'alice', is_admin: true, locale: 'zh-CN', tz: 'Asia/Shanghai', tz_offset: 28800 });
    expect((await client.users.info({ user: 'U0ALICE' })).user?.locale).toBeUndefined();
    expect(await slackError(client.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
    const dm = await client.conversations.open({ users: 'U0ALICE' });
    expect(dm.channel?.id).toBe('D0ALICE');
    expect((await client.conversations.open({ users: 'U0ALICE' })).already_open).toBe(true);
    expect((await client.conversations.info({ channel: 'D0ALICE' })).channel).toMatchObject({ is_im: true, user: 'U0ALICE' });
    expect((await client.conversations.info({ channel: 'C0FILINGS' })).channel).toMatchObject({ is_channel: true, is_im: false });
    expect(await slackError(client.conversations.info({ channel: 'nope' }))).toBe('channel_not_found');
    const file = api.registerFile({ id: 'F0PLAN', name: 'plan.pdf', mimetype: 'application/pdf', content: '%PDF-1.7 plan' });
    expect((await client.files.info({ file: 'F0PLAN' })).file).toMatchObject({ id: 'F0PLAN', size: 13, mimetype: 'application/pdf' });
    expect(await slackError(client.files.info({ file: 'F0NONE' }))).toBe('file_not_found');
    const download = await fetch(file.url_private_download, { headers: { authorization: `Bearer ${api.botToken}` } });
    expect([download.headers.get('content-type'), await download.text()]).toEqual(['application/pdf', '%PDF-1.7 plan']);
    expect((await fetch(file.url_private)).headers.get('content-type')).toMatch(/^text\/html/);
    expect(await slackError(client.apps.connections.open())).toBe('not_allowed_token_type');
    const url = (await clientOf(api, {}, api.appToken).apps.connections.open()).url ?? '';
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
    expect(api.socketMode).toBeDefined();
  });
});

describe('signed requests to a Bolt HTTPReceiver', () => {
  const secret = 'sciweek-signing-secret';

  it('signs as Slack does, which Bolt verifies', () => {
    const body = JSON.stringify({ type: 'event_callback' });
    const headers = signSlackRequest(secret, body);
    const verify = (signingSecret: string, timestamp = Number(headers['x-slack-request-timestamp'])): void =>
      verifySlackRequest({ signingSecret, body, headers: { 'x-slack-signature': headers['x-slack-signature'], 'x-slack-request-timestamp': timestamp } });
    expect(() => verify(secret)).not.toThrow();
    expect(() => verify('other')).toThrow(/signature mismatch/);
    const stale = signSlackRequest(secret, body, Math.floor(Date.now() / 1000) - 600);
    expect(() => verifySlackRequest({ signingSecret: secret, body, headers: { 'x-slack-signature': stale['x-slack-signature'], 'x-slack-request-timestamp': Number(stale['x-slack-request-timestamp']) } })).toThrow(/stale/);
    expect(signSlackRequest(secret, 'a=b')['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('delivers the challenge, events (with retries), slash commands and interactions that Bolt parses and acks', async () => {
    const api = await start();
    const app = new App({ token: api.botToken, signingSecret: secret, clientOptions: { slackApiUrl: api.apiUrl }, logger });
    const retries: Array<number | undefined> = [];
    app.message(async ({ message, say, context }) => {
      retries.push(context.retryNum);
      if ('text' in message) await say(`echo: ${message.text ?? ''}`);
    });
    app.command('/sciweek', async ({ command, ack }) => ack({ text: `got ${command.text}` }));
    app.action('approve', async ({ ack, body, client }) => {
      await ack();
      if ('trigger_id' in body) await client.views.open({ trigger_id: body.trigger_id, view: modal() });
    });
    app.view('filing', async ({ ack, view }) => ack({ response_action: 'errors', errors: { name: `short: ${view.state.values.name?.value?.value ?? ''}` } }));
    const server = (await app.start(0)) as { address(): AddressInfo };
    cleanups.push(() => app.stop());
    const url = `http://127.0.0.1:${server.address().port}/slack/events`;

    expect((await postUrlVerification(url, secret, 'chal-1')).json).toEqual({ challenge: 'chal-1' });
    const event = dmMessageEvent({ userId: 'U0ALICE', channel: 'D0ALICE', text: 'hello' });
    expect((await postEvent(url, secret, event, { eventId: 'Ev01', badSignature: true })).status).toBe(401);
    expect((await postEvent(url, secret, event, { eventId: 'Ev01' })).status).toBe(200);
    expect((await postEvent(url, secret, event, { eventId: 'Ev01', retryNum: 1 })).status).toBe(200);
    await api.waitFor((c) => c.method === 'chat.postMessage' && api.callsOf('chat.postMessage').length === 2);
    expect(api.messages('D0ALICE').map((m) => m.text)).toEqual(['echo: hello', 'echo: hello']);
    expect(retries).toEqual([undefined, 1]);
    expect(api.callsOf('chat.postMessage')[0]?.params).toMatchObject({ channel: 'D0ALICE', team_id: api.teamId });

    const command = await postSlashCommand(url, secret, { command: '/sciweek', text: 'help', userId: 'U0ALICE', channelId: 'D0ALICE', triggerId: api.triggerId() });
    expect([command.status, command.json]).toEqual([200, { text: 'got help' }]);
    const press = blockActionsPayload({ userId: 'U0ALICE', channel: 'D0ALICE', messageTs: '1.000100', actionId: 'approve', value: 'x', triggerId: api.triggerId() });
    expect((await postInteraction(url, secret, press)).status).toBe(200);
    await api.waitFor((c) => c.method === 'views.open');
    const view = api.views()[0]?.view ?? {};
    const submission = viewSubmissionPayload({ userId: 'U0ALICE', view, values: { name: { value: { type: 'plain_text_input', value: 'Ab' } } } });
    expect((await postInteraction(url, secret, submission)).json).toEqual({ response_action: 'errors', errors: { name: 'short: Ab' } });
    expect(() => viewSubmissionPayload({ userId: 'U0ALICE', view, values: { other: { value: { type: 'plain_text_input', value: '' } } } })).toThrow(/no input block/);
  });
});

describe('Socket Mode stand-in', () => {
  it('lets a real SocketModeClient connect via apps.connections.open, receive envelopes and ack them; answers pings', async () => {
    const api = await start({ socketMode: true });
    const socket = api.socketMode;
    if (socket === undefined) throw new Error('no Socket Mode stand-in');
    const client = new SocketModeClient({ appToken: api.appToken, clientOptions: { slackApiUrl: api.apiUrl }, logger, clientPingTimeout: 300 });
    const events: JsonObject[] = [];
    client.on('message', ({ ack, event }: { ack: () => Promise<void>; event: JsonObject }) => {
      events.push(event);
      void ack();
    });
    client.on('slash_commands', ({ ack, body }: { ack: (r: JsonObject) => Promise<void>; body: JsonObject }) => void ack({ text: `ok ${String(body.text)}` }));
    const connected = await client.start();
    cleanups.push(() => client.disconnect());
    expect(connected.url).toContain('/link/?ticket=');
    expect(api.callsOf('apps.connections.open')[0]?.token).toBe(api.appToken);

    const event = dmMessageEvent({ userId: 'U0ALICE', channel: 'D0ALICE', text: 'hi over ws' });
    const ack = await socket.deliver('events_api', eventCallback(event, { eventId: 'Ev02' }));
    expect(ack).toEqual({ envelope_id: socket.envelopes[0]?.envelope_id, payload: {} });
    expect(socket.envelopes[0]).toMatchObject({ type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    expect(events).toMatchObject([{ type: 'message', text: 'hi over ws' }]);
    const reply = await socket.deliver('slash_commands', { command: '/sciweek', text: 'help', user_id: 'U0ALICE', channel_id: 'D0ALICE' });
    expect(reply.payload).toEqual({ text: 'ok help' });
    await expect(socket.deliver('interactive', { type: 'block_actions' }, { timeoutMs: 100 })).rejects.toThrow(/no ack/);

    const deadline = Date.now() + 3000;
    while (socket.clientPings() < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socket.clientPings()).toBeGreaterThanOrEqual(3);
    expect(socket.connectionCount()).toBe(1);
  });

  it('refuses a wrong app token (SocketModeClient gives up on invalid_auth) and wires Bolt socket mode through clientOptions', async () => {
    const api = await start();
    const wrong = new SocketModeClient({ appToken: 'xapp-wrong', clientOptions: { slackApiUrl: api.apiUrl }, logger });
    await expect(wrong.start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });

    const app = new App({ token: api.botToken, appToken: api.appToken, socketMode: true, clientOptions: { slackApiUrl: api.apiUrl }, logger });
    app.command('/sciweek', async ({ ack, command }) => ack({ text: `socket ${command.text}` }));
    await app.start();
    cleanups.push(() => app.stop());
    const ack = await api.socketMode?.deliver('slash_commands', { command: '/sciweek', text: 'ping', user_id: 'U0ALICE', channel_id: 'D0ALICE', team_id: api.teamId });
    expect(ack?.payload).toEqual({ text: 'socket ping' });
  });
});
