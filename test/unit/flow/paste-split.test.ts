/**
 * The paste matcher's newer parts on their own: a combined name-and-number label split into two
 * fields, the words that mean "nothing", which lines are reported unused, and a titled paste.
 */
import { describe, expect, it } from 'vitest';
import { createPasteMatcher, isEmptyWord, shortenLine, splitNameAndNumber } from '../../../src/flow/paste.js';

const matcher = createPasteMatcher(
  new Map([
    ['联系人', 'person'],
    ['联系方式', 'phone'],
    ['参展单位', 'unit'],
    ['简介', 'text'],
  ]),
  (id) => id === 'text',
  new Map([['联系人及联系方式', { name: 'person', phone: 'phone' }]]),
);

describe('splitNameAndNumber', () => {
  it.each([
    ['张三 13812345678', '张三', '13812345678'],
    ['张三　138 1234 5678', '张三', '138 1234 5678'],
    ['李四，0532-88996677', '李四', '0532-88996677'],
    ['13812345678 王五', '王五', '13812345678'],
    ['赵六（电话：0532-85911893）', '赵六', '0532-85911893'],
    ['Li Si / 0532-88996677', 'Li Si', '0532-88996677'],
    ['Chantel Wu, tel: 13812345678', 'Chantel Wu', '13812345678'],
    ['张三', '张三', ''],
  ])('%s → %s + %s', (value, name, phone) => {
    expect(splitNameAndNumber(value)).toEqual({ name, phone });
  });
});

describe('isEmptyWord', () => {
  it.each(['无', 'N/A', 'n/a', '-', '—', 'none', 'None', '/', ' 无 ', '无。'])('%s means nothing', (word) => {
    expect(isEmptyWord(word)).toBe(true);
  });
  it.each(['无锡', '0532-85911894', 'No.5', '-1', ''])('%s is a value', (word) => {
    expect(isEmptyWord(word)).toBe(false);
  });
});

describe('scan', () => {
  it('splits a combined label into the name pair and the phone pair', () => {
    const result = matcher.scan('联系人及联系方式：张三 13812345678');
    expect(result.pairs).toEqual([
      { fieldId: 'person', value: '张三' },
      { fieldId: 'phone', value: '13812345678' },
    ]);
    expect(result.leading).toBe(true);
  });

  it('reports the lines that fill nothing, not the continued lines of a long text', () => {
    const result = matcher.scan('参展单位：X\n随便写的一行\n简介：第一行\n第二行');
    expect(result.pairs).toEqual([
      { fieldId: 'unit', value: 'X' },
      { fieldId: 'text', value: '第一行\n第二行' },
    ]);
    expect(result.unused).toEqual(['随便写的一行']);
  });

  it('takes a message with a title above two labelled lines as a paste, but not prose with one label', () => {
    expect(matcher.scan('附件1 参展信息表\n参展单位：X\n联系人：张三').leading).toBe(true);
    expect(matcher.scan('我们单位想参加\n联系人：张三').leading).toBe(false);
  });
});

describe('shortenLine', () => {
  it('keeps a short line and cuts a long one at 40 characters with an ellipsis', () => {
    expect(shortenLine('短的一行')).toBe('短的一行');
    expect(shortenLine('字'.repeat(50))).toBe(`${'字'.repeat(40)}…`);
  });
});
