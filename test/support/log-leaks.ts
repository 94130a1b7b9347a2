/**
 * What the log tests look for: a key-project filing whose every personal value is distinctive (names,
 * a mobile, a landline, an e-mail, addresses, a project title), the people who file it on each
 * platform, tokens shaped like real ones, and checks on a process's output: no such value anywhere,
 * every line our JSON, and the SDKs' debug lines present (so the silence means something).
 */
import { expect } from 'vitest';

/** One answer per key-project field, in order (the same shapes as KEY_PROJECT_ANSWERS). */
export const PRIVATE_ANSWERS: readonly string[] = [
  '市南',
  '蔚蓝深海探秘营地',
  '青岛蓝鲸海洋研究院',
  '青岛市海洋发展局',
  '青岛市崂山区松岭路238号',
  '5月22日-28日',
  '司马青云',
  '诸葛明月',
  '青岛市市北区辽宁路176号',
  '266071',
  '13957268431',
  '0532-86729154',
  'mingyue.zhuge@bluewhale-lab.cn',
  '5万元',
  '300',
  '鲸歌夜航活动面向青少年开放，内容包括深海标本观察、科学家讲座和水下机器人操作体验。',
];

/** Fragments of those answers (and of their stored forms) that no log line may hold. */
export const PRIVATE_FRAGMENTS: readonly string[] = [
  '蔚蓝深海', '蓝鲸海洋', '海洋发展局', '松岭路', '司马青云', '诸葛明月', '辽宁路',
  '13957268431', '1395726', '86729154', 'mingyue.zhuge', 'bluewhale-lab', '鲸歌夜航',
];

/** The Telegram user who files (first and last name and username are personal). */
export const TELEGRAM_FILER = { fromId: 730_501, firstName: '慕容', lastName: '秋水', username: 'murong_qs88' } as const;

/** A bot token of Telegram's shape (`<bot id>:<35 characters>`). */
export const TELEGRAM_TOKEN = '7012345678:AAHk3vR9x-Qm2Pz8LcT5wYb1NdFgJhKs0eU';

/** The Slack user who files: users.info answers with a real name, an e-mail and a phone. */
export const SLACK_FILER = {
  id: 'U0FANG01',
  spec: { name: 'fangfang.ouyang', real_name: '欧阳芳芳', email: 'fangfang.ouyang@bluewhale-lab.cn', phone: '+86 139 5726 8432' },
} as const;

/** Slack secrets of the real shapes. */
export const SLACK_SECRETS = {
  botToken: 'xoxb-7345-9981-LeakCheckBotTokenValue',
  signingSecret: '8d1f0c2e7b9a4f35a6c3e2d1b0f9e8d7',
} as const;

/** Everything personal of the filers. */
export const FILER_FRAGMENTS: readonly string[] = [
  TELEGRAM_FILER.firstName, TELEGRAM_FILER.lastName, TELEGRAM_FILER.username,
  SLACK_FILER.spec.name, SLACK_FILER.spec.real_name, '欧阳', '139 5726 8432', '13957268432',
];

/** Fails naming the first line that holds any of `secrets` (the line cut, not the whole log). */
export function expectNone(output: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    const line = output.split('\n').find((l) => l.includes(secret));
    expect(line === undefined ? undefined : line.slice(0, 600), `"${secret}" in ${where}`).toBeUndefined();
  }
}

/** The output's lines, each parsed; fails on a line that is not JSON (raw SDK output would not be). */
export function jsonLines(output: string): Record<string, unknown>[] {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const notJson = lines.find((line) => {
    try {
      JSON.parse(line);
      return false;
    } catch {
      return true;
    }
  });
  expect(notJson?.slice(0, 300), 'a log line that is not JSON').toBeUndefined();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The `sdk` text of the debug lines from a `debug` namespace starting with `prefix`. */
export function debugLines(lines: readonly Record<string, unknown>[], prefix: string): string[] {
  return lines.filter((l) => typeof l['ns'] === 'string' && l['ns'].startsWith(prefix)).map((l) => String(l['sdk']));
}

/** The `sdk` text of the Slack SDKs' lines. */
export function slackSdkLines(lines: readonly Record<string, unknown>[]): string[] {
  return lines.filter((l) => l['msg'] === 'slack sdk').map((l) => String(l['sdk']));
}
