/**
 * The Lua scripts of the Redis store and their typed callers. Each store operation that must be atomic
 * is one script, so it costs one round trip (ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT).
 * Expiry follows the store's clock, not Redis's: the logical expiry time is kept in the value and
 * compared with a `now` argument, so tests can move time; a real PX is set as well, generously, only
 * so that Redis cleans up what nobody reads any more.
 */
import type { Redis } from 'ioredis';
import { StoreError } from '../core/errors.js';
import { checkCommitRequest } from './commit-request.js';
import { toEnvelopeJson } from './envelope.js';
import type { RedisKeys } from './keys.js';
import type { CommitRequest } from './store.js';

/** Lua helpers shared by the scripts: a delivery claim, a session read and a claim's owner, all by logical time. */
const LUA_HELPERS = `
local function claim_delivery(key, now, expires_at, cleanup_ms)
  local live_until = tonumber(redis.call('GET', key))
  if live_until and live_until > now then return 0 end
  redis.call('SET', key, expires_at, 'PX', cleanup_ms)
  return 1
end
local function delivery_live(key, now)
  local live_until = tonumber(redis.call('GET', key))
  return live_until ~= nil and live_until > now
end
local function live_session(key, now)
  if redis.call('TYPE', key).ok ~= 'hash' then return 0, '', '' end
  local f = redis.call('HMGET', key, 'v', 'x', 'e', 'w')
  local version, expires_at = tonumber(f[1]), tonumber(f[2])
  if not version or not expires_at or expires_at <= now then return 0, '', '' end
  return version, f[3] or '', f[4] or ''
end
local function claim_owner(key, now)
  if redis.call('TYPE', key).ok ~= 'hash' then return nil end
  local f = redis.call('HMGET', key, 'o', 'x')
  local expires_at = tonumber(f[2])
  if not f[1] or not expires_at or expires_at <= now then return nil end
  return f[1]
end
`;

/**
 * begin: KEYS = session [, delivery]; ARGV = now, the version and write token the caller holds (0 and
 * '': none). Reads only: a delivery is marked by its commit. Returns { duplicate 0|1, live session
 * version (0: none), envelope, write token } — the envelope empty when the caller holds that very write
 * (same version and token: a session deleted and made again restarts its versions, never its token).
 */
export const BEGIN_LUA = `${LUA_HELPERS}
local now = tonumber(ARGV[1])
local duplicate = 0
if KEYS[2] and delivery_live(KEYS[2], now) then duplicate = 1 end
local version, envelope, token = live_session(KEYS[1], now)
if version ~= 0 and version == tonumber(ARGV[2]) and token ~= '' and token == ARGV[3] then envelope = '' end
return { duplicate, version, envelope, token }
`;

/** markDelivered: KEYS = delivery; ARGV = now, expiry, cleanup ms. Returns 1 when newly marked. */
export const MARK_DELIVERED_LUA = `${LUA_HELPERS}
return claim_delivery(KEYS[1], tonumber(ARGV[1]), ARGV[2], ARGV[3])
`;

/**
 * claim: KEYS = claim; ARGV = now, owner, expiry, cleanup ms. Returns 1 when the claim was free (absent,
 * expired or unreadable) and is now the owner's, 0 when it is held (even by the same owner: SET NX).
 */
export const CLAIM_LUA = `${LUA_HELPERS}
if claim_owner(KEYS[1], tonumber(ARGV[1])) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'o', ARGV[2], 'x', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

/** renewClaim: KEYS = claim; ARGV = now, owner, expiry, cleanup ms. Returns 1 when held by owner and re-set. */
export const RENEW_CLAIM_LUA = `${LUA_HELPERS}
if claim_owner(KEYS[1], tonumber(ARGV[1])) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'x', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

/** releaseClaim: KEYS = claim; ARGV = now, owner. Returns 1 when held by owner and dropped. */
export const RELEASE_CLAIM_LUA = `${LUA_HELPERS}
if claim_owner(KEYS[1], tonumber(ARGV[1])) ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

/** recordReminder: KEYS = reminders; ARGV = envelope, how many to keep. Pushes at the head and trims. */
export const RECORD_REMINDER_LUA = `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return 1
`;

/**
 * commit: KEYS = session, audit, then per filing its key and its index keys, then the delivery key
 * when there is one. ARGV = now, expected version, replace version ('' or the raw version of an
 * unreadable session), 'set'|'delete', envelope, expiry, cleanup ms, filing count, delivery expiry
 * ('' for none), delivery cleanup ms, the write's token (kept with the session), the token the
 * expected version was written with ('' when unknown: the version alone decides), then per filing (receipt, expected, version, envelope, score,
 * index count), then the audit envelopes. Checks everything, then writes everything:
 * { 'ok', version } | { 'session', live version, envelope, token } (so the caller can rerun without
 * reading it again) | { 'session0', live version, envelope } | { 'filing', receipt } | { 'duplicate' }.
 */
export const COMMIT_LUA = `${LUA_HELPERS}
local now, expected = tonumber(ARGV[1]), tonumber(ARGV[2])
local delivery = ARGV[9] ~= '' and KEYS[#KEYS] or nil
if delivery and delivery_live(delivery, now) then return { 'duplicate' } end
local live, live_envelope, live_token = live_session(KEYS[1], now)
if ARGV[3] ~= '' then
  if live ~= tonumber(ARGV[3]) then return { 'session', live, live_envelope, live_token } end
elseif live ~= expected then
  if expected == 0 then return { 'session0', live, live_envelope } end
  return { 'session', live, live_envelope, live_token }
elseif ARGV[12] ~= '' and live_token ~= ARGV[12] then
  return { 'session', live, live_envelope, live_token }
end
local filings, k, a = {}, 3, 13
for i = 1, tonumber(ARGV[8]) do
  local n = tonumber(ARGV[a + 5])
  local f = { key = KEYS[k], receipt = ARGV[a], expected = tonumber(ARGV[a + 1]), version = ARGV[a + 2],
    envelope = ARGV[a + 3], score = ARGV[a + 4], indexes = {} }
  for j = 1, n do f.indexes[j] = KEYS[k + j] end
  filings[i] = f
  k, a = k + 1 + n, a + 6
end
for _, f in ipairs(filings) do
  local current = tonumber(redis.call('HGET', f.key, 'v'))
  if f.expected == 0 then
    if current then return { 'filing', f.receipt } end
  elseif current ~= f.expected then
    return { 'filing', f.receipt }
  end
end
local version = 0
if ARGV[4] == 'delete' then
  redis.call('DEL', KEYS[1])
else
  version = expected + 1
  local kind = redis.call('TYPE', KEYS[1]).ok
  if kind ~= 'hash' and kind ~= 'none' then redis.call('DEL', KEYS[1]) end
  redis.call('HSET', KEYS[1], 'v', version, 'x', ARGV[6], 'e', ARGV[5], 'w', ARGV[11])
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
end
for _, f in ipairs(filings) do
  local old = redis.call('HGET', f.key, 'ix')
  if old then
    for _, index in ipairs(cjson.decode(old)) do redis.call('ZREM', index, f.receipt) end
  end
  for _, index in ipairs(f.indexes) do redis.call('ZADD', index, f.score, f.receipt) end
  redis.call('HSET', f.key, 'v', f.version, 'e', f.envelope, 'ix', cjson.encode(f.indexes))
end
for i = a, #ARGV do redis.call('LPUSH', KEYS[2], ARGV[i]) end
if delivery then redis.call('SET', delivery, ARGV[9], 'PX', ARGV[10]) end
return { 'ok', version }
`;

/** How much longer than the logical TTL a key is kept by Redis itself: cleanup only, never the truth. */
export function toCleanupMs(ttlMs: number): number {
  return ttlMs + Math.max(ttlMs, 60_000);
}

/** What the begin script answers. */
export interface BeginReply {
  duplicate: boolean;
  /** The live session version; 0 when there is none (or it expired). */
  version: number;
  envelope: string;
  /** The token of the live session's last write ('' when none). */
  token: string;
}

/** What the commit script answers; `session-at-zero` lets the store replace an unreadable session. */
export type CommitReply =
  | { kind: 'ok'; version: number }
  /** The session moved on: the live one (version 0: none) comes along. */
  | { kind: 'session'; live?: { version: number; envelope: string; token: string } }
  | { kind: 'session-at-zero'; liveVersion: number; envelope: string }
  | { kind: 'filing'; receipt: string }
  | { kind: 'duplicate' };

/** The keys and arguments of one commit script call. */
export interface CommitCall {
  keys: string[];
  args: string[];
}

/** The scripts, registered on one client, with their replies decoded. */
export interface StoreScripts {
  /** `held`: the session write the caller has cached; when still live, its envelope is not sent. */
  begin(keys: { session: string; delivery: string | undefined }, nowMs: number, held: { version: number; token: string } | undefined): Promise<BeginReply>;
  markDelivered(key: string, nowMs: number, ttlMs: number): Promise<boolean>;
  commit(call: CommitCall): Promise<CommitReply>;
  claim(key: string, owner: string, nowMs: number, ttlMs: number): Promise<boolean>;
  renewClaim(key: string, owner: string, nowMs: number, ttlMs: number): Promise<boolean>;
  releaseClaim(key: string, owner: string, nowMs: number): Promise<boolean>;
  recordReminder(key: string, envelope: string, keep: number): Promise<void>;
}

/**
 * Checks a commit request (StoreError on a programming error) and builds its script call.
 * `replaceVersion` is the raw version of a live session whose envelope could not be read, to be
 * overwritten by a save at version 0.
 */
export function toCommitCall(
  keys: RedisKeys,
  request: CommitRequest,
  nowMs: number,
  tokens: { write: string; expected: string },
  replaceVersion?: number,
): CommitCall {
  checkCommitRequest('redis', request);
  const filings = request.filings ?? [];
  const delivery = request.delivery;
  const callKeys = [keys.session(request.key), keys.audit()];
  const args = [
    String(nowMs),
    String(request.expectedVersion),
    replaceVersion === undefined ? '' : String(replaceVersion),
    request.data === null ? 'delete' : 'set',
    request.data === null ? '' : toEnvelopeJson(request.data),
    String(nowMs + request.sessionTtlMs),
    String(toCleanupMs(request.sessionTtlMs)),
    String(filings.length),
    delivery === undefined ? '' : String(nowMs + delivery.dedupeTtlMs),
    delivery === undefined ? '' : String(toCleanupMs(delivery.dedupeTtlMs)),
    tokens.write,
    tokens.expected,
  ];
  for (const { filing, expectedVersion } of filings) {
    const indexes = keys.filingIndexes(filing);
    const createdAtMs = Date.parse(filing.createdAt);
    callKeys.push(keys.filing(filing.receipt), ...indexes);
    args.push(filing.receipt, String(expectedVersion), String(filing.version), toEnvelopeJson(filing));
    args.push(String(Number.isFinite(createdAtMs) ? createdAtMs : nowMs), String(indexes.length));
  }
  for (const entry of request.audit ?? []) args.push(toEnvelopeJson(entry));
  if (delivery !== undefined) callKeys.push(keys.delivery(delivery.id));
  return { keys: callKeys, args };
}

function badReply(script: string, reply: unknown): StoreError {
  const shown = JSON.stringify(reply)?.slice(0, 200) ?? String(reply);
  return new StoreError(`redis store: unexpected reply from the ${script} script: ${shown}`);
}

function decodeBegin(reply: unknown): BeginReply {
  if (!Array.isArray(reply)) throw badReply('begin', reply);
  const items: unknown[] = reply;
  const [duplicate, version, envelope, token] = items;
  if (typeof duplicate !== 'number' || typeof version !== 'number' || typeof envelope !== 'string' || typeof token !== 'string') {
    throw badReply('begin', reply);
  }
  return { duplicate: duplicate === 1, version, envelope, token };
}

function decodeCommit(reply: unknown): CommitReply {
  if (!Array.isArray(reply)) throw badReply('commit', reply);
  const items: unknown[] = reply;
  const [kind, first, second] = items;
  if (kind === 'ok' && typeof first === 'number') return { kind: 'ok', version: first };
  if (kind === 'session') {
    const [, , , token] = items;
    return typeof first === 'number' && typeof second === 'string' && typeof token === 'string'
      ? { kind: 'session', live: { version: first, envelope: second, token } }
      : { kind: 'session' };
  }
  if (kind === 'duplicate') return { kind: 'duplicate' };
  if (kind === 'session0' && typeof first === 'number' && typeof second === 'string') {
    return { kind: 'session-at-zero', liveVersion: first, envelope: second };
  }
  if (kind === 'filing' && typeof first === 'string') return { kind: 'filing', receipt: first };
  throw badReply('commit', reply);
}

/** Decodes the 0|1 answer of a script. */
function decodeFlag(script: string, reply: unknown): boolean {
  if (reply !== 0 && reply !== 1) throw badReply(script, reply);
  return reply === 1;
}

/** Defines one script on the client and returns a caller whose reply is `unknown` until decoded. */
function defineScript(redis: Redis, name: string, lua: string, numberOfKeys?: number) {
  redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { lua, numberOfKeys });
  const command: unknown = Reflect.get(redis, name);
  if (typeof command !== 'function') throw new StoreError(`redis store: cannot define the ${name} script`);
  return async (...args: Array<string | number>): Promise<unknown> => {
    const reply: unknown = await Reflect.apply(command, redis, args);
    return reply;
  };
}

/**
 * Registers the scripts on `redis` with ioredis `defineCommand` (idempotent: defining again replaces
 * the same script) and returns their typed callers. Errors propagate as ioredis errors; the store
 * wraps them.
 */
export function registerStoreScripts(redis: Redis): StoreScripts {
  const begin = defineScript(redis, 'sciweekBegin', BEGIN_LUA);
  const markDelivered = defineScript(redis, 'sciweekMarkDelivered', MARK_DELIVERED_LUA, 1);
  const commit = defineScript(redis, 'sciweekCommit', COMMIT_LUA);
  const claim = defineScript(redis, 'sciweekClaim', CLAIM_LUA, 1);
  const renewClaim = defineScript(redis, 'sciweekRenewClaim', RENEW_CLAIM_LUA, 1);
  const releaseClaim = defineScript(redis, 'sciweekReleaseClaim', RELEASE_CLAIM_LUA, 1);
  const recordReminder = defineScript(redis, 'sciweekRecordReminder', RECORD_REMINDER_LUA, 1);
  return {
    begin: async (keys, nowMs, held) => {
      const scriptKeys = keys.delivery === undefined ? [keys.session] : [keys.session, keys.delivery];
      return decodeBegin(await begin(scriptKeys.length, ...scriptKeys, String(nowMs), String(held?.version ?? 0), held?.token ?? ''));
    },
    markDelivered: async (key, nowMs, ttlMs) => {
      const reply = await markDelivered(key, String(nowMs), String(nowMs + ttlMs), String(toCleanupMs(ttlMs)));
      return decodeFlag('markDelivered', reply);
    },
    commit: async (call) => decodeCommit(await commit(call.keys.length, ...call.keys, ...call.args)),
    claim: async (key, owner, nowMs, ttlMs) => {
      const reply = await claim(key, String(nowMs), owner, String(nowMs + ttlMs), String(toCleanupMs(ttlMs)));
      return decodeFlag('claim', reply);
    },
    renewClaim: async (key, owner, nowMs, ttlMs) => {
      const reply = await renewClaim(key, String(nowMs), owner, String(nowMs + ttlMs), String(toCleanupMs(ttlMs)));
      return decodeFlag('renewClaim', reply);
    },
    releaseClaim: async (key, owner, nowMs) => decodeFlag('releaseClaim', await releaseClaim(key, String(nowMs), owner)),
    recordReminder: async (key, envelope, keep) => {
      decodeFlag('recordReminder', await recordReminder(key, envelope, String(keep)));
    },
  };
}
