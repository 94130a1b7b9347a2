/**
 * The Lua source of the Redis store's scripts (their typed callers are in redis-scripts.ts). Expiry
 * follows the store's clock, not Redis's: the logical expiry time is kept in the value and compared
 * with a `now` argument, so tests can move time; a real PX is set as well, generously, only so that
 * Redis cleans up what nobody reads any more.
 */

/** Lua helpers shared by the scripts: a delivery check, a session read and a claim's owner, all by logical time. */
const LUA_HELPERS = `
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
 * commit: KEYS = session, audit, then per filing its key and its index keys, then the chat's outbox
 * list and the outbox-chats set when there is an outbox entry, then the inbox stream when an inbox
 * entry is acknowledged, then the delivery key when there is one.
 * ARGV = now, expected version, replace version ('' or the raw version of an unreadable session),
 * 'set'|'delete', envelope, expiry, cleanup ms, filing count, delivery expiry ('' for none), delivery
 * cleanup ms, the write's token (kept with the session), the token the expected version was written
 * with ('' when unknown: the version alone decides), the outbox entry's JSON ('' for none) and its
 * chat's member of the outbox-chats set, the inbox entry's id ('' for none) and the inbox group, then per filing (receipt, expected, version, envelope, score,
 * index count), then the audit envelopes (all remaining ARGV). Checks everything, then writes everything
 * (the outbox entry pushed at the tail of its chat's list, the chat added to the set):
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
local filings, k, a = {}, 3, 17
for i = 1, tonumber(ARGV[8]) do
  local n = tonumber(ARGV[a + 5])
  local f = { key = KEYS[k], receipt = ARGV[a], expected = tonumber(ARGV[a + 1]), version = ARGV[a + 2],
    envelope = ARGV[a + 3], score = ARGV[a + 4], indexes = {} }
  for j = 1, n do f.indexes[j] = KEYS[k + j] end
  filings[i] = f
  k, a = k + 1 + n, a + 6
end
local outbox = ARGV[13] ~= '' and { list = KEYS[k], chats = KEYS[k + 1] } or nil
if outbox then k = k + 2 end
local inbox = ARGV[15] ~= '' and KEYS[k] or nil
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
if outbox then
  redis.call('RPUSH', outbox.list, ARGV[13])
  redis.call('SADD', outbox.chats, ARGV[14])
end
if delivery then redis.call('SET', delivery, ARGV[9], 'PX', ARGV[10]) end
if inbox then
  -- A stream or group deleted meanwhile leaves nothing to acknowledge: never an error after the writes.
  redis.pcall('XACK', inbox, ARGV[16], ARGV[15])
  redis.pcall('XDEL', inbox, ARGV[15])
end
return { 'ok', version }
`;

/**
 * inboxTake: KEYS = the partitions' streams; ARGV = group, consumer, max. Creates the group of a
 * stream that has none (at 0, with MKSTREAM). Looks at the next `max` never-delivered entries of each
 * stream (after the group's last-delivered id), keeps the oldest `max` of them all by id (stream ids
 * are append times, so busy partitions cannot starve the others) and reads exactly those with
 * XREADGROUP. Returns { flat list of (stream index, id, body), last-delivered id of each stream when
 * nothing was taken (for a blocking XREAD to wait after) }.
 */
export const INBOX_TAKE_LUA = `
local group, consumer, max = ARGV[1], ARGV[2], tonumber(ARGV[3])
local function field(list, name)
  for i = 1, #list - 1, 2 do if list[i] == name then return list[i + 1] end end
  return nil
end
local function last_delivered(key)
  local groups = redis.pcall('XINFO', 'GROUPS', key)
  if type(groups) == 'table' and not groups.err then
    for _, g in ipairs(groups) do
      if field(g, 'name') == group then return field(g, 'last-delivered-id') end
    end
  end
  redis.call('XGROUP', 'CREATE', key, group, '0', 'MKSTREAM')
  return '0-0'
end
local function parse_id(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local candidates, after = {}, {}
for i, key in ipairs(KEYS) do
  after[i] = last_delivered(key)
  for _, entry in ipairs(redis.call('XRANGE', key, '(' .. after[i], '+', 'COUNT', max)) do
    local ms, seq = parse_id(entry[1])
    candidates[#candidates + 1] = { i = i, id = entry[1], ms = ms, seq = seq, body = field(entry[2], 'b') or '' }
  end
end
table.sort(candidates, function(x, y)
  if x.ms ~= y.ms then return x.ms < y.ms end
  if x.seq ~= y.seq then return x.seq < y.seq end
  return x.i < y.i
end)
local counts, taken = {}, {}
for n = 1, math.min(max, #candidates) do
  local c = candidates[n]
  counts[c.i] = (counts[c.i] or 0) + 1
  taken[#taken + 1] = c.i
  taken[#taken + 1] = c.id
  taken[#taken + 1] = c.body
end
for i, count in pairs(counts) do
  redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', KEYS[i], '>')
end
if #taken > 0 then return { taken, {} } end
return { taken, after }
`;

/**
 * outboxDoneMany: KEYS = the outbox-chats set, then each entry's chat list; ARGV = per entry its JSON
 * prefix (the text {"id":<id as JSON>, that every entry starts with) and its chat's member of the set.
 * Pops the head when it is that entry (the usual case: the sender delivers in order), else removes the
 * first entry with that id; drops the chat from the set once its list is empty. Returns how many
 * entries were there.
 */
export const OUTBOX_DONE_MANY_LUA = `
local removed = 0
for i = 2, #KEYS do
  local list, prefix, member = KEYS[i], ARGV[2 * i - 3], ARGV[2 * i - 2]
  local head = redis.call('LINDEX', list, 0)
  if head and string.sub(head, 1, #prefix) == prefix then
    redis.call('LPOP', list)
    removed = removed + 1
  elseif head then
    for _, entry in ipairs(redis.call('LRANGE', list, 1, -1)) do
      if string.sub(entry, 1, #prefix) == prefix then
        removed = removed + redis.call('LREM', list, 1, entry)
        break
      end
    end
  end
  if redis.call('LLEN', list) == 0 then redis.call('SREM', KEYS[1], member) end
end
return removed
`;

/**
 * inboxAppendAndTake: KEYS = the partition's stream; ARGV = body, group, consumer, max. Appends the
 * entry, then takes the stream's never-delivered entries for the consumer (creating the group at 0
 * when it is missing). Returns { the new id, flat list of (id, body) taken }.
 */
export const INBOX_APPEND_AND_TAKE_LUA = `
local id = redis.call('XADD', KEYS[1], '*', 'b', ARGV[1])
local read = { 'XREADGROUP', 'GROUP', ARGV[2], ARGV[3], 'COUNT', ARGV[4], 'STREAMS', KEYS[1], '>' }
local taken = redis.pcall(unpack(read))
if type(taken) == 'table' and taken.err then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[2], '0')
  taken = redis.call(unpack(read))
end
local flat = {}
if type(taken) == 'table' and taken[1] then
  for _, entry in ipairs(taken[1][2]) do
    local body = ''
    for i = 1, #entry[2] - 1, 2 do if entry[2][i] == 'b' then body = entry[2][i + 1] end end
    flat[#flat + 1] = entry[1]
    flat[#flat + 1] = body
  end
end
return { id, flat }
`;
