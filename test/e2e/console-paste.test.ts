/**
 * Paste-all-at-once through the real console chat (a child process with piped stdin): one message
 * with every field of 附件2 goes straight to the summary, 修改 3 changes one value, and 提交 files it.
 * In piped mode a literal `\n` inside a line stands for a line break.
 */
import { describe, expect, it } from 'vitest';
import { dataDirsPerTest, runConsoleScript } from '../support/console-process.js';

const PASTED_LINES = [
  '所属区市：市南区',
  '项目名称：青岛海洋科普嘉年华',
  '主办单位：青岛市科学技术协会',
  '主管部门：青岛市科学技术局',
  '举办地点：青岛市市南区五四广场',
  '举办时间：5月22日-28日',
  '项目负责人：张三',
  '联 系 人：李四',
  '地    址：青岛市香港中路11号',
  '邮政编码：266071',
  '联系电话：0532-85911893',
  '传    真：0532-85911894',
  '电子邮箱：kp@example.cn',
  '活动经费：5万元',
  '拟参加人数：约300人',
  '项目简介：活动面向青少年开放，内容包括海洋科普展览、科学家讲座和互动实验。',
  '参加人员为中小学生及家长。',
  '通过报纸、公众号和短视频宣传。',
];

/** The whole paste as one console line: `\n` (backslash, n) is a line break in piped mode. */
const PASTE = PASTED_LINES.join('\\n');

const dataDir = dataDirsPerTest();

describe('console chat: paste the whole key-project form', () => {
  it('goes from one pasted message to the summary, edits item 3 and submits', async () => {
    const dir = dataDir();
    const run = await runConsoleScript({ dataDir: dir, user: 'paster' }, ['/file key-project', PASTE, '修改 3', '青岛市科协', '提交']);
    const out = run.stdout;
    expect(run.code, run.stderr).toBe(0);

    // The first reply asks the first field; after the paste comes the summary, no field in between.
    const firstQuestion = out.indexOf('（1/16） 所属区市');
    const filled = out.indexOf('已从粘贴内容中识别 16 项。');
    const summary = out.indexOf('请核对附件2 重点项目备案表：');
    expect(firstQuestion, out).toBeGreaterThanOrEqual(0);
    expect(filled, out).toBeGreaterThan(firstQuestion);
    expect(summary, out).toBeGreaterThan(filled);
    expect(out.slice(filled, summary)).not.toMatch(/（\d+\/16）/);
    expect(out.slice(filled, summary)).not.toContain('✗');
    expect(out.match(/（\d+\/16）/g)).toEqual(['（1/16）', '（3/16）']);

    // Every value made it, normalised.
    const firstSummary = out.slice(summary, out.indexOf('（3/16）'));
    for (const line of [
      '1. 所属区市：市南区',
      '2. 项目名称：青岛海洋科普嘉年华',
      '3. 主办单位：青岛市科学技术协会',
      '4. 主管部门：青岛市科学技术局',
      '5. 举办地点：青岛市市南区五四广场',
      '6. 举办时间：2021年5月22日至5月28日',
      '7. 项目负责人：张三',
      '8. 联系人：李四',
      '9. 地址：青岛市香港中路11号',
      '10. 邮政编码：266071',
      '11. 联系电话：0532-85911893',
      '12. 传真：0532-85911894',
      '13. 电子邮箱：kp@example.cn',
      '14. 活动经费：50000元',
      '15. 拟参加人数：300',
      '16. 项目简介：活动面向青少年开放，内容包括海洋科普展览、科学家讲座和互动实验。',
    ]) {
      expect(firstSummary).toContain(line);
    }
    expect(firstSummary).toContain('参加人员为中小学生及家长。');
    expect(firstSummary).toContain('通过报纸、公众号和短视频宣传。');

    // 修改 3 asks 主办单位 with its current value; the answer shows the summary again.
    const asked = out.indexOf('（3/16） 主办单位');
    expect(asked).toBeGreaterThan(summary);
    const second = out.indexOf('请核对附件2 重点项目备案表：', asked);
    expect(out.slice(asked, second)).toContain('当前内容：青岛市科学技术协会');
    expect(second).toBeGreaterThan(asked);
    const secondSummary = out.slice(second);
    expect(secondSummary).toContain('3. 主办单位：青岛市科协');
    expect(secondSummary).toContain('4. 主管部门：青岛市科学技术局');

    // 提交 files it and prints the receipt.
    expect(secondSummary).toMatch(/回执号：KP-[0-9A-Z]{10}/);
    expect(out).toContain('附件2 重点项目备案表已提交！');
  });

  it('the filing is there for the same user in a second process', async () => {
    const dir = dataDir();
    const first = await runConsoleScript({ dataDir: dir, user: 'paster' }, ['/file key-project', PASTE, '提交']);
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(first.stdout)?.[1];
    expect(receipt, first.stdout + first.stderr).toBeDefined();
    const listed = await runConsoleScript({ dataDir: dir, user: 'paster' }, ['/my']);
    expect(listed.stdout).toContain(receipt);
    expect(listed.stdout).toContain('青岛海洋科普嘉年华');
  });
});
