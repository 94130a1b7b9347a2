/**
 * The purge's traces (purge-scope.ts): which of a filing's answers tie a waiting message to it —
 * names, phones, e-mails, addresses, file references, each line of a long answer, in the escaped form
 * JSON stores them in too — and which are too common to (dates, option ids, short words).
 */
import { describe, expect, it } from 'vitest';
import { collectTraces, queueScope } from '../../../src/store/purge-scope.js';
import { encodeUpdate } from '../../../src/domain/wire.js';

const envelope = (data: object): string => JSON.stringify({ v: 1, data });

const FILING = envelope({
  receipt: 'KP-1',
  ownerKey: 'slack:U1',
  ownerName: '张丽',
  values: {
    district: 'shinan',
    phone: '0532-85911893',
    email: 'kjj@shinan.example.cn',
    period: { start: '2021-05-22', end: '2021-05-28' },
    hasLiveStream: 'yes',
    summary: '第一行\n展示"氢进万家"项目',
    photos: [{ kind: 'photo', fileRef: 'AgAD-1', name: '氢能汽车.jpg' }],
    attendance: 300,
  },
});

describe('purge traces', () => {
  const traces = collectTraces([{ receipt: 'KP-1', envelope: FILING }]);

  it('takes receipts, names, phones, e-mails, file references and each line of a long answer, raw and JSON-escaped', () => {
    for (const needle of ['KP-1', '张丽', '0532-85911893', 'kjj@shinan.example.cn', 'AgAD-1', '氢能汽车.jpg', '第一行', '展示"氢进万家"项目', '展示\\"氢进万家\\"项目', '第一行\\n展示\\"氢进万家\\"项目']) {
      expect(traces.needles).toContain(needle);
    }
    expect([...traces.owners]).toEqual(['slack:U1']);
    expect([...traces.fileRefs]).toEqual(['AgAD-1']);
  });

  it('leaves out what any filing may share: dates, option ids, short words and numbers', () => {
    for (const common of ['shinan', '2021-05-22', '2021-05-28', 'yes', 'photo', '300']) expect(traces.needles).not.toContain(common);
  });

  it('learns a filer\'s Slack DM from their update, so the replies waiting there go too', () => {
    const scope = queueScope(traces, undefined);
    const dm = encodeUpdate({ route: '', inbound: { platform: 'slack', chat: { id: 'D9', kind: 'private' }, user: { id: 'U1', displayName: 'x' }, text: 'hi', receivedAt: new Date() } });
    const reply = { platform: 'slack', chatId: 'D9', body: '{"v":1,"replies":[]}', route: '' };
    expect(scope.outboxEntry(reply)).toBe(false);
    expect(scope.inboxEntry(dm)).toBe(true);
    expect(scope.outboxEntry(reply)).toBe(true);
    expect(scope.outboxEntry({ ...reply, chatId: 'D8' })).toBe(false);
    expect(queueScope(traces, { servedEvent: true }).outboxEntry({ ...reply, chatId: 'D8' })).toBe(true);
  });
});
