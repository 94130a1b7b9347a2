/**
 * Telegram updates of the wrong shape → Inbound: never a throw; nothing when there is no chat to
 * answer (or the sender is a bot); an `unreadable` Inbound when the chat is known but the sender,
 * text, caption or button payload is not what the Bot API sends (in a group only when meant for the
 * bot); a file's wrongly typed metadata dropped, and a file without a file_id kept without a reference.
 */
import fc from 'fast-check';
import type { Update, UserFromGetMe } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { toInbound } from '../../../../src/adapters/telegram/to-inbound.js';

const bot = { id: 42, is_bot: true, first_name: 'Bot', username: 'sciweek_bot' } as UserFromGetMe;
const at = new Date('2021-04-20T02:00:00Z');
const from = { id: 7, is_bot: false, first_name: '三', language_code: 'en' };
const privateChat = { id: 7, type: 'private' };
const group = { id: -500, type: 'supergroup' };

function update(body: Record<string, unknown>): Update {
  const raw: unknown = { update_id: 300, ...body };
  return raw as Update;
}

function message(fields: Record<string, unknown>): Update {
  return update({ message: { message_id: 1, date: 0, chat: privateChat, from, ...fields } });
}

const apology = (chatId: string, kind: 'private' | 'group', user: Record<string, unknown>): Record<string, unknown> => ({
  platform: 'telegram',
  chat: { id: chatId, kind },
  user,
  unreadable: true,
  deliveryId: '300',
  receivedAt: at,
});

describe('telegram updates of the wrong shape', () => {
  it('marks a private message as unreadable when its text or caption is not text, or its sender has no id', () => {
    const user = { id: '7', displayName: '三', localeHint: 'en' };
    expect(toInbound(message({ text: 12345 }), bot, at)).toEqual(apology('7', 'private', user));
    expect(toInbound(message({ text: null }), bot, at)).toEqual(apology('7', 'private', user));
    expect(toInbound(message({ caption: { a: 1 }, photo: [] }), bot, at)).toEqual(apology('7', 'private', user));
    // Without a sender id, the private chat (whose id is its user's) is answered.
    expect(toInbound(message({ from: { first_name: 'x' }, text: 'hi' }), bot, at)).toEqual(apology('7', 'private', { id: '7', displayName: '7' }));
    expect(toInbound(message({ from: 'someone', text: 'hi' }), bot, at)).toMatchObject({ unreadable: true });
    expect(toInbound(message({ from: undefined, text: 'hi' }), bot, at)).toMatchObject({ unreadable: true });
  });

  it('reads a sender without a name by its id, and ids written as digits as numbers', () => {
    expect(toInbound(message({ from: { id: 7, is_bot: false }, text: 'hi' }), bot, at)).toMatchObject({ user: { id: '7', displayName: '7' }, text: 'hi' });
    expect(toInbound(message({ chat: { id: '7', type: 'private' }, from: { id: '7', first_name: '三' }, text: 'hi' }), bot, at)).toMatchObject({
      chat: { id: '7', kind: 'private' },
      user: { id: '7' },
      text: 'hi',
    });
    // Without a chat type, the sign of the id tells a private chat from a group.
    expect(toInbound(message({ chat: { id: 7 }, text: 'hi' }), bot, at)?.chat).toEqual({ id: '7', kind: 'private' });
    expect(toInbound(message({ chat: { id: -500 }, text: '/help' }), bot, at)?.chat).toEqual({ id: '-500', kind: 'group' });
    expect(toInbound(message({ from: { ...from, language_code: 5, last_name: ['x'] }, text: 'hi' }), bot, at)?.user).toEqual({ id: '7', displayName: '三' });
  });

  it('acts on nothing without a chat to answer, from a bot, or of an unknown kind', () => {
    for (const chat of [undefined, null, 'x', { id: 'abc', type: 'private' }, { id: 1.5, type: 'private' }, { type: 'private' }]) {
      expect(toInbound(message({ chat, text: 12 }), bot, at), JSON.stringify(chat)).toBeUndefined();
    }
    expect(toInbound(message({ from: { id: 9, is_bot: true, first_name: 'B' }, text: 5 }), bot, at)).toBeUndefined();
    expect(toInbound(update({ message: 'text' }), bot, at)).toBeUndefined();
    expect(toInbound(update({ callback_query: 7 }), bot, at)).toBeUndefined();
    expect(toInbound(update({ edited_message: { chat: privateChat, from, text: 'x' } }), bot, at)).toBeUndefined();
  });

  it('in a group apologizes only for what was meant for the bot, to a known sender', () => {
    const user = { id: '7', displayName: '三', localeHint: 'en' };
    const inGroup = (fields: Record<string, unknown>): Update => message({ chat: group, ...fields });
    expect(toInbound(inGroup({ text: 12 }), bot, at)).toBeUndefined();
    expect(toInbound(inGroup({ text: 12, reply_to_message: { message_id: 3, from: { id: 42 } } }), bot, at)).toEqual(apology('-500', 'group', user));
    expect(toInbound(inGroup({ text: '/help', caption: 5 }), bot, at)).toEqual(apology('-500', 'group', user));
    expect(toInbound(inGroup({ from: { first_name: 'x' }, text: '/help' }), bot, at)).toBeUndefined();
    // Entities of the wrong shape are no mention.
    expect(toInbound(inGroup({ text: '@sciweek_bot 截止？', entities: 5 }), bot, at)).toBeUndefined();
    expect(toInbound(inGroup({ text: '@sciweek_bot 截止？', entities: [null, { type: 'mention', offset: '0', length: 12 }, { type: 'mention', offset: 0, length: 12 }] }), bot, at)?.text).toBe('截止？');
  });

  it('marks a button press without its payload, or by a sender without an id, as unreadable', () => {
    const press = (fields: Record<string, unknown>): Update => update({ callback_query: { id: 'q', from, chat_instance: 'x', message: { message_id: 3, date: 0, chat: privateChat }, ...fields } });
    expect(toInbound(press({ data: 17 }), bot, at)).toEqual(apology('7', 'private', { id: '7', displayName: '三', localeHint: 'en' }));
    expect(toInbound(press({}), bot, at)).toMatchObject({ unreadable: true });
    expect(toInbound(press({ data: 'nav:back:f.x', from: { id: 'x' } }), bot, at)).toEqual(apology('7', 'private', { id: '7', displayName: '7' }));
    expect(toInbound(press({ data: 'nav:back:f.x' }), bot, at)).toMatchObject({ action: 'nav:back:f.x' });
    expect(toInbound(press({ data: 'x', message: undefined, inline_message_id: 'i' }), bot, at)).toBeUndefined();
    expect(toInbound(press({ data: 'x', message: { message_id: 3, chat: null } }), bot, at)).toBeUndefined();
  });

  it('drops a file\'s metadata of the wrong type, and keeps a file without a file_id as one without a reference', () => {
    const document = { file_id: 'd', file_unique_id: 'ud', file_name: 'x.png', mime_type: 'image/png', file_size: null };
    expect(toInbound(message({ document }), bot, at)?.attachments).toEqual([{ kind: 'document', fileRef: 'd', uniqueId: 'ud', name: 'x.png', mime: 'image/png' }]);
    const odd = { file_id: 'v', file_unique_id: 5, file_name: 7, mime_type: null, file_size: '9', duration: 'long' };
    expect(toInbound(message({ video: odd }), bot, at)?.attachments).toEqual([{ kind: 'video', fileRef: 'v' }]);
    expect(toInbound(message({ document: { file_name: 'y.png', mime_type: 'image/png' } }), bot, at)?.attachments).toEqual([{ kind: 'document', fileRef: '', name: 'y.png', mime: 'image/png' }]);
    expect(toInbound(message({ document: 'x' }), bot, at)?.attachments).toEqual([{ kind: 'document', fileRef: '' }]);
    // The largest photo size that can be fetched; none: a photo without a reference.
    const sizes = [{ file_id: 's', file_unique_id: 'us', file_size: 10 }, { file_id: 'l', file_size: null }, { file_id: 5 }, null];
    expect(toInbound(message({ photo: sizes }), bot, at)?.attachments).toEqual([{ kind: 'photo', mime: 'image/jpeg', fileRef: 'l' }]);
    expect(toInbound(message({ photo: 'x' }), bot, at)?.attachments).toEqual([{ kind: 'photo', mime: 'image/jpeg', fileRef: '' }]);
  });

  it('never throws, whatever the update holds', () => {
    const anything = fc.anything({ withNullPrototype: false, maxDepth: 4 });
    const field = fc.constantFrom('text', 'caption', 'from', 'chat', 'photo', 'document', 'video', 'voice', 'entities', 'reply_to_message', 'data', 'message', 'id', 'file_size');
    const shaped = fc.dictionary(field, fc.oneof(anything, fc.dictionary(field, anything)));
    fc.assert(
      fc.property(shaped, fc.boolean(), (fields, asPress) => {
        const body = asPress ? { callback_query: { from, message: { chat: privateChat }, ...fields } } : { message: { chat: privateChat, from, ...fields } };
        const inbound = toInbound(update(body), bot, at);
        if (inbound === undefined) return;
        expect(inbound.chat.id).toMatch(/^-?\d+$/);
        expect(inbound.user.id).toMatch(/^-?\d+$/);
        expect(typeof inbound.user.displayName).toBe('string');
        for (const file of inbound.attachments ?? []) expect(typeof file.fileRef).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
