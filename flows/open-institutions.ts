/**
 * 附件3 2021年参与开放活动的科研机构和大学备案表 — 填报单位（盖章）, then one row per institution that
 * opens to the public: 单位名称, 开放时间, 开放内容, 具体地址, 联系人, 联系方式 (1 to 30 rows).
 */
import { defineFlow } from '../src/flow/define.js';
import { choiceField, dateRangeField, phoneField, textField } from '../src/flow/fields.js';
import { repeatField } from '../src/flow/repeat.js';
import { districtOptions } from './districts.js';
import { outsideWeek } from './week.js';

/** Qingdao's telephone area code: a bare eight-digit number is read as a Qingdao landline. */
const AREA_CODE = '0532';

/** The open-day registration form. */
export const openInstitutionsFlow = defineFlow({
  id: 'open-institutions',
  version: 1,
  receiptPrefix: 'OI',
  titleField: 'filer',
  districtField: 'district',
  fields: [
    choiceField('district', { column: '区市', aliases: ['所属区市', '区（市）', '区市（功能区）', 'District'], options: districtOptions }),
    textField('filer', { column: '填报单位', aliases: ['填报单位（盖章）', 'Filing organization', 'Filer', 'Filed by'], maxLength: 100 }),
    repeatField('institutions', {
      column: '开放单位',
      aliases: ['开放单位名单', 'Institutions'],
      minRows: 1,
      maxRows: 30,
      rowFields: [
        textField('unitName', { column: '单位名称', aliases: ['Institution', 'Name'], maxLength: 100 }),
        dateRangeField('openTime', { column: '开放时间', aliases: ['Open time', 'Opening time', 'Opening hours', 'Dates'], warn: outsideWeek }),
        textField('openContent', { column: '开放内容', aliases: ['Content', 'Activities'], maxLength: 500 }),
        textField('address', { column: '具体地址', aliases: ['地址', 'Address'], maxLength: 200 }),
        textField('contactPerson', { column: '联系人', aliases: ['Contact', 'Contact person'], maxLength: 50 }),
        phoneField('contactPhone', { column: '联系方式', aliases: ['联系电话', '电话', 'Phone', 'Tel'], defaultAreaCode: AREA_CODE }),
      ],
    }),
  ],
});
