import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SDK_TEXT, REDACTED, redactForeign, redactFreeText, redactLogLine, redactLogRecord, scrubText } from '../../../src/kernel/redact.js';

describe('scrubText', () => {
  it.each([
    ['mobile', '请拨 13957268431 联系', '13957268431'],
    ['mobile with dashes', 'tel 139-5726-8431.', '139-5726-8431'],
    ['mobile with spaces', '139 5726 8431', '5726'],
    ['+86 mobile', '+86 139 5726 8431', '5726'],
    ['+86 glued', '+8613957268431', '13957268431'],
    ['0086 mobile', '0086-13957268431', '13957268431'],
    ['landline', '电话：0532-86729154', '86729154'],
    ['landline in brackets', '(0532)86729154', '86729154'],
    ['landline glued', '053286729154', '86729154'],
    ['landline with extension', '010 12345678 转 805', '12345678'],
    ['+86 landline', '+86 532 8672 9154', '8672'],
    ['service number', '400-820-8820', '820-8820'],
    ['e-mail', 'mail mingyue.zhuge@bluewhale-lab.cn now', 'mingyue.zhuge'],
    ['e-mail with a Chinese domain', 'a@例子.中国', 'a@'],
    ['Slack bot token', 'xoxb-7345-9981-LeakCheckBotTokenValue', 'LeakCheck'],
    ['Slack app token', 'xapp-1-A0SCIWEEK-0000-token', 'A0SCIWEEK-0000'],
    ['Telegram token in a URL', 'POST https://api.telegram.org/bot7012345678:AAHk3vR9x-Qm2Pz8LcT5wYb1NdFgJhKs0eU/sendMessage', 'AAHk3vR9x'],
    ['bearer credential', 'Authorization: Bearer abc.def-ghi', 'abc.def'],
    ['password in a URL', 'redis://sciweek:hunter2@10.0.0.5:6379/1', 'hunter2'],
    ['Slack signature', 'v0=a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', 'a3f1c2d4'],
  ])('takes out a %s', (_kind, text, secret) => {
    expect(scrubText(text)).not.toContain(secret);
  });

  it.each([
    ['a Slack ts', '1700000000.000100'],
    ['an ISO time', '2021-04-20T10:00:00+08:00'],
    ['a time in ms', '1712345678123'],
    ['a supergroup id', '-1001234567890'],
    ['a receipt', 'KP-5ZAJQKRV3N'],
    ['a Redis address', '127.0.0.1:6379 (sciweek-bot:inbox)'],
    ['a date range', '2021-05-22/2021-05-28'],
    ['a duration', 'durationMs 13.657903999'],
    ['a postal code', '266071'],
  ])('leaves %s alone', (_kind, text) => {
    expect(scrubText(text)).toBe(text);
  });

  it('finds any mobile, landline or e-mail wherever it sits in text without digits', () => {
    const around = fc.string({ unit: fc.constantFrom('a', ' ', '号', '：', '-', '(', '"', ',', '路', 'Z'), maxLength: 12 });
    const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/)).map(([d, rest]) => `1${d}${rest}`);
    const landline = fc.tuple(fc.constantFrom('010', '021', '0532', '0755'), fc.stringMatching(/^[1-9]\d{7}$/), fc.constantFrom('-', ' ', '')).map(([a, n, s]) => `${a}${s}${n}`);
    const email = fc.emailAddress();
    fc.assert(
      fc.property(around, fc.oneof(mobile, landline, email), around, (before, secret, after) => {
        expect(scrubText(`${before}${secret}${after}`)).not.toContain(secret);
      }),
    );
  });
});

describe('redactForeign (an SDK request or answer)', () => {
  it('keeps ids, statuses and numbers, and nothing a person wrote or is', () => {
    const usersInfo = {
      ok: true,
      user: {
        id: 'U0FANG01', team_id: 'T0SCIWEEK', name: 'fangfang.ouyang', real_name: '欧阳芳芳', tz_offset: 28800, is_admin: false,
        profile: { email: 'fangfang@example.cn', phone: '+86 139 5726 8432', display_name: 'Fang' },
      },
    };
    expect(redactForeign(usersInfo)).toEqual({
      ok: true,
      user: { id: 'U0FANG01', team_id: 'T0SCIWEEK', name: REDACTED, real_name: REDACTED, tz_offset: 28800, is_admin: false, profile: REDACTED },
    });
  });

  it('keeps a Slack id only in its shape, and no string of an unknown key', () => {
    expect(redactForeign({ ok: true, user: 'sciweek_bot', team: 'SciWeek Test', user_id: 'U0SCIBOT', url: 'https://x.slack.com/' })).toEqual({
      ok: true, user: REDACTED, team: REDACTED, user_id: 'U0SCIBOT', url: REDACTED,
    });
    expect(redactForeign({ error: '张三', type: 'message', comment: 'plain words' })).toEqual({ error: REDACTED, type: 'message', comment: REDACTED });
    expect(redactForeign(['sciweek:session:1', '{"name":"李四"}', 7])).toEqual([REDACTED, REDACTED, 7]);
  });
});

describe('redactFreeText (an SDK line)', () => {
  it('redacts the JSON a line embeds and keeps its words', () => {
    const line = 'http request body: {"channel":"D0FANG01","text":"联系人：诸葛明月","blocks":"[{\\"type\\":\\"section\\"}]","token":"[[REDACTED]]"}';
    expect(redactFreeText(line)).toBe('http request body: {"channel":"D0FANG01","text":"[redacted]","blocks":"[redacted]","token":"[redacted]"}');
  });

  it('ends the text at a structure it cannot read: a util.inspect dump, a cut body, a JSON error', () => {
    expect(redactFreeText("write command[127.0.0.1:6379 (db)]: 0 -> set([ 'k', '{\"name\":\"李四\"}' ])")).toBe('write command[127.0.0.1:6379 (db)]: 0 -> set([…]');
    expect(redactFreeText('http request result: {"ok":true,"user":{"real_name":"欧阳芳芳"')).toBe('http request result: {…}');
    expect(redactFreeText('Unexpected token \'x\', "{"name":"张三", "ph"... is not valid JSON')).toBe('Unexpected token \'x\', "{…}');
  });

  it('keeps only the envelope of a Socket Mode message', () => {
    const line = 'Received a message on the WebSocket: {"envelope_id":"1d2c","type":"interactive","payload":{"type":"view_submission","user":{"id":"U0FANG01","name":"fangfang"},"view":{"state":{"values":{"email":{"v":{"value":"kp@x.cn"}}}}}}}';
    expect(redactFreeText(line)).toBe('Received a message on the WebSocket: {"envelope_id":"1d2c","type":"interactive","payload":"[redacted]"}');
  });

  it('cuts an SDK line at its length', () => {
    expect(redactFreeText('x'.repeat(5000), MAX_SDK_TEXT)).toHaveLength(MAX_SDK_TEXT + 1);
  });
});

describe('redactLogRecord (every line)', () => {
  it('replaces whatever sits under a personal or secret key, at any depth, in any spelling', () => {
    const record = {
      level: 20, hostname: 'vm', chatId: '730501', msg: 'message handled',
      config: { TELEGRAM_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: 'def', PORT: 3000 },
      filing: { receipt: 'KP-5ZAJQKRV3N', ownerName: '慕容秋水', values: { phone: '0532-86729154' }, status: 'submitted' },
      from: { user: { id: '730501', displayName: '慕容秋水' }, text: '诸葛明月' },
      nested: [{ deeper: { real_name: 'a', first_name: 'b', display_name: 'c', address: 'd', email: 'e', Authorization: 'f', contactPerson: 'g', districtContactPhone: 'h' } }],
    };
    const out = JSON.stringify(redactLogRecord(record));
    for (const gone of ['abc', 'def', '慕容秋水', '0532-86729154', '诸葛明月', '"a"', '"b"', '"c"', '"d"', '"e"', '"f"', '"g"', '"h"']) expect(out).not.toContain(gone);
    for (const kept of ['"hostname":"vm"', '"chatId":"730501"', '"PORT":3000', '"receipt":"KP-5ZAJQKRV3N"', '"status":"submitted"', '"id":"730501"']) expect(out).toContain(kept);
  });

  it('keeps an error readable and takes its payload out (grammY, the Slack Web API)', () => {
    const record = {
      err: {
        type: 'GrammyError', message: "Call to 'sendMessage' failed! (400: Bad Request: chat not found)", stack: 'GrammyError: …\n    at Foo.bar [as baz] (x.js:1:2)',
        method: 'sendMessage', error_code: 400, payload: { chat_id: 730501, text: '司马青云 13957268431' },
        cause: { type: 'WebAPIPlatformError', message: 'An API error occurred: invalid_blocks', data: { ok: false, error: 'invalid_blocks', echo: '欧阳芳芳' } },
      },
    };
    expect(redactLogRecord(record)).toEqual({
      err: {
        ...record.err,
        payload: REDACTED,
        cause: { type: 'WebAPIPlatformError', message: 'An API error occurred: invalid_blocks', data: { ok: false, error: 'invalid_blocks', echo: REDACTED } },
      },
    });
  });

  it('reads the sdk field as an SDK line and scrubs every other string', () => {
    const out = redactLogRecord({ sdk: 'ack() call begins (body: {"response_action":"errors","errors":{"email":"kp@x.cn 不对"}})', reason: 'user 13957268431 blocked' });
    expect(out).toEqual({ sdk: 'ack() call begins (body: {"response_action":"errors","errors":{"email":"[redacted]"}})', reason: 'user [phone] blocked' });
  });
});

describe('redactLogLine', () => {
  it('gives back a pino line redacted, with its fields in order', () => {
    const line = '{"level":30,"time":1,"pid":2,"hostname":"vm","module":"engine","text":"诸葛明月","msg":"message handled"}\n';
    expect(redactLogLine(line)).toBe('{"level":30,"time":1,"pid":2,"hostname":"vm","module":"engine","text":"[redacted]","msg":"message handled"}\n');
  });

  it('turns a line that is not JSON into one, scrubbed', () => {
    expect(JSON.parse(redactLogLine('boom kp@example.cn {"a"'))).toEqual({ msg: 'boom [email] {…}' });
  });

  it('treats __proto__ as an ordinary key', () => {
    const out = JSON.parse(redactLogLine('{"__proto__":{"polluted":"张三"},"msg":"x"}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(out['msg']).toBe('x');
  });
});
