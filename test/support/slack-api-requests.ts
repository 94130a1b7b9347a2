/**
 * Requests Slack makes to an app's Request URL (`/slack/events` for Bolt's HTTPReceiver), signed with
 * the v0 scheme (https://docs.slack.dev/authentication/verifying-requests-from-slack):
 * `x-slack-signature: v0=` + hex HMAC-SHA256(signing secret, `v0:<timestamp>:<raw body>`) and
 * `x-slack-request-timestamp: <unix seconds>`. Events and `url_verification` go as `application/json`;
 * slash commands as form fields and interactivity as a single form field `payload=<JSON>`, both with
 * exactly `application/x-www-form-urlencoded` — Bolt compares the content type with `===`, so a
 * `; charset=…` suffix would make it parse the body as JSON. Retries carry `x-slack-retry-num` and
 * `x-slack-retry-reason`.
 */
import { createHmac } from 'node:crypto';
import type { JsonObject } from './slack-api-ids.js';
import { eventCallback, slashCommandBody, urlVerification, type SlashCommandOptions, type WorkspaceIds } from './slack-api-payloads.js';

/** The headers {@link signSlackRequest} produces. */
export interface SlackSignedHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': 'application/json' | 'application/x-www-form-urlencoded';
  [header: string]: string;
}

/**
 * Signs a request body as Slack does. The content type is JSON for a body starting with `{`, form
 * otherwise. `timestampSeconds` defaults to now (Bolt refuses timestamps more than 5 minutes old).
 */
export function signSlackRequest(signingSecret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): SlackSignedHeaders {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'x-slack-signature': `v0=${signature}`,
    'x-slack-request-timestamp': String(timestampSeconds),
    'content-type': body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded',
  };
}

/** What the app answered. */
export interface SlackHttpAnswer {
  status: number;
  /** Raw body text ('' for an empty 200 ack). */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  headers: Record<string, string>;
}

/** Common options of the request helpers. */
export interface SignedRequestOptions {
  /** Signs with a wrong secret (Bolt answers 401). */
  badSignature?: boolean;
  /** Signing timestamp in unix seconds (now by default). */
  timestamp?: number;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** POSTs a signed raw body to a Request URL. */
export async function postSigned(url: string, secret: string, body: string, options: SignedRequestOptions = {}): Promise<SlackHttpAnswer> {
  const headers = { ...signSlackRequest(options.badSignature === true ? `${secret}-wrong` : secret, body, options.timestamp), ...options.headers };
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json, headers: Object.fromEntries(response.headers.entries()) };
}

/** Options of {@link postEvent}. */
export interface PostEventOptions extends SignedRequestOptions, WorkspaceIds {
  /** The envelope's `event_id` (keep it for a retry of the same event). */
  eventId: string;
  /** Sends `x-slack-retry-num` (and `x-slack-retry-reason`, `http_timeout` by default) as a redelivery. */
  retryNum?: number;
  retryReason?: string;
}

/** POSTs an Events API `event_callback` envelope around `event`. */
export async function postEvent(url: string, secret: string, event: JsonObject, options: PostEventOptions): Promise<SlackHttpAnswer> {
  const body = JSON.stringify(eventCallback(event, options));
  const retry = options.retryNum === undefined ? {} : { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': options.retryReason ?? 'http_timeout' };
  return postSigned(url, secret, body, { ...options, headers: { ...retry, ...options.headers } });
}

/** POSTs the `url_verification` challenge (Bolt answers `{ challenge }`). */
export async function postUrlVerification(url: string, secret: string, challenge: string, options: SignedRequestOptions = {}): Promise<SlackHttpAnswer> {
  return postSigned(url, secret, JSON.stringify(urlVerification(challenge)), options);
}

/** POSTs a slash command (form-encoded fields). */
export async function postSlashCommand(url: string, secret: string, command: SlashCommandOptions, options: SignedRequestOptions = {}): Promise<SlackHttpAnswer> {
  return postSigned(url, secret, new URLSearchParams(slashCommandBody(command)).toString(), options);
}

/** POSTs an interactivity payload (`block_actions`, `view_submission`, …) as `payload=<JSON>`. */
export async function postInteraction(url: string, secret: string, payload: JsonObject, options: SignedRequestOptions = {}): Promise<SlackHttpAnswer> {
  return postSigned(url, secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), options);
}
