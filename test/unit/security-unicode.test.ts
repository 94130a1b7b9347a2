/**
 * Unicode oddities: zero-width characters, the RTL override (U+202E), lone surrogates and
 * 10,000 emoji in one message, through the real engine (stored on SQLite and on Redis) and through the
 * Telegram and Slack renderers: nothing invisible or direction-changing is stored, nothing crashes,
 * long replies are cut under each platform's limits without cutting a surrogate pair or an entity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPrivateChat, paragraph, textReply, type Reply } from '../../src/domain/reply.js';
import { cleanDisplayName, cleanFileName, cutText, toWellFormed } from '../../src/flow/parse/normalize.js';
import { splitHtml, toTelegramMessages, MAX_MESSAGE_CHARS } from '../../src/adapters/telegram/render.js';
import { SLACK_LIMITS, toSlackMessages } from '../../src/adapters/slack/render.js';
import { toInbound } from '../../src/adapters/telegram/to-inbound.js';
import { createHarness, KEY_PROJECT_ANSWERS, translate, type Harness, type Sender } from '../support/engine-harness.js';
import { createRedisEngine, newRedisPrefix, readSession, type RedisEngine } from '../support/redis-engine.js';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const EMOJI_10K = '😀'.repeat(10_000);
const zh = translate('zh-CN');
const en = translate('en');

/** Every Telegram message of some replies: text under 4096 visible characters, well-formed. */
function expectTelegramFits(replies: readonly Reply[]): void {
  for (const reply of inPrivateChat(replies)) {
    for (const message of toTelegramMessages(reply, 'sciweek_bot')) {
      if (message.kind !== 'text') continue;
      const visible = message.html.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot);/g, '_');
      expect(visible.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      expect(LONE.test(message.html)).toBe(false);
    }
  }
}

/** Every Slack message of some replies: at most 50 blocks, sections and text under 3000, well-formed. */
function expectSlackFits(replies: readonly Reply[]): void {
  for (const reply of inPrivateChat(replies)) {
    for (const message of toSlackMessages(reply)) {
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(message.text.length).toBeLessThanOrEqual(3000);
      for (const block of message.blocks) {
        const text = (block['text'] as { text?: string } | undefined)?.text ?? '';
        expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
        expect(LONE.test(text)).toBe(false);
      }
    }
  }
}

let h: Harness;
let users = 0;
beforeAll(() => {
  h = createHarness();
});
afterAll(async () => {
  await h.cleanup();
});

function newUser(localeHint?: string): Sender {
  users += 1;
  return localeHint === undefined ? { userId: `uni-${users}` } : { userId: `uni-${users}`, localeHint };
}

/** Starts key-project and answers district and project name; the organizer is asked next. */
async function atOrganizer(sender: Sender): Promise<void> {
  await h.say('/file key-project', sender);
  for (const answer of KEY_PROJECT_ANSWERS.slice(0, 2)) await h.say(answer, sender);
}

async function draftValues(sender: Sender): Promise<Record<string, unknown> | undefined> {
  const begun = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'test', chatId: 'c1', userId: sender.userId ?? 'u1' } });
  return begun.session?.data.flow?.values;
}

describe('unicode oddities through the engine', () => {
  it.each([
    ['zero-width characters', '青\u200b岛\u200c市\u200d科\u2060协\ufeff', '青岛市科协'],
    ['an RTL override and isolates', '\u202e青岛市科协\u202c\u2066x\u2069', '青岛市科协x'],
    ['lone surrogates', '\ud800青岛\udc00市科协\udbff', '青岛市科协'],
    ['reversed surrogate halves', '青岛\udc00\ud800市科协', '青岛市科协'],
  ])('%s are removed before an answer is stored', async (_name, typed, stored) => {
    const sender = newUser();
    await atOrganizer(sender);
    const turn = await h.say(typed, sender);
    expect(turn.replies.length).toBeGreaterThan(0);
    const values = await draftValues(sender);
    expect(values?.['organizer']).toBe(stored);
    expect(LONE.test(JSON.stringify(values))).toBe(false);
    expectTelegramFits(turn.replies);
    expectSlackFits(turn.replies);
  });

  it.each([
    ['zh-CN', zh],
    ['en', en],
  ] as const)('refuses 10,000 emoji at a text field with the localized length reason (%s); the draft is kept; replies fit', async (locale, t) => {
    const sender = newUser(locale === 'en' ? 'en' : 'zh-CN');
    await atOrganizer(sender);
    const before = await draftValues(sender);
    const turn = await h.say(EMOJI_10K, sender);
    expect(turn.text).toContain(t('errors.text.too_long', { max: 100 }));
    expect(turn.text).not.toContain('😀😀');
    expect(await draftValues(sender)).toEqual(before);
    expectTelegramFits(turn.replies);
    expectSlackFits(turn.replies);
  });

  it('answers 10,000 emoji outside a form, and the answer fits both platforms', async () => {
    const sender = newUser();
    const turn = await h.say(EMOJI_10K, sender);
    expect(turn.replies.length).toBeGreaterThan(0);
    expectTelegramFits(turn.replies);
    expectSlackFits(turn.replies);
  });

  it('stores and reads back a filing typed with lone surrogates and an RTL override on Redis', async () => {
    const redis: RedisEngine = createRedisEngine({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', prefix: newRedisPrefix() });
    try {
      const sender: Sender = { userId: 'redis-uni' };
      await redis.say('/file key-project', sender);
      await redis.say(KEY_PROJECT_ANSWERS[0] ?? '', sender);
      await redis.say('\u202e青岛\ud800海洋\udc00嘉年华', sender);
      const stored = await readSession(redis.store, sender);
      expect(stored?.data.flow?.values['projectName']).toBe('青岛海洋嘉年华');
    } finally {
      await redis.close();
    }
  });
});

describe('unicode oddities through the renderers', () => {
  it('cuts an over-long Telegram line between code points, losing nothing', () => {
    const line = `a${'😀'.repeat(5000)}`;
    const chunks = splitHtml([line]);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      expect(LONE.test(chunk)).toBe(false);
    }
    expect(chunks.join('')).toBe(line);
  });

  it('cuts a long Slack line between code points and never inside an entity', () => {
    const typed = `${'&'.repeat(2999)}😀${'<'.repeat(1000)}${'😀'.repeat(3000)}`;
    const [message] = toSlackMessages(textReply(paragraph(typed)));
    const texts = (message?.blocks ?? []).map((block) => (block['text'] as { text: string }).text);
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
      expect(LONE.test(text)).toBe(false);
      expect(text.replace(/&(?:amp|lt|gt);/g, '')).not.toMatch(/&/);
    }
    const shown = texts.join('').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(shown).toBe(typed);
  });

  it('sends lone surrogates as U+FFFD on both platforms', () => {
    const reply = textReply(paragraph('名称\ud800结束\udfff'));
    const [telegram] = toTelegramMessages(reply, 'bot');
    expect(telegram?.kind === 'text' ? telegram.html : '').toBe('名称\ufffd结束\ufffd');
    const [slack] = toSlackMessages(reply);
    expect(slack?.text).toBe('名称\ufffd结束\ufffd');
    expect(toWellFormed('\ud83d\ude00')).toBe('😀');
  });

  it('cuts text by UTF-16 units and keeps atoms whole', () => {
    expect(cutText('😀😀😀', 3)).toEqual(['😀', '😀', '😀']);
    expect(cutText('ab&amp;cd', 5, /&amp;/)).toEqual(['ab', '&amp;', 'cd']);
    // An atom longer than a piece is cut by code points after all.
    expect(cutText('ab&amp;cd', 4, /&amp;/)).toEqual(['ab', '&amp', ';cd']);
    expect(cutText('short', 10)).toEqual(['short']);
  });
});

describe('unicode oddities in names users control', () => {
  it('cleans display names and file names: no RTL override, no zero-width, no path', () => {
    expect(cleanDisplayName('Bob\u202egnp.exe')).toBe('Bobgnp.exe');
    expect(cleanDisplayName('\u200b\u200b')).toBeUndefined();
    expect(cleanDisplayName('张\n三')).toBe('张 三');
    expect(cleanFileName('photo\u202egpj.exe')).toBe('photogpj.exe');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\x\\a.jpg')).toBe('a.jpg');
    expect(cleanFileName('a\u0000b.jpg')).toBe('ab.jpg');
    expect(cleanFileName('..')).toBeUndefined();
    expect(cleanFileName('/')).toBeUndefined();
    expect([...(cleanFileName('x'.repeat(1000)) ?? '')]).toHaveLength(200);
  });

  it('cleans them in Telegram updates', () => {
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 7, type: 'private' as const, first_name: 'x' },
        from: { id: 7, is_bot: false, first_name: '\u202e张三\u200b' },
        document: { file_id: 'f', file_unique_id: 'u', file_name: '../\u202eevil\u0000.jpg' },
      },
    };
    const inbound = toInbound(update, { id: 1, is_bot: true, first_name: 'b', username: 'b' } as never, new Date());
    expect(inbound?.user.displayName).toBe('张三');
    expect(inbound?.attachments?.[0]?.name).toBe('evil.jpg');
    expect(INVISIBLE.test(JSON.stringify(inbound))).toBe(false);
  });
});
