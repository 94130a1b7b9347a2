/**
 * The router over the command registry, through the real engine: every registered command reaches
 * its own handler; each scope (private, group, staff) refuses with today's words; the help is written
 * in the platform's spelling; on Slack a bare command word in a DM runs the command outside a form
 * and stays the form's answer inside one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS, type CommandName } from '../../../src/bot/commands.js';
import { createHarness, submitKeyProject, translate, type Harness, type HarnessOptions, type Sender } from '../../support/engine-harness.js';

const zh = translate('zh-CN');

/** The words of a message before its first placeholder, to find it in a reply. */
function lead(key: string): string {
  const words = zh(key).split('{')[0] ?? '';
  expect(words.trim()).not.toBe('');
  return words;
}

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.cleanup();
  harnesses = [];
});

function harness(options: HarnessOptions = {}): Harness {
  const h = createHarness({ staff: ['test:boss', 'slack:UBOSS'], ...options });
  harnesses.push(h);
  return h;
}

const STAFF: Sender = { userId: 'boss', chatId: 'boss' };
const IN_GROUP: Sender = { userId: 'boss', chatId: 'g1', chatKind: 'group' };
const PLAIN: Sender = { userId: 'u1', chatId: 'c1' };
const SLACK_DM: Sender = { platform: 'slack', userId: 'U1', chatId: 'D1', localeHint: 'zh-CN' };

/** What each command answers when sent alone where it may run: proof its own handler ran. */
const ALONE: Record<CommandName, string> = {
  start: 'menu.welcome',
  file: 'forms.pick',
  my: 'filings.none',
  edit: 'filings.not_found',
  withdraw: 'filings.not_found',
  receipt: 'filings.not_found',
  none: 'declarations.usage',
  ask: 'qa.ask_prompt',
  help: 'help.title',
  cancel: 'flow.nothing_to_cancel',
  lang: 'menu.lang_usage',
  bind: 'group.not_bound',
  unbind: 'group.not_bound',
  forms: 'forms.pick',
  formview: 'forms.unknown',
  status: 'staff.status_title',
  missing: 'staff.missing_title',
  list: 'staff.no_filings',
  show: 'filings.not_found',
  reopen: 'filings.not_found',
  export: 'staff.export_usage',
  remind: 'staff.not_yet',
};

describe('router over the registry', () => {
  it('dispatches every registered command to its own handler', async () => {
    const h = harness();
    for (const spec of COMMANDS) {
      const turn = await h.say(`/${spec.name}`, spec.scope === 'group' ? IN_GROUP : STAFF);
      expect(turn.text, `/${spec.name}`).toContain(lead(ALONE[spec.name]));
      expect(turn.text).not.toContain(lead('menu.unknown_command'));
    }
    expect((await h.say('/frobnicate', PLAIN)).text).toContain(zh('menu.unknown_command', { command: 'frobnicate' }));
  });

  it('refuses each command outside its scope with the scope\'s words', async () => {
    const h = harness();
    for (const spec of COMMANDS) {
      if (spec.scope === 'private') expect((await h.say(`/${spec.name}`, { ...PLAIN, chatId: 'g2', chatKind: 'group' })).text).toContain(zh('group.file_in_private'));
      if (spec.scope === 'group') expect((await h.say(`/${spec.name}`, PLAIN)).text).toBe(zh('group.only_in_group'));
      if (spec.scope === 'staff') expect((await h.say(`/${spec.name}`, PLAIN)).text).toBe(zh('staff.refused'));
    }
  });

  it('writes the help in the spelling of the platform it is read on', async () => {
    const h = harness();
    const telegram = (await h.say('/help', { ...PLAIN, platform: 'telegram' })).text;
    expect(telegram).toContain('/file 表格编号 — 开始填报（如 /file key-project）');
    expect(telegram).toContain('/edit 回执号 — ');
    expect(telegram).not.toContain('/sciweek');
    expect(telegram).not.toContain(lead('help.staff_title'));

    const slack = (await h.say('/help', SLACK_DM)).text;
    expect(slack).toContain('/sciweek file 表格编号 — 开始填报（如 /sciweek file key-project）');
    expect(slack).toContain('/sciweek edit 回执号 — ');
    expect(slack).toContain('/sciweek withdraw 回执号 — ');
    expect(slack).toContain(zh('help.bare_words', { prefix: '/sciweek' }));
    const commandLines = slack.split('\n').filter((line) => line.startsWith('/'));
    expect(commandLines.length).toBeGreaterThan(5);
    for (const line of commandLines) expect(line).toMatch(/^\/sciweek [a-z]+ /);

    const slackGroup = (await h.say('/help', { ...SLACK_DM, chatId: 'C1', chatKind: 'group' })).text;
    expect(slackGroup).toContain('/sciweek bind 区市名称 — ');
    expect(slackGroup).not.toMatch(/^\/bind/m);

    const staff = (await h.say('/help', { platform: 'slack', userId: 'UBOSS', chatId: 'DBOSS' })).text;
    expect(staff).toContain(zh('help.staff_title'));
    expect(staff).toContain('/sciweek export xlsx|docx|csv [表格编号] — ');
  });

  it('spells the edit and withdraw commands of /my for the platform', async () => {
    const h = harness();
    await submitKeyProject(h, SLACK_DM);
    const mine = (await h.say('my', SLACK_DM)).text;
    expect(mine).toContain(zh('filings.mine_help', { edit: '/sciweek edit 回执号', withdraw: '/sciweek withdraw 回执号' }));
  });
});

describe('bare command words', () => {
  it('runs my, cancel, help, edit and withdraw typed alone in a Slack DM outside a form', async () => {
    const h = harness();
    expect((await h.say('my', SLACK_DM)).text).toContain(zh('filings.none'));
    expect((await h.say('Cancel', SLACK_DM)).text).toBe(zh('flow.nothing_to_cancel'));
    expect((await h.say('help', SLACK_DM)).text).toContain(zh('help.title'));

    const receipt = await submitKeyProject(h, SLACK_DM);
    const editing = await h.say(`edit ${receipt.toLowerCase()}`, SLACK_DM);
    expect(editing.text).toContain('青岛海洋科普嘉年华');
    expect(editing.buttons.map((b) => b.label)).toContain('提交');
    // At a summary, cancel asks first.
    expect((await h.say('cancel', SLACK_DM)).text).toBe(zh('flow.discard.question', { count: 16 }));
    expect((await h.say('确认放弃', SLACK_DM)).text).toBe(zh('flow.cancelled'));
    const withdrawing = await h.say(`withdraw ${receipt}`, SLACK_DM);
    expect(withdrawing.text).toContain(zh('filings.withdraw_confirm', { receipt, title: '青岛海洋科普嘉年华' }));
  });

  it('leaves sentences, other scopes and other platforms to the Q&A', async () => {
    const h = harness();
    for (const text of ['my filings are late', 'edit my project name', 'status of my filing', 'bind 市南区']) {
      const turn = await h.say(text, SLACK_DM);
      expect(turn.text, text).not.toContain(zh('filings.none'));
      expect(turn.text).not.toContain(zh('staff.refused'));
      expect(turn.text).not.toContain(zh('group.only_in_group'));
      expect(turn.text).not.toContain(zh('filings.not_found'));
    }
    expect((await h.say('my', { ...PLAIN, platform: 'telegram' })).text).not.toContain(zh('filings.none'));
    expect((await h.say('my', { ...SLACK_DM, chatId: 'C1', chatKind: 'group' })).text).not.toContain(zh('filings.none'));
    // Staff may use their words bare too.
    expect((await h.say('missing', { platform: 'slack', userId: 'UBOSS', chatId: 'DBOSS' })).text).toContain(lead('staff.missing_title'));
  });

  it('keeps a bare word inside a form the form\'s answer or navigation', async () => {
    const h = harness();
    await h.say('/file key-project', SLACK_DM);
    await h.say('市南', SLACK_DM);
    // At the project name, "help" is the form's help, and "my" and a receipt-like text are answers.
    expect((await h.say('help', SLACK_DM)).text).toContain(zh('flow.help'));
    const named = await h.say('my', SLACK_DM);
    expect(named.text).not.toContain(zh('filings.none'));
    expect(named.text).toContain(zh('flows.key-project.fields.organizer.label'));
    const organizer = await h.say('edit KP-2345678923', SLACK_DM);
    expect(organizer.text).not.toContain(zh('filings.not_found'));
    expect(organizer.text).toContain(zh('flows.key-project.fields.supervisor.label'));
    // A draft with answers asks before it is dropped.
    expect((await h.say('cancel', SLACK_DM)).text).toContain(zh('flow.discard.question', { count: 3 }));
    expect((await h.say('yes', SLACK_DM)).text).toContain(zh('flow.cancelled'));
  });
});
