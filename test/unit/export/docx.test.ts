import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { exportFilings } from '../../../src/export/index.js';
import type { Filing } from '../../../src/domain/filing.js';
import { allFlows, event, exhibitorFiling, exportContext, keyProjectFiling, openInstitutionsFiling, summaryReportFiling } from '../../support/sample-filings.js';

async function docxText(filings: readonly Filing[], formId?: string): Promise<string> {
  const file = await exportFilings({
    format: 'docx',
    ...(formId === undefined ? {} : { formId }),
    event,
    flows: allFlows,
    filings,
    declarations: [],
    fieldContext: exportContext(),
  });
  expect(file.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(file.data) });
  return value;
}

/** Asserts the pieces appear in this order in the text. */
function expectInOrder(text: string, pieces: readonly string[]): void {
  let at = 0;
  for (const piece of pieces) {
    const found = text.indexOf(piece, at);
    expect(found, `"${piece}" after position ${at}`).toBeGreaterThanOrEqual(0);
    at = found + piece.length;
  }
}

describe('DOCX export', () => {
  it('lays 附件2 out as the official label/value grid', async () => {
    const kp = keyProjectFiling();
    const text = await docxText([kp], 'key-project');
    expectInOrder(text, [
      '附件2', '2021年科技活动周重点项目备案表',
      '项目名称', '“百年回望”科技成就展',
      '主办单位', '市南区科学技术局', '主管部门', '市南区人民政府',
      '举办地点', '青岛市科技馆一楼展厅', '举办时间', '2021年5月22日至5月28日',
      '项目负责人', '李建国', '联系人', '张丽',
      '地址', '青岛市市南区香港中路11号', '邮政编码', '266071',
      '联系电话', '0532-85911893', '传真', '0532-85911894',
      '电子邮箱', 'kjj@shinan.example.cn', '活动经费', '55000.5元',
      '拟参加人数', '300',
      '项目简介', '以图片、实物和互动体验', '邀请中小学生',
      `回执号：${kp.receipt}`, '区市：市南区', '提交人：王小明', '提交时间：2021-04-21 14:45',
    ]);
  });

  it('writes 附件3 as 填报单位（盖章） above the six-column table', async () => {
    const text = await docxText([openInstitutionsFiling()], 'open-institutions');
    expectInOrder(text, [
      '附件3', '2021年参与开放活动的科研机构和大学备案表',
      '填报单位（盖章）：', '黄岛区科学技术局',
      '单位名称', '开放时间', '开放内容', '具体地址', '联系人', '联系方式',
      '中国石油大学（华东）', '2021年5月22日至5月23日', '重质油国家重点实验室，"油气"科普展', '青岛市黄岛区长江西路66号', '赵敏', '0532-86981234',
      '山东科技大学', '2021年5月25日', '矿山灾害预防控制实验室', '地质标本馆', '青岛市黄岛区前湾港路579号', '孙强', '13912345678',
      '青岛海洋地质研究所',
    ]);
  });

  it('writes 附件1 as its five numbered items and the summary report as label/value lines, a page each', async () => {
    const text = await docxText([exhibitorFiling(), keyProjectFiling(), summaryReportFiling()]);
    expectInOrder(text, [
      '附件1', '2021青岛市科技活动周启动式参展信息表',
      '1.参展单位：', '崂山区氢能产业示范中心',
      '2.联系人及联系方式：', '陈静 13800138000',
      '3.参展内容简介：', '氢进万家',
      '4.区市联系人及联系方式：', '刘洋 0532-88996677',
      '5.相关展品照片：', '氢能汽车.jpg、热电联供, 样机.png',
      '2021年科技活动周重点项目备案表', '项目名称',
      '总结报告和影像资料',
      '区市：', '即墨区', '总结报告：', '即墨区2021年科技活动周总结报告.docx', '影像资料：', '即墨区科技周.mp4', '简要总结：', '即墨区共举办科普活动12场',
    ]);
  });

  it('still writes a titled page when there is nothing to export', async () => {
    const text = await docxText([], 'exhibitor');
    expect(text).toContain('2021青岛市科技活动周启动式参展信息表');
    expect(text).toContain('暂无填报');
  });
});
