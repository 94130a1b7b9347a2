/**
 * The stored form of inbox updates and outbox replies: what goes in comes back the same — text in
 * every script, a file's bytes, the arrival time — and what is not an update or replies is refused.
 */
import { describe, expect, it } from 'vitest';
import type { Inbound } from '../../../src/domain/inbound.js';
import { choicesReply, paragraph, textReply, type Reply } from '../../../src/domain/reply.js';
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

  it('refuses what is not an update or replies', () => {
    expect(() => decodeUpdate('{"v":1,"route":"","inbound":{"platform":"telegram"}}')).toThrow(TypeError);
    expect(() => decodeUpdate('{"v":2}')).toThrow(TypeError);
    expect(() => decodeReplies('{"v":1,"replies":[{"text":"no kind"}]}')).toThrow(TypeError);
    expect(() => decodeReplies('{"v":1,"replies":[{"kind":"file","name":"a"}]}')).toThrow(TypeError);
    expect(() => decodeReplies('not json')).toThrow();
  });
});
