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
  // A contact line with a name and a number fills 联系人 and 联系电话.
  pasteSplits: [{ labels: ['联系人及联系方式', '联系人及电话', '联系人及联系电话', 'Contact', 'Contact details'], name: 'contactPerson', phone: 'phone' }],
  fields: [
    choiceField('district', { column: '区市', aliases: ['所属区市', '区（市）', '区市（功能区）', 'District'], options: districtOptions }),
    textField('projectName', { column: '项目名称', aliases: ['Project', 'Project title', 'Title'], maxLength: 100 }),
    textField('organizer', { column: '主办单位', aliases: ['主办', 'Organizer', 'Organiser', 'Organizers', 'Organisers', 'Host', 'Hosted by'], maxLength: 100 }),
    textField('supervisor', { column: '主管部门', aliases: ['主管单位', 'Supervisor', 'Supervising department', 'Department in charge'], maxLength: 100 }),
    textField('venue', { column: '举办地点', aliases: ['地点', '活动地点', 'Venue', 'Location', 'Place'], maxLength: 200 }),
    dateRangeField('period', {
      column: '举办时间',
      aliases: ['时间', '活动时间', '日期', '举办日期', 'Date', 'Dates', 'Time', 'Period', 'When'],
      warn: outsideWeek,
    }),
    textField('projectLead', { column: '项目负责人', aliases: ['负责人', 'Project leader', 'Project lead', 'Leader', 'Person in charge'], maxLength: 50 }),
    textField('contactPerson', { column: '联系人', aliases: ['联系人姓名', 'Contact name'], maxLength: 50 }),
    textField('address', { column: '地址', aliases: ['通讯地址', '联系地址', 'Address', 'Mailing address', 'Postal address'], maxLength: 200 }),
    postalCodeField('postalCode', { column: '邮政编码', aliases: ['邮编', 'Postcode', 'Post code', 'Zip', 'Zip code'] }),
    phoneField('phone', { column: '联系电话', aliases: ['电话', '手机', 'Phone', 'Tel', 'Telephone', 'Mobile'], defaultAreaCode: AREA_CODE }),
    phoneField('fax', { column: '传真', aliases: ['传真号码', 'Fax', 'Fax number'], optional: true, defaultAreaCode: AREA_CODE }),
    emailField('email', { column: '电子邮箱', aliases: ['邮箱', '电邮', 'E-mail', 'Email', 'Mail', 'E-mail address'] }),
    moneyField('budget', { column: '活动经费', aliases: ['经费', 'Budget', 'Funding', 'Funds', 'Cost'], max: 1_000_000_000 }),
    integerField('attendance', { column: '拟参加人数', aliases: ['参加人数', '人数', '预计参加人数', 'Participants', 'Attendance', 'Expected attendance', 'Number of participants'], min: 1, max: 1_000_000 }),
    longTextField('summary', {
      column: '项目简介',
      aliases: ['简介', '项目简介（主要活动内容、方式、参加人员、宣传方式）', 'Summary', 'Description', 'Introduction'],
      minLength: 20,
      maxLength: 2000,
    }),
  ],
});
