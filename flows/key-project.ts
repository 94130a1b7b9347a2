/**
 * 附件2 2021年科技活动周重点项目备案表 — the key-project registration form, field by field in the
 * official table's order, plus the filer's district (asked once, then remembered).
 */
import { defineFlow } from '../src/flow/define.js';
import {
  choiceField,
  dateRangeField,
  emailField,
  integerField,
  longTextField,
  moneyField,
  phoneField,
  postalCodeField,
  textField,
} from '../src/flow/fields.js';
import { districtOptions } from './districts.js';
import { outsideWeek } from './week.js';

/** Qingdao's telephone area code: a bare eight-digit number is read as a Qingdao landline. */
const AREA_CODE = '0532';

/** The key-project form. */
export const keyProjectFlow = defineFlow({
  id: 'key-project',
  version: 1,
  receiptPrefix: 'KP',
  titleField: 'projectName',
  districtField: 'district',
  fields: [
    choiceField('district', { column: '区市', aliases: ['所属区市', '区（市）', 'District'], options: districtOptions }),
    textField('projectName', { column: '项目名称', maxLength: 100 }),
    textField('organizer', { column: '主办单位', maxLength: 100 }),
    textField('supervisor', { column: '主管部门', maxLength: 100 }),
    textField('venue', { column: '举办地点', aliases: ['地点'], maxLength: 200 }),
    dateRangeField('period', {
      column: '举办时间',
      aliases: ['时间', '活动时间'],
      warn: outsideWeek,
    }),
    textField('projectLead', { column: '项目负责人', aliases: ['负责人'], maxLength: 50 }),
    textField('contactPerson', { column: '联系人', maxLength: 50 }),
    textField('address', { column: '地址', aliases: ['通讯地址'], maxLength: 200 }),
    postalCodeField('postalCode', { column: '邮政编码', aliases: ['邮编'] }),
    phoneField('phone', { column: '联系电话', aliases: ['电话'], defaultAreaCode: AREA_CODE }),
    phoneField('fax', { column: '传真', optional: true, defaultAreaCode: AREA_CODE }),
    emailField('email', { column: '电子邮箱', aliases: ['邮箱', 'E-mail', 'Email'] }),
    moneyField('budget', { column: '活动经费', aliases: ['经费'], max: 1_000_000_000 }),
    integerField('attendance', { column: '拟参加人数', aliases: ['参加人数', '人数'], min: 1, max: 1_000_000 }),
    longTextField('summary', {
      column: '项目简介',
      aliases: ['简介', '项目简介（主要活动内容、方式、参加人员、宣传方式）'],
      minLength: 20,
      maxLength: 2000,
    }),
  ],
});
