/**
 * Pastes through the real engine (SQLite store), as copied out of the official Word forms: 附件1's
 * own labels with its combined 联系人及联系方式 line, English labels and their variants, 无 / N/A / -
 * as an empty optional field (and as a missing required one), 附件3 rows with a bad cell kept, and
 * every line a paste did not use listed in the reply. In zh-CN and en.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, sessionOf, translate, type Harness } from '../../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');
let open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.cleanup()));
  open = [];
});

function harness(): Harness {
  const h = createHarness();
  open.push(h);
  return h;
}

async function values(h: Harness): Promise<Record<string, unknown>> {
  return (await sessionOf(h))?.flow?.values ?? {};
}

/** 附件1 as a contact person copies it out of Word: title, blank lines, full-width spaces, a note. */
const EXHIBITOR_PASTE = [
  '2021青岛市科技活动周启动式参展信息表',
  '',
  '所属区市：崂山区',
  '1.参展单位：  青岛海洋科学与技术试点国家实验室 ',
  '2.联系人及联系方式：张三　138 1234 5678',
  '',
  '3.参展内容简介：深海探测装备模型展示，包括“蛟龙号”模型、水下机器人互动体验和海洋科普讲解。',
  '4.区市联系人及联系方式：李四，0532-88996677',
  '备注：展位需要一个电源插座，另外请提前一天通知布展时间，我们需要安排车辆运送展品和模型，谢谢配合',
].join('\n');

describe('paste: 附件1 labels, the combined contact lines, lines not used', () => {
  it('zh-CN: splits 联系人及联系方式 and 区市联系人及联系方式 into name and phone, and lists the two unused lines', async () => {
    const h = harness();
    await h.say('/file exhibitor');
    const turn = await h.say(EXHIBITOR_PASTE);
    expect(await values(h)).toEqual({
      district: 'laoshan',
      exhibitor: '青岛海洋科学与技术试点国家实验室',
      contactPerson: '张三',
      contactPhone: '13812345678',
      description: '深海探测装备模型展示，包括“蛟龙号”模型、水下机器人互动体验和海洋科普讲解。',
      districtContact: '李四',
      districtContactPhone: '0532-88996677',
    });
    expect(turn.text).toContain(zh('flow.paste_filled', { count: 7 }));
    expect(turn.text).not.toContain('✗');
    expect(turn.text).toContain(zh('flow.paste_unused', { count: 2 }));
    expect(turn.text).toContain('「2021青岛市科技活动周启动式参展信息表」');
    // Long lines are shortened, never dropped.
    expect(turn.text).toContain('「备注：展位需要一个电源插座，另外请提前一天通知布展时间，我们需要安排车辆运送展品…」');
    // Next comes the only field left: the photos.
    expect(turn.text).toContain(zh('flows.exhibitor.fields.photos.label'));
  });

  it('en: the same paste with English labels (Contact, District contact, Phone) is understood and answered in English', async () => {
    const h = harness();
    await h.say('/lang en');
    await h.say('/file exhibitor');
    const turn = await h.say(
      [
        'District:\tLaoshan',
        'Exhibitor: Qingdao Marine Science and Technology Center',
        'Contact: Zhang San 13812345678',
        'Description: Models of deep-sea submersibles and an underwater robot that visitors can steer.',
        'District contact:   Li Si / 0532-88996677',
        'Please reply by Friday, thanks a lot for your help with the exhibition',
      ].join('\n'),
    );
    const got = await values(h);
    expect(got['contactPerson']).toBe('Zhang San');
    expect(got['contactPhone']).toBe('13812345678');
    expect(got['districtContact']).toBe('Li Si');
    expect(got['districtContactPhone']).toBe('0532-88996677');
    expect(got['district']).toBe('laoshan');
    expect(turn.text).toContain(en('flow.paste_filled', { count: 7 }));
    expect(turn.text).toContain(en('flow.paste_unused', { count: 1 }));
    expect(turn.text).toContain('"Please reply by Friday, thanks a lot for…"');
  });
});

describe('paste: English labels and 无 / N/A on the key-project form', () => {
  it('en: Organizer, Dates, Phone, Postcode, Summary … fill all 16 fields, Fax: N/A leaves fax empty', async () => {
    const h = harness();
    await h.say('/lang en');
    await h.say('/file key-project');
    const turn = await h.say(
      [
        'District: Laoshan',
        'Project name:  Ocean Science Fair',
        'Organizer: Qingdao Association for Science and Technology',
        'Supervising department: Qingdao Science and Technology Bureau',
        'Venue: May Fourth Square',
        'Dates: 22-28 May',
        'Project leader: Zhang San',
        'Contact: Li Si',
        'Address: 11 Hong Kong Middle Road, Qingdao',
        'Postcode: 266071',
        'Phone: 0532-85911893',
        'Fax: N/A',
        'Email: kp@example.cn',
        'Budget: 50000',
        'Participants: 300',
        'Summary: The fair opens to young people with ocean science exhibitions, talks by scientists and hands-on experiments.',
      ].join('\n'),
    );
    const got = await values(h);
    expect(got['organizer']).toBe('Qingdao Association for Science and Technology');
    expect(got['period']).toMatchObject({ start: '2021-05-22', end: '2021-05-28' });
    expect(got['postalCode']).toBe('266071');
    expect(got['phone']).toBe('0532-85911893');
    expect(got['fax']).toBeNull();
    expect(got['contactPerson']).toBe('Li Si');
    expect(got['summary']).toMatch(/^The fair opens/);
    expect(Object.keys(got)).toHaveLength(16);
    expect(turn.text).toContain(en('flow.paste_filled', { count: 16 }));
    expect(turn.text).not.toContain('✗');
    expect(turn.text).not.toContain(en('flow.paste_unused', { count: 1 }).slice(0, 8));
    expect((await sessionOf(h))?.flow?.cursor).toEqual({ kind: 'summary' });
  });

  it('zh-CN: 传真：无 is empty like 无 typed at the fax step; 主管部门：无 (required) is asked again; 联系人及联系方式 fills 联系人 and 联系电话', async () => {
    const h = harness();
    await h.say('/file key-project');
    const turn = await h.say(
      [
        '项目名称：\t青岛海洋科普嘉年华',
        '主办单位 ：青岛市科学技术协会',
        '主管部门：无',
        '联系人及联系方式：李四  0532-85911893',
        '传    真：无',
        '电子邮箱：—',
      ].join('\n'),
    );
    const got = await values(h);
    expect(got['fax']).toBeNull();
    expect(got['contactPerson']).toBe('李四');
    expect(got['phone']).toBe('0532-85911893');
    expect(got['supervisor']).toBeUndefined();
    expect(got['email']).toBeUndefined();
    expect(turn.text).toContain(`✗ 主管部门：${zh('flow.required')}`);
    expect(turn.text).toContain(`✗ 电子邮箱：${zh('flow.required')}`);
    expect(turn.text).toContain(zh('flow.paste_filled', { count: 5 }));
    expect((await sessionOf(h))?.flow?.cursor).toEqual({ kind: 'field', fieldId: 'supervisor' });
  });

  it('zh-CN: a label cell on one line and its value on the next (a Word table pasted cell by cell) is one pair', async () => {
    const h = harness();
    await h.say('/file key-project');
    await h.say('项目名称：\n青岛海洋科普嘉年华\n主办单位：\n\n青岛市科学技术协会');
    const got = await values(h);
    expect(got['projectName']).toBe('青岛海洋科普嘉年华');
    expect(got['organizer']).toBe('青岛市科学技术协会');
  });
});

/** Two 附件3 rows copied from Word, the second with a phone number that is one digit short. */
const ROWS = ['单位名称\t开放时间\t开放内容\t具体地址\t联系人\t联系方式', '青岛海洋科学馆\t5月22日\t实验室参观\t青岛市市南区鱼山路5号\t张三\t0532-82031234', '黄海水产研究所\t5月23日-24日\t科普讲座\t青岛市市南区南京路106号\t李四\t1380013800', '（以下空白）'];

describe('paste: 附件3 rows with a bad cell', () => {
  for (const [locale, t] of [['zh-CN', zh], ['en', en]] as const) {
    it(`${locale}: keeps the row with its good cells, asks only the bad cell, and lists the line that is no row`, async () => {
      const h = harness();
      if (locale === 'en') await h.say('/lang en');
      await h.say('/file open-institutions');
      await h.say('崂山区');
      await h.say('中国海洋大学');
      const turn = await h.say(ROWS.join('\n'));
      expect(turn.text).toContain(t('flow.rows_pasted', { count: 2 }));
      expect(turn.text).toContain(t('flow.rows_cells_kept'));
      expect(turn.text).toContain(t('flow.paste_unused', { count: 1 }));
      expect(turn.text).toContain(t('flow.paste_unused_line', { text: '（以下空白）' }));
      expect(turn.text).toContain(t('flows.open-institutions.fields.institutions.contactPhone.prompt'));
      const rows = (await values(h))['institutions'] as Record<string, unknown>[];
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({ unitName: '黄海水产研究所', contactPerson: '李四', address: '青岛市市南区南京路106号' });
      expect(rows[1]?.['contactPhone']).toBeUndefined();
      const fixed = await h.say('13800138000');
      expect(fixed.text).toContain(t('flow.row_saved', { n: 2 }));
      expect(((await values(h))['institutions'] as Record<string, unknown>[])[1]?.['contactPhone']).toBe('13800138000');
    });
  }
});
