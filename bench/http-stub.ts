/**
 * An in-memory Telegram Bot API at the HTTP layer, for the benchmark. grammY and Telegraf both call the
 * Bot API through node-fetch, which takes an `agent`: {@link StubBotApi.agent} hands node's HTTP client
 * an in-memory socket that parses each HTTP/1.1 request (Content-Length or chunked body) and writes back
 * the JSON response the real Bot API would give. So each library still builds, serialises and parses
 * every API call exactly as in production; only the network is gone. It counts calls per method and
 * the sent texts that match given patterns (receipts, rejections), which is how the benchmark checks
 * that every simulated user really finished.
 */
import { Agent, type AgentOptions } from 'node:http';
import { Duplex } from 'node:stream';

/** The apiRoot the bots are pointed at (grammY; Telegraf needs https, see {@link STUB_API_ROOT_HTTPS}). */
export const STUB_API_ROOT = 'http://api.stub';
/** Telegraf drops a custom agent for `http://` roots, so it is pointed here (the stub speaks plain HTTP). */
export const STUB_API_ROOT_HTTPS = 'https://api.stub';
/** A syntactically valid bot token (`<bot id>:<secret>`). */
export const STUB_TOKEN = '424242:BENCH-token';

const BOT_USER = {
  id: 424242,
  is_bot: true,
  first_name: 'Bench',
  username: 'sciweek_bench_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

const HEADER_END = Buffer.from('\r\n\r\n');

/** One parsed request, as far as the stub needs it. */
interface StubRequest {
  method: string;
  body: Buffer;
}

/** Reads one complete request from the front of `buffer`; undefined while it is incomplete. */
function takeRequest(buffer: Buffer): { request: StubRequest; rest: Buffer } | undefined {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buffer.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const target = head[0]?.split(' ')[1] ?? '/';
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const method = (target.split('?')[0] ?? '').split('/').pop() ?? '';
  let offset = headerEnd + HEADER_END.length;
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', offset);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(buffer.subarray(offset, lineEnd).toString('latin1'), 16);
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) return { request: { method, body: Buffer.concat(parts) }, rest: buffer.subarray(lineEnd + 4) };
      parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers.get('content-length') ?? 0);
  if (buffer.length < offset + length) return undefined;
  return { request: { method, body: buffer.subarray(offset, offset + length) }, rest: buffer.subarray(offset + length) };
}

/** A socket with no network behind it: requests written to it are answered by `answer`. */
class StubSocket extends Duplex {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly answer: (request: StubRequest) => unknown) {
    super();
  }

  override _read(): void {
    // Responses are pushed as requests complete.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (let taken = takeRequest(this.pending); taken !== undefined; taken = takeRequest(this.pending)) {
      this.pending = taken.rest;
      const body = Buffer.from(JSON.stringify({ ok: true, result: this.answer(taken.request) }));
      const head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`;
      // Answer on a later turn of the event loop, as a network reply would arrive.
      setImmediate(() => this.push(Buffer.concat([Buffer.from(head, 'latin1'), body])));
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.push(null);
    callback();
  }

  // What node's HTTP client and agent call on a net.Socket; nothing to do without a network.
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** An http.Agent whose connections are {@link StubSocket}s (`protocol` set so https URLs accept it too). */
class StubAgent extends Agent {
  constructor(
    private readonly answer: (request: StubRequest) => unknown,
    protocol: 'http:' | 'https:',
    options: AgentOptions,
  ) {
    super(options);
    (this as unknown as { protocol: string }).protocol = protocol;
  }

  override createConnection(): Duplex {
    return new StubSocket(this.answer);
  }
}

function readJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    // A multipart upload (not part of the workload): the method is answered all the same.
    return {};
  }
}

/** The in-memory Bot API: agents for the bots, and what was called. */
export class StubBotApi {
  /** Calls per Bot API method. */
  readonly calls = new Map<string, number>();
  /** Sent texts matching each watched pattern. */
  readonly matched = new Map<string, number>();
  /** Every sent text, in order, while {@link StubBotApi.recording} is on (the workload check reads it). */
  readonly sent: string[] = [];
  recording = false;
  private nextMessageId = 1;
  private readonly watch: ReadonlyMap<string, RegExp>;

  constructor(watch: Record<string, RegExp> = {}) {
    this.watch = new Map(Object.entries(watch));
    for (const name of this.watch.keys()) this.matched.set(name, 0);
  }

  /** An agent for node-fetch (`http:` for grammY's apiRoot, `https:` for Telegraf's). */
  agent(protocol: 'http:' | 'https:' = 'http:'): Agent {
    return new StubAgent((request) => this.answer(request), protocol, { keepAlive: true });
  }

  /** How many sent texts matched the watched pattern `name`. */
  count(name: string): number {
    return this.matched.get(name) ?? 0;
  }

  /** Total Bot API calls. */
  totalCalls(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }

  private answer(request: StubRequest): unknown {
    this.calls.set(request.method, (this.calls.get(request.method) ?? 0) + 1);
    switch (request.method) {
      case 'getMe':
        return BOT_USER;
      case 'sendMessage':
      case 'editMessageText': {
        const params = readJson(request.body);
        const text = typeof params['text'] === 'string' ? params['text'] : '';
        if (this.recording) this.sent.push(text);
        for (const [name, pattern] of this.watch) if (pattern.test(text)) this.matched.set(name, (this.matched.get(name) ?? 0) + 1);
        const chatId = Number(params['chat_id']);
        const messageId = request.method === 'sendMessage' ? this.nextMessageId++ : Number(params['message_id']);
        return { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from: BOT_USER, text };
      }
      default:
        return true;
    }
  }
}
