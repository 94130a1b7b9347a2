import type { Update, UserFromGetMe } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { toInbound } from '../../../../src/adapters/telegram/to-inbound.js';
import { secretsMatch } from '../../../../src/adapters/telegram/webhook.js';

const bot = { id: 42, is_bot: true, first_name: 'Bot', username: 'sciweek_bot' } as UserFromGetMe;
const at = new Date('2021-04-20T02:00:00Z');
const from = { id: 7, is_bot: false, first_name: '三', last_name: '张', language_code: 'zh-hans' };

function message(chat: { id: number; type: 'private' | 'group' | 'supergroup' }, text: string, extra: Record<string, unknown> = {}): Update {
  return { update_id: 100, message: { message_id: 1, date: 0, chat, from, text, ...extra } } as unknown as Update;
}

describe('telegram update → Inbound', () => {
  it('takes every private message, with the language hint and the update id', () => {
    expect(toInbound(message({ id: 7, type: 'private' }, '你好'), bot, at)).toEqual({
      platform: 'telegram',
      chat: { id: '7', kind: 'private' },
      user: { id: '7', displayName: '三 张', localeHint: 'zh-hans' },
      text: '你好',
      deliveryId: '100',
      receivedAt: at,
    });
  });

  it('in groups takes commands, mentions (removed) and replies to the bot, and nothing else', () => {
    const group = { id: -5, type: 'supergroup' as const };
    expect(toInbound(message(group, '/bind 市南区'), bot, at)?.text).toBe('/bind 市南区');
    expect(toInbound(message(group, '/bind@sciweek_bot 市南区'), bot, at)?.text).toBe('/bind@sciweek_bot 市南区');
    expect(toInbound(message(group, '/bind@other_bot 市南区'), bot, at)).toBeUndefined();
    const mention = message(group, '@sciweek_bot 截止时间？', { entities: [{ type: 'mention', offset: 0, length: 12 }] });
    expect(toInbound(mention, bot, at)?.text).toBe('截止时间？');
    expect(toInbound(message(group, '大家好'), bot, at)).toBeUndefined();
    const reply = message(group, '哪天？', { reply_to_message: { message_id: 9, date: 0, chat: group, from: { id: 42, is_bot: true, first_name: 'Bot' } } });
    expect(toInbound(reply, bot, at)?.chat).toEqual({ id: '-5', kind: 'group' });
  });

  it('turns the largest photo, documents and videos into attachments', () => {
    const photo = message({ id: 7, type: 'private' }, '', {
      text: undefined,
      photo: [
        { file_id: 's', file_unique_id: 'us', width: 90, height: 90, file_size: 10 },
        { file_id: 'l', file_unique_id: 'ul', width: 900, height: 900, file_size: 1000 },
      ],
    });
    expect(toInbound(photo, bot, at)?.attachments).toEqual([{ kind: 'photo', mime: 'image/jpeg', fileRef: 'l', uniqueId: 'ul', sizeBytes: 1000 }]);
    const video = message({ id: 7, type: 'private' }, '', {
      text: undefined,
      caption: '总结视频',
      video: { file_id: 'v', file_unique_id: 'uv', width: 1, height: 1, duration: 170, mime_type: 'video/mp4', file_size: 5 },
    });
    expect(toInbound(video, bot, at)).toMatchObject({ text: '总结视频', attachments: [{ kind: 'video', durationSeconds: 170, mime: 'video/mp4' }] });
  });

  it('turns a button press into an action, and ignores bots and empty updates', () => {
    const press = {
      update_id: 101,
      callback_query: { id: 'q', from, chat_instance: 'x', data: 'nav:back:f.venue', message: { message_id: 3, date: 0, chat: { id: 7, type: 'private' } } },
    } as unknown as Update;
    expect(toInbound(press, bot, at)).toMatchObject({ action: 'nav:back:f.venue', chat: { id: '7', kind: 'private' }, deliveryId: '101' });
    const fromBot = { update_id: 102, message: { message_id: 1, date: 0, chat: { id: 7, type: 'private' }, from: { id: 9, is_bot: true, first_name: 'B' }, text: 'x' } } as unknown as Update;
    expect(toInbound(fromBot, bot, at)).toBeUndefined();
    expect(toInbound({ update_id: 103 }, bot, at)).toBeUndefined();
  });

  it('compares webhook secrets exactly', () => {
    expect(secretsMatch('s3cret', 's3cret')).toBe(true);
    expect(secretsMatch('s3cret ', 's3cret')).toBe(false);
    expect(secretsMatch('', 's3cret')).toBe(false);
    expect(secretsMatch(undefined, 's3cret')).toBe(false);
  });
});
