/**
 * Slack events of the wrong shape → what the listeners keep: a DM or a mention with a sender or text
 * of the wrong type is unreadable (answered with an apology), one with nowhere to answer is not acted
 * on, edits and bots are ignored as before, files are read entry by entry, and a modal's values of the
 * wrong type count as empty. Nothing throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromModalValues, fromSlackText, readDirectMessage, readMention } from '../../../../src/adapters/slack/to-inbound.js';

const dm = (fields: Record<string, unknown>): Record<string, unknown> => ({ type: 'message', channel_type: 'im', channel: 'DU1', user: 'U1', text: 'hi', ts: '1.1', ...fields });

describe('slack DM messages', () => {
  it('reads a DM with its text and files', () => {
    expect(readDirectMessage(dm({}))).toEqual({ channel: 'DU1', userId: 'U1', text: 'hi', attachments: [], unreadable: false });
    expect(readDirectMessage(dm({ subtype: 'file_share', text: '', files: [{ id: 'F1', name: 'a.png', mimetype: 'image/png', size: 5 }] }))).toEqual({
      channel: 'DU1',
      userId: 'U1',
      attachments: [{ kind: 'photo', fileRef: 'F1', uniqueId: 'F1', name: 'a.png', mime: 'image/png', sizeBytes: 5 }],
      unreadable: false,
    });
  });

  it('marks a DM unreadable when its text, sender or subtype has the wrong type', () => {
    expect(readDirectMessage(dm({ text: 42 }))).toEqual({ channel: 'DU1', userId: 'U1', attachments: [], unreadable: true });
    expect(readDirectMessage(dm({ user: 7 }))).toEqual({ channel: 'DU1', attachments: [], unreadable: true });
    expect(readDirectMessage(dm({ user: undefined }))).toMatchObject({ unreadable: true });
    expect(readDirectMessage(dm({ subtype: 5 }))).toMatchObject({ unreadable: true });
  });

  it('acts on nothing without a channel, outside a DM, from a bot, or for an edit', () => {
    for (const fields of [{ channel: 5 }, { channel: '' }, { channel_type: 'channel' }, { channel_type: 3 }, { bot_id: 'B1' }, { subtype: 'message_changed' }]) {
      expect(readDirectMessage(dm(fields)), JSON.stringify(fields)).toBeUndefined();
    }
    expect(readDirectMessage('x')).toBeUndefined();
    expect(readDirectMessage(null)).toBeUndefined();
  });

  it('keeps a file list of the wrong shape as files that cannot be read', () => {
    expect(readDirectMessage(dm({ subtype: 'file_share', files: 'F1' }))?.attachments).toEqual([{ kind: 'document', fileRef: '' }]);
    expect(readDirectMessage(dm({ subtype: 'file_share', files: [{ id: 'F2', size: null, name: 3 }] }))?.attachments).toEqual([{ kind: 'document', fileRef: 'F2', uniqueId: 'F2' }]);
  });
});

describe('slack mentions', () => {
  const mention = (fields: Record<string, unknown>): Record<string, unknown> => ({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> hi', ts: '2.2', ...fields });

  it('reads a mention with its thread, and marks one whose text is not text unreadable', () => {
    expect(readMention(mention({}))).toEqual({ channel: 'C1', userId: 'U1', text: '<@UBOT> hi', attachments: [], unreadable: false, threadTs: '2.2' });
    expect(readMention(mention({ thread_ts: '1.0' }))?.threadTs).toBe('1.0');
    expect(readMention(mention({ text: ['x'], ts: 5 }))).toEqual({ channel: 'C1', userId: 'U1', attachments: [], unreadable: true });
  });

  it('acts on nothing without a channel or a sender', () => {
    expect(readMention(mention({ channel: null }))).toBeUndefined();
    expect(readMention(mention({ user: 5 }))).toBeUndefined();
    expect(readMention(7)).toBeUndefined();
  });
});

describe('slack modal values', () => {
  it('counts values of the wrong type as empty and files of the wrong shape as unreadable files', () => {
    const values = {
      name: { name: { type: 'plain_text_input', value: 5 } },
      district: { district: { type: 'static_select', selected_option: { value: 'shinan' } } },
      other: { other: { type: 'static_select', selected_option: null, value: 'typed' } },
      photos: { photos: { type: 'file_input', files: 'x' } },
      broken: 'x',
      wrong: { elsewhere: { type: 'plain_text_input', value: 'y' } },
    };
    expect(fromModalValues(values)).toEqual({
      values: { name: '', district: 'shinan', other: 'typed' },
      files: { photos: [{ kind: 'document', fileRef: '' }] },
    });
    expect(fromModalValues(null)).toEqual({ values: {}, files: {} });
  });

  it('never throws, whatever an event holds', () => {
    const key = fc.constantFrom('channel_type', 'channel', 'user', 'text', 'subtype', 'files', 'bot_id', 'thread_ts', 'ts');
    fc.assert(
      fc.property(fc.dictionary(key, fc.anything({ maxDepth: 3 })), (fields) => {
        readDirectMessage({ channel_type: 'im', channel: 'D1', ...fields });
        readMention({ channel: 'C1', user: 'U1', ...fields });
        fromModalValues({ f: { f: fields } });
      }),
      { numRuns: 300 },
    );
  });
});

describe('slack link markup', () => {
  it('reads a link as its visible text, else as its target without mailto:/tel:', () => {
    expect(fromSlackText('<mailto:lina@example.com|lina@example.com>')).toBe('lina@example.com');
    expect(fromSlackText('<tel:+8613812345678|138 1234 5678>')).toBe('138 1234 5678');
    expect(fromSlackText('<http://x.cn|x.cn>')).toBe('x.cn');
    expect(fromSlackText('<https://x.cn/a?b=1&amp;c=2>')).toBe('https://x.cn/a?b=1&c=2');
    expect(fromSlackText('<mailto:lina@example.com>')).toBe('lina@example.com');
    expect(fromSlackText('<TEL:0532-85911893>')).toBe('0532-85911893');
    expect(fromSlackText('邮箱 <mailto:a@b.cn|a@b.cn>，电话 <tel:13812345678|13812345678> &lt;x&gt;')).toBe('邮箱 a@b.cn，电话 13812345678 <x>');
    expect(fromSlackText('<@U1|lina> <#C1|general> <!here>')).toBe('@lina #general @here');
  });

  it('unwraps links in modal inputs but leaves what was typed otherwise', () => {
    const values = { email: { email: { type: 'plain_text_input', value: '<mailto:a@b.cn|a@b.cn>' } }, name: { name: { type: 'plain_text_input', value: 'R&amp;D <lab>' } } };
    expect(fromModalValues(values).values).toEqual({ email: 'a@b.cn', name: 'R&amp;D <lab>' });
  });
});
