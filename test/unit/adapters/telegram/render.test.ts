import { describe, expect, it } from 'vitest';
import { bold, choicesReply, link, list, paragraph, startLink, textReply } from '../../../../src/domain/reply.js';
import { escapeHtml, MAX_MESSAGE_CHARS, splitHtml, toKeyboard, toTelegramMessages } from '../../../../src/adapters/telegram/render.js';

describe('telegram rendering', () => {
  it('escapes user text and keeps our own markup', () => {
    const [message] = toTelegramMessages(textReply(paragraph(bold('项目'), '：<b>x</b> & <script>')), 'sciweek_bot');
    expect(message).toEqual({ kind: 'text', html: '<b>项目</b>：&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;' });
  });

  it('renders start links as t.me deep links and drops links that are not http(s)', () => {
    const [message] = toTelegramMessages(
      textReply(paragraph(startLink('附件2', 'key-project')), paragraph(link('x', 'javascript:alert(1)')), paragraph(link('y', 'https://a.example/?q="1"'))),
      'sciweek_bot',
    );
    expect(message?.kind === 'text' ? message.html : '').toBe(
      '<a href="https://t.me/sciweek_bot?start=key-project">附件2</a>\nx\n<a href="https://a.example/?q=&quot;1&quot;">y</a>',
    );
  });

  it('lays option buttons two a row (one when long) and navigation on its own rows', () => {
    const keyboard = toKeyboard([
      { label: '市南区', payload: 'pick:district:shinan', role: 'option' },
      { label: '市北区', payload: 'pick:district:shibei', role: 'option' },
      { label: '李沧区', payload: 'pick:district:licang', role: 'option' },
      { label: '返回', payload: 'nav:back:f.district', role: 'nav' },
      { label: '取消', payload: 'nav:cancel:f.district', role: 'nav' },
    ]);
    expect(keyboard.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([['市南区', '市北区'], ['李沧区'], ['返回', '取消']]);
    const long = toKeyboard([{ label: '中国（山东）自由贸易试验区青岛片区', payload: 'pick:district:ftz', role: 'option' }, { label: '市南区', payload: 'p', role: 'option' }]);
    expect(long.inline_keyboard).toHaveLength(2);
  });

  it('splits long replies under 4096 visible characters, with the keyboard on the last part', () => {
    const items = Array.from({ length: 400 }, (_, i) => [`第${i}项 ${'内容'.repeat(10)} & <x>`]);
    const messages = toTelegramMessages(choicesReply([list(items)], [{ label: '提交', payload: 'nav:submit:s', role: 'nav' }]), 'b');
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      const html = message.kind === 'text' ? message.html : '';
      const visible = html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot);/g, '_');
      expect(visible.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
    expect(messages.filter((m) => m.kind === 'text' && m.keyboard !== undefined)).toHaveLength(1);
    expect(messages.at(-1)?.kind === 'text' && messages.at(-1)).toHaveProperty('keyboard');
  });

  it('cuts one over-long line as escaped text, losing nothing', () => {
    const line = escapeHtml('<'.repeat(5000));
    const parts = splitHtml([line]);
    expect(parts.length).toBe(2);
    expect(parts.join('').replace(/&lt;/g, '<')).toBe('<'.repeat(5000));
  });

  it('sends a file reply as a document', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(toTelegramMessages({ kind: 'file', name: 'a.csv', mime: 'text/csv', data, caption: 'c' }, 'b')).toEqual([
      { kind: 'document', name: 'a.csv', mime: 'text/csv', data, caption: 'c' },
    ]);
  });
});
