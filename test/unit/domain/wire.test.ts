/**
 * The stored form of inbox updates and outbox replies: what goes in comes back the same — text in
 * every script, a file's bytes (also inside a reply for the asker alone), the arrival time — and what
 * is not an update or replies, or a damaged reply for the asker alone, is refused.
 */
import { describe, expect, it } from 'vitest';
import type { Inbound } from '../../../src/domain/inbound.js';
import { choicesReply, paragraph, startLink, textReply, type PrivateReply, type Reply } from '../../../src/domain/reply.js';
import { decodeReplies, decodeUpdate, encodeReplies, encodeUpdate } from '../../../src/domain/wire.js';

const inbound: Inbound = {
  platform: 'telegram',
  chat: { id: '-100123', kind: 'group' },
  user: { id: '42', displayName: '张三 🧪', localeHint: 'zh-hans' },
  text: '市南区科协\u0000"引号"\n第二行 😀',
  attachments: [{ kind: 'photo', fileRef: 'AgAC-x', uniqueId: 'u1', sizeBytes: 1024 }],
  deliveryId: '900',
  receivedAt: new Date('2021-04-20T02:00:00.123Z'),
};

describe('the wire codec', () => {
  it('brings an update back as it was kept, arrival time included', () => {
    const back = decodeUpdate(encodeUpdate({ inbound, route: '{"retire":[1,2]}' }));
    expect(back.route).toBe('{"retire":[1,2]}');
    expect(back.inbound).toEqual(inbound);
    expect(back.inbound.receivedAt).toBeInstanceOf(Date);
  });

  it('brings replies back as they were committed, a file’s bytes included', () => {
    const bytes = new Uint8Array(300).map((_, i) => (i * 7) % 256);
    const replies: Reply[] = [
      textReply('回执号：KP-0123456789'),
      choicesReply([paragraph('选一项')], [{ label: '市南区', payload: 'pick:0', role: 'option' }]),
      { kind: 'file', name: '附件2.xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: bytes.subarray(10, 290), caption: '导出' },
    ];
    const back = decodeReplies(encodeReplies(replies));
    expect(back.slice(0, 2)).toEqual(replies.slice(0, 2));
    const file = back[2];
    expect(file?.kind).toBe('file');
    expect(file?.kind === 'file' ? [...file.data] : []).toEqual([...bytes.subarray(10, 290)]);
  });

  it('brings a reply for the asker alone back with its replies and notes, a file’s bytes in it included', () => {
    const bytes = new Uint8Array(1024).map((_, i) => (i * 13 + 5) % 256);
    const csv: Reply = { kind: 'file', name: '附件2.csv', mime: 'text/csv', data: bytes.subarray(24, 1000), caption: '共导出 1 份填报' };
    const alone: PrivateReply = {
      kind: 'private',
      userId: 'U0STAFF',
      replies: [textReply('联系电话：0532-85911893'), csv],
      sent: [textReply('已私信发给您。')],
      refused: [textReply('请先打开与我的私聊。', paragraph(startLink('打开私聊', 'menu')))],
    };
    const replies: Reply[] = [textReply('前'), alone, textReply('后')];
    const back = decodeReplies(encodeReplies(replies));
    expect(back).toHaveLength(3);
    expect([back[0], back[2]]).toEqual([replies[0], replies[2]]);
    const kept = back[1];
    if (kept?.kind !== 'private') throw new Error(`not a private reply: ${JSON.stringify(kept)}`);
    expect(kept.userId).toBe('U0STAFF');
    expect(kept.replies[0]).toEqual(alone.replies[0]);
    expect(kept.sent).toEqual(alone.sent);
    expect(kept.refused).toEqual(alone.refused);
    const file = kept.replies[1];
    expect(file).toMatchObject({ kind: 'file', name: '附件2.csv', mime: 'text/csv', caption: '共导出 1 份填报' });
    expect(file?.kind === 'file' ? file.data : undefined).toBeInstanceOf(Uint8Array);
    expect(file?.kind === 'file' ? [...file.data] : []).toEqual([...bytes.subarray(24, 1000)]);
    // The bytes are stored as base64, not as a JSON array of numbers or an object of indices.
    expect(encodeReplies(replies)).not.toContain('"0":');
  });

  it('refuses a damaged reply for the asker alone', () => {
    const text = { kind: 'text', blocks: [] };
    const good = { kind: 'private', userId: 'U1', replies: [text], sent: [text], refused: [text] };
    const stored = (reply: Record<string, unknown>): string => JSON.stringify({ v: 1, replies: [reply] });
    // The well-formed one is read, so each refusal below is for what was damaged.
    expect(decodeReplies(stored(good))).toEqual([good]);
    const damaged: [string, Record<string, unknown>][] = [
      ['no user', { ...good, userId: undefined }],
      ['an empty user', { ...good, userId: '' }],
      ['a user that is not text', { ...good, userId: 42 }],
      ['no replies', { ...good, replies: undefined }],
      ['replies that are not a list', { ...good, replies: text }],
      ['no sent note', { ...good, sent: undefined }],
      ['no refused note', { ...good, refused: null }],
      ['a reply without a kind', { ...good, replies: [{ blocks: [] }] }],
      ['a file without its bytes', { ...good, replies: [{ kind: 'file', name: 'a.csv', mime: 'text/csv' }] }],
      ['a private reply inside another', { ...good, replies: [good] }],
      ['a private reply inside a note', { ...good, refused: [good] }],
    ];
    for (const [what, reply] of damaged) expect(() => decodeReplies(stored(reply)), what).toThrow(TypeError);
  });

  it('refuses what is not an update or replies', () => {
    expect(() => decodeUpdate('{"v":1,"route":"","inbound":{"platform":"telegram"}}')).toThrow(TypeError);
    expect(() => decodeUpdate('{"v":2}')).toThrow(TypeError);
    expect(() => decodeReplies('{"v":1,"replies":[{"text":"no kind"}]}')).toThrow(TypeError);
    expect(() => decodeReplies('{"v":1,"replies":[{"kind":"file","name":"a"}]}')).toThrow(TypeError);
    expect(() => decodeReplies('not json')).toThrow();
  });
});
