/**
 * The paste matcher on its own: folding of labels as the Word tables write them, and which parts of
 * a pasted message become (field, value) pairs.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createPasteMatcher, foldLabel, type PasteMatcher } from '../../../src/flow/paste.js';

describe('foldLabel', () => {
  it.each([
    ['联 系 人', '联系人'],
    ['地    址', '地址'],
    ['地\u3000\u3000址', '地址'],
    ['联系人：', '联系人'],
    ['联系人:', '联系人'],
    ['1.项目名称', '项目名称'],
    ['12、项目名称', '项目名称'],
    ['3）邮政编码', '邮政编码'],
    ['3)邮政编码', '邮政编码'],
    ['2．主办单位', '主办单位'],
    ['主办单位（盖章）', '主办单位'],
    ['主办单位(盖章)', '主办单位'],
    ['填报单位（盖章）：', '填报单位'],
    ['E-mail', 'e-mail'],
    ['Project Name:', 'projectname'],
  ])('folds %j to %j', (raw, folded) => {
    expect(foldLabel(raw)).toBe(folded);
  });

  it('keeps a colon that is not at the end and numbers that are not numbering', () => {
    expect(foldLabel('时间:地点')).toBe('时间:地点');
    expect(foldLabel('2021年')).toBe('2021年');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (label) => {
        expect(foldLabel(foldLabel(label))).toBe(foldLabel(label));
      }),
      { numRuns: 300 },
    );
  });
});

/** Labels in the style of the notice's forms, with a 联系人 / 区市联系人 overlap. */
const LABELS = new Map<string, string>([
  ['项目名称', 'projectName'],
  ['主办单位', 'organizer'],
  ['主管部门', 'supervisor'],
  ['联系人', 'contact'],
  ['区市联系人', 'districtContact'],
  ['联系人及联系方式', 'contactWithPhone'],
  ['联系电话', 'phone'],
  ['电话', 'phone'],
  ['地址', 'address'],
  ['举办地点', 'venue'],
  ['地点', 'venue'],
  ['传真', 'fax'],
  ['E-mail', 'email'],
  ['项目简介', 'summary'],
]);

const matcher: PasteMatcher = createPasteMatcher(LABELS, (fieldId) => fieldId === 'summary');

describe('colon pairs', () => {
  it('reads one pair a line, with full-width or half-width colons', () => {
    expect(matcher.extract('项目名称：海洋嘉年华\n主办单位:青岛市科协')).toEqual([
      { fieldId: 'projectName', value: '海洋嘉年华' },
      { fieldId: 'organizer', value: '青岛市科协' },
    ]);
  });

  it('reads labels spaced as in the Word table', () => {
    expect(matcher.extract('联 系 人：李四\n地    址：香港中路11号\n传\u3000\u3000真：0532-85911894')).toEqual([
      { fieldId: 'contact', value: '李四' },
      { fieldId: 'address', value: '香港中路11号' },
      { fieldId: 'fax', value: '0532-85911894' },
    ]);
  });

  it('allows spaces before the colon and after it', () => {
    expect(matcher.extract('联系人 ：  李四  ')).toEqual([{ fieldId: 'contact', value: '李四' }]);
  });

  it.each([
    ['1.项目名称：海洋嘉年华'],
    ['1. 项目名称：海洋嘉年华'],
    ['12、项目名称：海洋嘉年华'],
    ['3．项目名称：海洋嘉年华'],
  ])('reads the numbered label %j', (line) => {
    expect(matcher.extract(line)).toEqual([{ fieldId: 'projectName', value: '海洋嘉年华' }]);
  });

  it('matches English labels without regard to case', () => {
    expect(matcher.extract('e-mail: kp@example.cn')).toEqual([{ fieldId: 'email', value: 'kp@example.cn' }]);
    expect(matcher.extract('E-MAIL：kp@example.cn')).toEqual([{ fieldId: 'email', value: 'kp@example.cn' }]);
  });

  it('reads several pairs a line, split at whitespace or punctuation before a label', () => {
    expect(matcher.extract('联系人：李四 联系电话：13800138000；传真：0532-85911894，地址：香港中路')).toEqual([
      { fieldId: 'contact', value: '李四' },
      { fieldId: 'phone', value: '13800138000' },
      { fieldId: 'fax', value: '0532-85911894' },
      { fieldId: 'address', value: '香港中路' },
    ]);
  });

  it('lets the longest label win: 区市联系人 and 联系人及联系方式 are not 联系人', () => {
    expect(matcher.extract('区市联系人：王五')).toEqual([{ fieldId: 'districtContact', value: '王五' }]);
    expect(matcher.extract('联系人及联系方式：李四 13800138000')).toEqual([
      { fieldId: 'contactWithPhone', value: '李四 13800138000' },
    ]);
    expect(matcher.extract('联系人：李四 区市联系人：王五')).toEqual([
      { fieldId: 'contact', value: '李四' },
      { fieldId: 'districtContact', value: '王五' },
    ]);
    expect(matcher.extract('举办地点：五四广场')).toEqual([{ fieldId: 'venue', value: '五四广场' }]);
    expect(matcher.extract('联系电话：13800138000')).toEqual([{ fieldId: 'phone', value: '13800138000' }]);
  });

  it('does not split a value at a label inside it unless whitespace or punctuation precedes it', () => {
    expect(matcher.extract('地址：青岛市联系人：张三路1号')).toEqual([{ fieldId: 'address', value: '青岛市联系人：张三路1号' }]);
    expect(matcher.extract('项目名称：科技馆地点：待定')).toEqual([{ fieldId: 'projectName', value: '科技馆地点：待定' }]);
    expect(matcher.extract('项目名称：科技馆 地点：待定')).toEqual([
      { fieldId: 'projectName', value: '科技馆' },
      { fieldId: 'venue', value: '待定' },
    ]);
  });

  it('does not take a label that is not at a word start', () => {
    expect(matcher.extract('本单位的联系电话：13800138000')).toEqual([]);
    expect(matcher.extract('活动地点：五四广场')).toEqual([]);
  });

  it('needs a colon or a tab: a bare label with a value is an answer', () => {
    expect(matcher.extract('联系人 李四')).toEqual([]);
    expect(matcher.extract('项目名称')).toEqual([]);
  });

  it('ignores unknown labels and lines without a label', () => {
    expect(matcher.extract('备注：无\n随便一行\n项目名称：X')).toEqual([{ fieldId: 'projectName', value: 'X' }]);
  });

  it('drops one trailing separator from a value, and keeps an empty value', () => {
    expect(matcher.extract('联系人：李四；')).toEqual([{ fieldId: 'contact', value: '李四' }]);
    expect(matcher.extract('传真：')).toEqual([{ fieldId: 'fax', value: '' }]);
  });

  it('continues a long-text value over the following lines, but no other value', () => {
    expect(matcher.extract('项目简介：第一行\n第二行\n\n第三行\n联系人：李四\n不属于任何一项')).toEqual([
      { fieldId: 'summary', value: '第一行\n第二行\n第三行' },
      { fieldId: 'contact', value: '李四' },
    ]);
    expect(matcher.extract('项目简介：\n正文在下一行')).toEqual([{ fieldId: 'summary', value: '正文在下一行' }]);
    expect(matcher.extract('联系人：李四\n续行')).toEqual([{ fieldId: 'contact', value: '李四' }]);
  });
});

describe('tab pairs', () => {
  it('reads label, value, label, value rows as copied from the Word table', () => {
    expect(matcher.extract('主办单位\t青岛市科协\t主管部门\t青岛市科技局\n联 系 人\t李四\t电话\t13800138000')).toEqual([
      { fieldId: 'organizer', value: '青岛市科协' },
      { fieldId: 'supervisor', value: '青岛市科技局' },
      { fieldId: 'contact', value: '李四' },
      { fieldId: 'phone', value: '13800138000' },
    ]);
  });

  it('folds numbering and the 盖章 note in table cells', () => {
    expect(matcher.extract('主办单位（盖章）\t青岛市科协\t1.项目名称\tX')).toEqual([
      { fieldId: 'organizer', value: '青岛市科协' },
      { fieldId: 'projectName', value: 'X' },
    ]);
  });

  it('keeps an empty cell as an empty value', () => {
    expect(matcher.extract('传真\t\t地址\t香港中路')).toEqual([
      { fieldId: 'fax', value: '' },
      { fieldId: 'address', value: '香港中路' },
    ]);
  });

  it('does not take a label as the value of another label', () => {
    expect(matcher.extract('联系人\t地址\t香港中路')).toEqual([{ fieldId: 'address', value: '香港中路' }]);
  });

  it('skips cells that are no label', () => {
    expect(matcher.extract('备注\t无\t传真\t0532-85911894')).toEqual([{ fieldId: 'fax', value: '0532-85911894' }]);
  });
});

describe('robustness', () => {
  it('never throws and only returns known fields', () => {
    const known = new Set(LABELS.values());
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        for (const pair of matcher.extract(text)) expect(known.has(pair.fieldId)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('works with no labels at all', () => {
    expect(createPasteMatcher(new Map(), () => false).extract('项目名称：X')).toEqual([]);
  });
});
