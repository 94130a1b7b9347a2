/**
 * The facts an answer about each part of the notice must contain, in both languages, written out
 * by hand from the notice (not read from data/event.json, so a wrong data file fails the test).
 */

/** A part of the notice that questions ask about. */
export type Subject =
  | 'week'
  | 'theme'
  | 'organisers'
  | 'addressees'
  | 'basis'
  | 'purpose'
  | 'overview'
  | 'contents'
  | 'party'
  | 'scientists'
  | 'youth'
  | 'service'
  | 'hydrogen'
  | 'activities'
  | 'launch'
  | 'sub-venues'
  | 'open-institutions'
  | 'envoys'
  | 'deadlines'
  | 'forms'
  | 'exhibitor-form'
  | 'key-project-form'
  | 'open-institutions-form'
  | 'submit'
  | 'summary'
  | 'video'
  | 'logo'
  | 'epidemic'
  | 'safety'
  | 'publicity'
  | 'organisation'
  | 'requirements'
  | 'contact'
  | 'phone'
  | 'email'
  | 'address'
  | 'file-here'
  | 'help'
  | 'postcode-field'
  | 'supervisor-field'
  | 'organizer-field'
  | 'fax-field'
  | 'budget-field'
  | 'phone-field'
  | 'attendance-field'
  | 'project-summary-field'
  | 'photos-field'
  | 'district-contact-field'
  | 'filer-field'
  | 'open-time-field'
  | 'channel'
  | 'paper'
  | 'nothing'
  | 'email-field'
  | 'address-field'
  | 'report-field'
  | 'video-field';

/** Facts per subject: `zh` for answers in Chinese, `en` for answers in English. */
export const FACTS: Record<Subject, { zh: string[]; en: string[] }> = {
  week: { zh: ['5月22日', '5月28日'], en: ['22 May', '28 May'] },
  theme: { zh: ['百年回望：中国共产党领导科技发展'], en: ['A Century in Retrospect'] },
  organisers: {
    zh: ['市科技局', '中共青岛市委宣传部', '市科协'],
    en: ['Science and Technology Bureau', 'Publicity Department', 'Association for Science and Technology'],
  },
  addressees: { zh: ['科技主管部门', '市直有关部门'], en: ['municipal departments'] },
  basis: { zh: ['国科发智〔2021〕77号', '鲁科字〔2021〕29号'], en: ['国科发智〔2021〕77号', '鲁科字〔2021〕29号', 'Ministry of Science and Technology'] },
  purpose: { zh: ['建党100周年'], en: ['centenary'] },
  overview: { zh: ['5月22日', '百年回望'], en: ['22 May', 'A Century in Retrospect'] },
  contents: { zh: ['党对科技全面领导', '科学家精神', '青少年科技创新活动', '科技为民服务', '氢进万家'], en: ['spirit of scientists', 'young people', 'Hydrogen'] },
  party: { zh: ['党对科技全面领导', '科技自立自强'], en: ['leadership', 'self-reliance'] },
  scientists: { zh: ['科学家精神', '胸怀祖国'], en: ['spirit of scientists', 'motherland'] },
  youth: { zh: ['青少年', '好奇心'], en: ['young people', 'curiosity'] },
  service: { zh: ['科技下乡', '科普进校园'], en: ['countryside', 'serve the people'] },
  hydrogen: { zh: ['氢进万家', '碳达峰'], en: ['Hydrogen into Ten Thousand Homes', 'carbon'] },
  activities: { zh: ['启动式', '科技节', '向社会开放', '科学使者进社区'], en: ['Launch ceremony', 'open to the public', 'Science envoys'] },
  launch: { zh: ['启动式', '市委、市政府', '附件1'], en: ['launch ceremony', 'Attachment 1'] },
  'sub-venues': { zh: ['科技节', '区（市、功能区）'], en: ['Science and Technology Festival'] },
  'open-institutions': { zh: ['科研机构、大学向社会开放', '附件3'], en: ['open to the public', 'Attachment 3'] },
  envoys: { zh: ['科学使者进社区', '农村、企业、学校'], en: ['Science envoys', 'villages, enterprises, schools'] },
  deadlines: { zh: ['4月30日', '6月10日'], en: ['30 April', '10 June'] },
  forms: { zh: ['附件1', '附件2', '附件3', '4月30日'], en: ['Attachment 1', 'Attachment 2', 'Attachment 3', '30 April'] },
  'exhibitor-form': { zh: ['参展单位', '相关展品照片', '4月30日'], en: ['Exhibiting organisation', 'Photos of the exhibits', '30 April'] },
  'key-project-form': { zh: ['项目名称', '拟参加人数', '活动经费', '4月30日'], en: ['Project name', 'Budget', '30 April'] },
  'open-institutions-form': { zh: ['单位名称', '开放时间', '具体地址', '4月30日'], en: ['Institution name', 'Opening times', '30 April'] },
  submit: { zh: ['kjjrencaichu@qd.shandong.cn', '4月30日'], en: ['kjjrencaichu@qd.shandong.cn', '30 April'] },
  summary: { zh: ['总结报告', '6月10日', '3分钟'], en: ['summary report', '10 June', '3 minutes'] },
  video: { zh: ['3分钟', '6月10日'], en: ['3 minutes', '10 June'] },
  logo: { zh: ['统一标识', '附件4'], en: ['unified logo', 'Attachment 4'] },
  epidemic: { zh: ['联防联控', '合理确定举办方式'], en: ['joint prevention and control'] },
  safety: { zh: ['安全保卫方案', '应急预案'], en: ['security plan', 'emergency plan'] },
  publicity: { zh: ['主流媒体', '微视频'], en: ['new media', 'micro-videos'] },
  organisation: { zh: ['联席会议'], en: ['joint-meeting'] },
  requirements: { zh: ['高度重视，精心组织', '周密安排，确保安全', '认真总结，及时反馈'], en: ['Plan thoroughly and ensure safety', 'Work together and strengthen publicity'] },
  contact: { zh: ['尚岩', '85911893'], en: ['Shang Yan', '85911893'] },
  phone: { zh: ['0532-85911893'], en: ['0532-85911893'] },
  email: { zh: ['kjjrencaichu@qd.shandong.cn'], en: ['kjjrencaichu@qd.shandong.cn'] },
  address: { zh: ['青岛市香港中路11号'], en: ['No. 11 Hong Kong Middle Road'] },
  'file-here': { zh: ['/file key-project'], en: ['/file key-project'] },
  help: { zh: ['我可以回答'], en: ['I can answer'] },
  'postcode-field': { zh: ['邮政编码', '6 位数字'], en: ['Postal code', '6 digits'] },
  'supervisor-field': { zh: ['主管部门', '上级主管部门'], en: ['Supervising department', 'supervising authority'] },
  'organizer-field': { zh: ['主办单位', '全称'], en: ['Organiser', 'full name'] },
  'fax-field': { zh: ['传真', '跳过'], en: ['Fax', 'skip'] },
  'budget-field': { zh: ['活动经费', '5万元'], en: ['Budget', 'yuan'] },
  'phone-field': { zh: ['联系电话', '区号'], en: ['Telephone', 'area code'] },
  'attendance-field': { zh: ['拟参加人数', '300'], en: ['Expected participants', '300'] },
  'project-summary-field': { zh: ['项目简介', '20–2000', '宣传方式'], en: ['Project summary', '20-2000', 'publicity'] },
  'photos-field': { zh: ['相关展品照片', '1–9', '20 MB'], en: ['Photos of the exhibits', '1-9', '20 MB'] },
  'district-contact-field': { zh: ['区市联系人'], en: ['District contact person'] },
  'filer-field': { zh: ['填报单位', '盖章'], en: ['Filing organisation', 'seal'] },
  'open-time-field': { zh: ['开放时间', '5月22日'], en: ['Open on', '22 May'] },
  channel: { zh: ['在这里填报就是报送', '/file key-project'], en: ['Filing here is the submission', '/file key-project'] },
  paper: { zh: ['纸质版', '4月30日', '6月10日', '85911893'], en: ['paper copy', '30 April', '10 June', '85911893'] },
  nothing: { zh: ['/none exhibitor', '无需报送'], en: ['/none exhibitor', 'nothing to file'] },
  'email-field': { zh: ['电子邮箱', 'zhangsan@example.com'], en: ['E-mail', 'zhangsan@example.com'] },
  'address-field': { zh: ['通讯地址', '门牌号'], en: ['Postal address', 'street number'] },
  'report-field': { zh: ['总结报告', 'DOCX', '20 MB', '6月10日'], en: ['Summary report', 'DOCX', '20 MB', '10 June'] },
  'video-field': { zh: ['影像资料', '3 分钟'], en: ['Video', '3 minutes'] },
};
