/**
 * Slack wraps what it recognises as a link in the message text it sends: an e-mail address arrives as
 * `<mailto:lina@example.com|lina@example.com>`, a phone number as `<tel:+8613812345678|13812345678>`.
 * Through the real Bolt adapter and the Slack Web API stand-in, a whole key-project filing in a DM
 * whose e-mail, phone and fax arrive wrapped ends with a receipt, and the store keeps them as typed;
 * the modal does the same with link markup in its inputs.
 */
import { describe, expect, it } from 'vitest';
import { KEY_PROJECT_ANSWERS, KEY_PROJECT_VALUES, keyProject, translate } from '../support/engine-harness.js';
import { buttonLabels, eventually, lastOf, slackBotsPerTest, startKeyProject, textOf } from '../support/slack-harness.js';

const EVENT_ID = 'qingdao-2021';
const start = slackBotsPerTest();
const FIELD_IDS: readonly string[] = keyProject().fields.map((field) => field.id);
const indexOf = (id: string): number => FIELD_IDS.indexOf(id);
const zh = translate('zh-CN');

/** The answers a person types, with the e-mail, phone and fax as Slack sends them in a message event. */
function wrappedAnswers(): string[] {
  const answers = [...KEY_PROJECT_ANSWERS];
  answers[indexOf('phone')] = '<tel:+8613812345678|13812345678>';
  answers[indexOf('fax')] = '<tel:053285911894|0532-85911894>';
  answers[indexOf('email')] = '<mailto:lina@example.com|lina@example.com>';
  return answers;
}

describe('slack link markup', () => {
  it('files a key project in a DM whose e-mail and phone arrive wrapped, storing them as typed (zh-CN)', async () => {
    const bot = await start({ users: { U0LINKS: { name: 'lina', locale: 'zh-CN' } } });
    const user = 'U0LINKS';
    const channel = bot.dmChannel(user);
    await startKeyProject(bot, user);
    const answers = wrappedAnswers();
    await bot.press(user, channel, '市南区');
    let last = await bot.dm(user, answers[1] ?? '');
    for (const answer of answers.slice(2)) {
      last = await bot.dm(user, answer);
      // No step refuses the wrapped answers.
      expect(textOf(last)).not.toContain(zh('errors.email.invalid'));
      expect(textOf(last)).not.toContain(zh('errors.phone.invalid'));
    }
    expect(textOf(last)).toContain('电子邮箱：lina@example.com');
    expect(textOf(last)).not.toContain('mailto');
    expect(buttonLabels(lastOf(last))).toEqual(['提交', '修改', '取消']);
    const submit = await bot.press(user, channel, '提交');
    const receipt = /回执号：(KP-[0-9A-Z]{10})/.exec(textOf(submit.replies))?.[1];
    expect(receipt).toBeDefined();

    const filings = await bot.app.store.listFilings({ eventId: EVENT_ID, ownerKey: `slack:${user}` });
    expect(filings.map((filing) => filing.receipt)).toEqual([receipt]);
    expect(filings[0]?.values).toEqual({ ...KEY_PROJECT_VALUES, email: 'lina@example.com', phone: '13812345678', fax: '0532-85911894' });
  });

  it('unwraps link markup in modal inputs and files them as typed (en)', async () => {
    const bot = await start({ users: { U0LINKMODAL: { name: 'lina', locale: 'en' } } });
    const user = 'U0LINKMODAL';
    const dm = bot.dmChannel(user);
    await bot.command(user, 'C0PROJECTS', 'file key-project');
    const answers: Record<string, string> = {};
    wrappedAnswers().forEach((answer, i) => {
      answers[FIELD_IDS[i] ?? ''] = answer;
    });
    answers['district'] = 'shinan';
    answers['email'] = '<mailto:lina@example.com>';
    const submitted = await bot.submitModal(user, answers);
    expect(submitted.json).toBeUndefined();
    const message = await eventually(() => bot.api.messages(dm).find((m) => /Receipt: KP-/.test(textOf([m]))), 'the receipt in the DM');
    const receipt = /Receipt: (KP-[0-9A-Z]{10})/.exec(textOf([message]))?.[1];
    const filings = await bot.app.store.listFilings({ eventId: EVENT_ID, ownerKey: `slack:${user}` });
    expect(filings.map((filing) => filing.receipt)).toEqual([receipt]);
    expect(filings[0]?.values).toMatchObject({ email: 'lina@example.com', phone: '13812345678', fax: '0532-85911894' });
  });
});
