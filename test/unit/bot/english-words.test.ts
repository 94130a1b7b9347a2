/**
 * English replies read as English: labels joined by `: ` (not `：`), money in `50,000 yuan` (not
 * `50000元`), file counts as `1 file` / `2 files`; Chinese replies keep `：`, `50000元` and `个文件`.
 * On the real engine and SQLite store, and on the real flows' fields.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import type { FieldSpec } from '../../../src/flow/define.js';
import { createHarness, fillKeyProject, runnerContext, type Harness, type Sender } from '../../support/engine-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const EN: Sender = { userId: 'uni', chatId: 'uni-chat', localeHint: 'en' };
const ZH: Sender = { userId: 'laoshan', chatId: 'laoshan-chat', localeHint: 'zh-CN' };

function photosField(): FieldSpec {
  const field = allFlows.find((flow) => flow.id === 'exhibitor')?.fields.find((f) => f.id === 'photos');
  if (field === undefined) throw new Error('no photos field');
  return field;
}

const photo = (name: string): { kind: string; fileRef: string; name: string } => ({ kind: 'photo', fileRef: name, name });

describe('English punctuation and units', () => {
  it('an English summary and receipt use ": " and "50,000 yuan"', async () => {
    harness = createHarness();
    const summary = await fillKeyProject(harness, EN);
    expect(summary.text).toContain('1. District: Shinan District');
    expect(summary.text).toContain('Budget: 50,000 yuan');
    expect(summary.text).not.toMatch(/[：元]/);
    const done = await harness.say('submit', EN);
    expect(done.text).toContain('Budget: 50,000 yuan');
    expect(done.text).toContain('District: Shinan District');
    const receipt = /KP-[0-9A-Z]{10}/.exec(done.text)?.[0] ?? '';
    const shown = await harness.say(`/receipt ${receipt}`, EN);
    expect(shown.text).toContain('Budget: 50,000 yuan');
    expect(shown.text).not.toContain('：');
  });

  it('a Chinese summary keeps "：" and "50000元"', async () => {
    harness = createHarness();
    const summary = await fillKeyProject(harness, ZH);
    expect(summary.text).toContain('1. 所属区市：市南区');
    expect(summary.text).toContain('活动经费：50000元');
  });

  it('counts files as "1 file" / "2 files" in English and 个文件 in Chinese, names joined in each language', () => {
    const field = photosField();
    const en = runnerContext('en');
    const zh = runnerContext('zh-CN');
    expect(field.format([photo('a.jpg')], en)).toBe('1 file: a.jpg');
    expect(field.format([photo('a.jpg'), photo('b.jpg')], en)).toBe('2 files: a.jpg, b.jpg');
    expect(field.format([photo('a.jpg'), photo('b.jpg')], zh)).toBe('2 个文件：a.jpg、b.jpg');
  });

  it('English errors give English examples, without 万 or 元', async () => {
    harness = createHarness();
    await harness.say('/file key-project', EN);
    const answers = ['Shinan', 'Ocean fair', 'Qingdao SAST', 'Qingdao Science Bureau', 'May Fourth Square', 'May 22-28', 'Zhang San', 'Li Si', '11 Hong Kong Road', '266071', '0532-85911893', 'skip', 'kp@example.cn'];
    for (const answer of answers) await harness.say(answer, EN);
    const refused = await harness.say('a lot', EN);
    expect(refused.text).toContain('50000 or 55,000');
    expect(refused.text).not.toMatch(/[万元]/);
    const budgetNext = await harness.say('55,000 yuan', EN);
    expect(budgetNext.text).toContain('Expected participants');
  });
});
