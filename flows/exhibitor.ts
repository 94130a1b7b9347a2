/**
 * 附件1 2021青岛市科技活动周启动式参展信息表 — launch-ceremony exhibitors: the official five items, with
 * 联系人及联系方式 taken as a name and a number, and 1–9 photos of the exhibits.
 */
import { filesField } from '../src/flow/attachments.js';
import { defineFlow } from '../src/flow/define.js';
import { choiceField, longTextField, phoneField, textField } from '../src/flow/fields.js';
import { districtOptions } from './districts.js';

/** Qingdao's telephone area code: a bare eight-digit number is read as a Qingdao landline. */
const AREA_CODE = '0532';
const MB = 1024 * 1024;

/** The exhibitor form. */
export const exhibitorFlow = defineFlow({
  id: 'exhibitor',
  version: 1,
  receiptPrefix: 'EX',
  titleField: 'exhibitor',
  districtField: 'district',
  // The official form asks 联系人及联系方式 in one line: 张三 13812345678 fills both fields.
  pasteSplits: [
    {
      labels: ['联系人及联系方式', '联系人及电话', '联系人和联系方式', '联系人及联系电话', 'Contact', 'Contact details', 'Contact person and phone'],
      name: 'contactPerson',
      phone: 'contactPhone',
    },
    {
      labels: ['区市联系人及联系方式', '区市联系人及电话', '区市联系人和联系方式', '区市联系人及联系电话', 'District contact', 'District contact details'],
      name: 'districtContact',
      phone: 'districtContactPhone',
    },
  ],
  fields: [
    choiceField('district', { column: '区市', aliases: ['所属区市', '区（市）', '区市（功能区）', 'District'], options: districtOptions }),
    textField('exhibitor', { column: '参展单位', aliases: ['参展单位名称', 'Exhibitor', 'Exhibiting organisation', 'Exhibiting organization'], maxLength: 100 }),
    textField('contactPerson', { column: '联系人', aliases: ['联系人姓名', 'Contact name'], maxLength: 50 }),
    phoneField('contactPhone', { column: '联系方式', aliases: ['联系电话', '电话', '手机', 'Phone', 'Tel', 'Telephone', 'Mobile'], defaultAreaCode: AREA_CODE }),
    longTextField('description', { column: '参展内容简介', aliases: ['内容简介', '简介', '参展内容', 'Description', 'Summary', 'Exhibits'], minLength: 20, maxLength: 1000 }),
    textField('districtContact', { column: '区市联系人', aliases: ['区市联系人姓名', 'District contact name'], maxLength: 50 }),
    phoneField('districtContactPhone', { column: '区市联系人联系方式', aliases: ['区市联系电话', '区市联系方式', '区市联系人电话', 'District phone', 'District contact tel'], defaultAreaCode: AREA_CODE }),
    filesField('photos', {
      column: '相关展品照片',
      aliases: ['展品照片', '照片', 'Photos', 'Photo'],
      rules: {
        kinds: ['photo'],
        documentTypes: {
          mimes: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'],
          extensions: ['jpg', 'jpeg', 'png', 'webp', 'heic', 'heif'],
        },
        // The Bot API lets a bot download files up to 20 MB.
        maxSizeBytes: 20 * MB,
        minCount: 1,
        maxCount: 9,
      },
    }),
  ],
});
