/**
 * The key-project form (附件2) filed end to end through the real console chat, as a child process
 * with piped stdin, on the embedded store in a temporary DATA_DIR.
 */
import { describe, expect, it } from 'vitest';
import { dataDirsPerTest, runConsoleScript, spawnConsole } from '../support/console-process.js';

const SUMMARY = '活动面向青少年开放，内容包括海洋科普展览、科学家讲座和互动实验；参加人员为中小学生及家长；通过报纸、公众号和短视频宣传。';

/** A conversation with the messy input people really type. */
const MESSY_FILING = [
  '/file key-project',
  '市南',
  '青岛海洋科普嘉年华',
  '青岛市科学技术协会',
  '青岛市科学技术局',
  '青岛市市南区五四广场',
  '5月22日-28日',
  '张三',
  '李四',
  '青岛市香港中路１１号',
  '２６６０７１',
  '(0532)85911893',
  '138 0013 8000',
  'kp@example.cn',
  '5万元',
  '约300人',
  SUMMARY,
  '提交',
];

const dataDir = dataDirsPerTest();

describe('console chat: key project', () => {
  it('files a key project from messy input, prints a receipt, and a second process lists it', async () => {
    const dir = dataDir();
    const first = await runConsoleScript({ dataDir: dir, user: 'u1' }, MESSY_FILING);
    expect(first.code).toBe(0);
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(first.stdout)?.[1];
    expect(receipt, first.stdout + first.stderr).toBeDefined();
    // The summary shows the normalised values before submit.
    expect(first.stdout).toContain('0532-85911893');
    expect(first.stdout).toContain('13800138000');
    expect(first.stdout).toContain('266071');
    expect(first.stdout).toContain('50000元');
    expect(first.stdout).toContain('300');
    expect(first.stdout).toContain('2021年5月22日至5月28日');
    expect(first.stdout).toContain('市南区');

    const second = await runConsoleScript({ dataDir: dir, user: 'u1' }, ['/my']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(receipt);
    expect(second.stdout).toContain('青岛海洋科普嘉年华');

    const stranger = await runConsoleScript({ dataDir: dir, user: 'someone-else' }, ['/my']);
    expect(stranger.stdout).not.toContain(receipt);
  });

  it('prints only replies in piped mode: no banner, no prompt, exit 0 at end of input', async () => {
    const run = await runConsoleScript({ dataDir: dataDir() }, ['/help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/file');
    expect(run.stdout).not.toContain('> ');
    expect(run.stdout).not.toContain('控制台聊天');
  });

  it('offers the start menu with numbered choices, and a number picks one', async () => {
    const run = await runConsoleScript({ dataDir: dataDir() }, ['/start', '2', '2']);
    expect(run.stdout).toMatch(/1\) 问问题[\s\S]*2\) 填报表格/);
    expect(run.stdout).toContain('请选择要填报的表格');
    expect(run.stdout).toMatch(/1\) 附件1 启动式参展信息表[\s\S]*2\) 附件2 重点项目备案表/);
    expect(run.stdout).toContain('开始填写《2021年科技活动周重点项目备案表》');
  });

  it('speaks English when asked to', async () => {
    const run = await runConsoleScript({ dataDir: dataDir(), lang: 'en' }, ['/file key-project', 'Shinan']);
    expect(run.stdout).toContain('key-project registration form');
    expect(run.stdout).toContain('Project name');
  });

  it('resumes a draft at the same field after SIGKILL', async () => {
    const dir = dataDir();
    const chat = spawnConsole({ dataDir: dir, user: 'u2' });
    for (const line of MESSY_FILING.slice(0, 6)) chat.send(line);
    // The reply to the venue is the question for 举办时间: it is printed only after the save.
    await chat.waitFor(/（6\/16）\s*举办时间/);
    chat.child.kill('SIGKILL');
    const killed = await chat.done;
    expect(killed.signal).toBe('SIGKILL');

    const resumed = await runConsoleScript({ dataDir: dir, user: 'u2' }, ['/file key-project']);
    expect(resumed.stdout).toContain('继续填写');
    expect(resumed.stdout).toMatch(/（6\/16）\s*举办时间/);

    // The next answer goes straight into that field and the rest of the draft is still there.
    const rest = await runConsoleScript({ dataDir: dir, user: 'u2' }, MESSY_FILING.slice(6));
    expect(rest.stdout).toMatch(/回执号：KP-/);
    expect(rest.stdout).toContain('青岛海洋科普嘉年华');
  });
});
