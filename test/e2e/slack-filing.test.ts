/**
 * The key-project form (附件2) filed end to end through the real Bolt adapter, against the
 * Slack Web API stand-in, over signed HTTP requests: once in the DM by typing and pressing buttons
 * (pressed messages lose their buttons by chat.update), once through the modal `/sciweek file
 * key-project` opens (generated from the flow definition; a bad field comes back as
 * `response_action: errors` on that field and nothing is stored; a good one files exactly what the
 * chat files), and a chat draft pre-filling that modal.
 */
import { describe, expect, it } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import { KEY_PROJECT_ANSWERS, KEY_PROJECT_VALUES, keyProject, translate } from '../support/engine-harness.js';
import { isObject, type JsonObject } from '../support/slack-api-ids.js';
import {
  KEY_PROJECT_TITLE,
  buttonLabels,
  buttonsOf,
  eventually,
  lastOf,
  mrkdwnOf,
  startKeyProject,
  slackBotsPerTest,
  textOf,
  type SlackBot,
} from '../support/slack-harness.js';
import type { StoredMessage } from '../support/slack-api.js';

const RECEIPT = /回执号：(KP-[0-9A-Z]{10})/;
const EVENT_ID = 'qingdao-2021';
const zh = translate('zh-CN');

const start = slackBotsPerTest();

/** The key-project field ids, in the flow's order. */
const FIELD_IDS: readonly string[] = keyProject().fields.map((field) => field.id);

/** The same answers a person types in the chat, as modal inputs (the district picked by its label). */
function modalAnswers(): Record<string, string> {
  const answers: Record<string, string> = {};
  FIELD_IDS.forEach((id, i) => {
    answers[id] = KEY_PROJECT_ANSWERS[i] ?? '';
  });
  answers['district'] = '市南区';
  return answers;
}

/** A filing without what differs between two filers and two moments. */
function comparable(filing: Filing | undefined): Omit<Filing, 'receipt' | 'ownerKey' | 'ownerName' | 'createdAt' | 'updatedAt'> | undefined {
  if (filing === undefined) return undefined;
  const { receipt: _r, ownerKey: _o, ownerName: _n, createdAt: _c, updatedAt: _u, ...rest } = filing;
  return rest;
}

/** Input blocks of a view. */
function inputBlocks(view: JsonObject): JsonObject[] {
  const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
  return blocks.filter((block): block is JsonObject => isObject(block) && block.type === 'input');
}

/** The element of the input block of a field. */
function elementOf(view: JsonObject, fieldId: string): JsonObject {
  const element = inputBlocks(view).find((block) => block.block_id === fieldId)?.element;
  if (!isObject(element)) throw new Error(`no input block ${fieldId}`);
  return element;
}

/** Files the key project in the DM: start by the forms picker, press the district, type the rest, press 提交. */
async function fileByDm(bot: SlackBot, userId: string): Promise<{ receipt: string; pressed: string[]; summary: StoredMessage[] }> {
  const channel = bot.dmChannel(userId);
  const pressed: string[] = [];
  const started = await startKeyProject(bot, userId);
  pressed.push(started.messageTs);
  expect(textOf(started.replies)).toContain('（1/16） 所属区市');
  const district = await bot.press(userId, channel, '市南区');
  pressed.push(district.messageTs);
  expect(textOf(district.replies)).toContain('（2/16） 项目名称');
  let last = district.replies;
  for (const answer of KEY_PROJECT_ANSWERS.slice(1)) last = await bot.dm(userId, answer);
  expect(buttonLabels(lastOf(last))).toEqual(['提交', '修改', '取消']);
  const submit = await bot.press(userId, channel, '提交');
  pressed.push(submit.messageTs);
  const receipt = RECEIPT.exec(textOf(submit.replies))?.[1];
  if (receipt === undefined) throw new Error(`no receipt in:\n${textOf(submit.replies)}`);
  return { receipt, pressed, summary: last };
}

describe('slack key-project filing', () => {
  it('files by DM, typing and pressing the district and 提交; every pressed message is updated to lose its buttons', async () => {
    const bot = await start({ users: { U0DMFILER: { name: 'dm-filer', locale: 'zh-CN' } } });
    const user = 'U0DMFILER';
    const channel = bot.dmChannel(user);
    const { receipt, pressed, summary } = await fileByDm(bot, user);
    expect(textOf(summary)).toContain('• 1. 所属区市：市南区');
    expect(textOf(summary)).toContain('• 6. 举办时间：2021年5月22日至5月28日');
    expect(textOf(bot.api.messages(channel).slice(-1))).toContain(`回执号：${receipt}`);

    // The forms picker, the district question and the summary were pressed; each was updated once.
    expect(pressed).toHaveLength(3);
    const updates = bot.api.callsOf('chat.update');
    expect(updates.map((call) => call.params.ts).sort()).toEqual([...pressed].sort());
    for (const call of updates) expect(call.response.ok).toBe(true);
    const chosen = [KEY_PROJECT_TITLE, '市南区', '提交'];
    pressed.forEach((ts, i) => {
      const message = bot.api.messages(channel).find((m) => m.ts === ts);
      expect(message?.history.map((version) => version.method)).toEqual(['chat.postMessage', 'chat.update']);
      expect(message?.history[0]?.blocks?.some((block) => block.type === 'actions')).toBe(true);
      expect(message?.blocks?.some((block) => block.type === 'actions')).toBe(false);
      expect(buttonsOf(message ?? { blocks: undefined })).toEqual([]);
      // The question stays readable, with what was chosen under it.
      expect(mrkdwnOf(message ?? { blocks: undefined })).toContain(`✓ ${chosen[i] ?? ''}`);
    });

    const filings = await bot.app.store.listFilings({ eventId: EVENT_ID, ownerKey: `slack:${user}` });
    expect(filings.map((filing) => filing.receipt)).toEqual([receipt]);
    expect(filings[0]?.values).toEqual(KEY_PROJECT_VALUES);
    expect(filings[0]?.ownerName).toBe('dm-filer');
    expect(await bot.session(channel, user)).not.toHaveProperty('flow');
  });

  it('files through the modal: one bad field is refused on that field and nothing is stored; the good form files what the chat files', async () => {
    const users = { U0MODAL: { name: 'modal-filer', locale: 'zh-CN' }, U0CHAT: { name: 'chat-filer', locale: 'zh-CN' } };
    const bot = await start({ users });
    const user = 'U0MODAL';
    const dm = bot.dmChannel(user);

    const opened = await bot.command(user, 'C0PROJECTS', 'file key-project');
    expect(opened.ack).toMatchObject({ status: 200 });
    expect(opened.views).toHaveLength(1);
    expect(opened.ephemerals).toEqual([]);
    const view = opened.views[0]?.view ?? {};
    expect(view).toMatchObject({ type: 'modal', callback_id: 'sciweek_form', title: { text: KEY_PROJECT_TITLE }, submit: { text: '提交' }, close: { text: '取消' } });
    // The modal belongs to the user's DM session (what conversations.open answers).
    expect(JSON.parse(String(view.private_metadata))).toEqual({ flowId: 'key-project', chat: dm });
    // 16 input blocks, in the flow's order, labelled from the locale; block_id = action_id = field id.
    const inputs = inputBlocks(view);
    expect(inputs).toHaveLength(16);
    expect(inputs.map((block) => block.block_id)).toEqual([...FIELD_IDS]);
    expect(inputs.map((block) => (isObject(block.label) ? block.label.text : undefined))).toEqual(
      FIELD_IDS.map((id) => zh(`flows.key-project.fields.${id}.label`)),
    );
    expect(bot.sentViews()).toHaveLength(1);
    for (const block of inputBlocks(bot.sentViews()[0] ?? {})) expect(isObject(block.element) ? block.element.action_id : undefined).toBe(block.block_id);
    expect(elementOf(view, 'district').type).toBe('static_select');
    expect(elementOf(view, 'summary')).toMatchObject({ type: 'plain_text_input', multiline: true });
    expect(inputs.find((block) => block.block_id === 'fax')?.optional).toBe(true);

    // One invalid field: refused on that field alone, with the localized reason; nothing stored, nothing said.
    const refused = await bot.submitModal(user, { ...modalAnswers(), postalCode: '26607' });
    expect(refused.json).toEqual({ response_action: 'errors', errors: { postalCode: zh('errors.postal.invalid') } });
    await bot.settle();
    expect(await bot.app.store.listFilings({ eventId: EVENT_ID })).toEqual([]);
    expect(bot.api.messages(dm)).toEqual([]);

    // The corrected form, submitted from the same modal, is accepted (the modal closes) and filed once.
    const corrected = await bot.submitModal(user, modalAnswers());
    expect(corrected.json).toBeUndefined();
    const receiptMessage = await eventually(() => bot.api.messages(dm).find((m) => RECEIPT.test(textOf([m]))), 'the receipt in the DM');
    const receipt = RECEIPT.exec(textOf([receiptMessage]))?.[1];
    const viaModal = await bot.app.store.listFilings({ eventId: EVENT_ID, ownerKey: `slack:${user}` });
    expect(viaModal.map((filing) => filing.receipt)).toEqual([receipt]);

    // The same answers typed in the chat file exactly the same thing.
    await fileByDm(bot, 'U0CHAT');
    const viaChat = await bot.app.store.listFilings({ eventId: EVENT_ID, ownerKey: 'slack:U0CHAT' });
    expect(viaChat).toHaveLength(1);
    expect(viaModal[0]?.values).toStrictEqual(viaChat[0]?.values);
    expect(Object.keys(viaModal[0]?.values ?? {})).toEqual(Object.keys(viaChat[0]?.values ?? {}));
    expect(comparable(viaModal[0])).toStrictEqual(comparable(viaChat[0]));
    expect(viaModal[0]?.values).toEqual(KEY_PROJECT_VALUES);
    expect(viaModal[0]).toMatchObject({ ownerKey: 'slack:U0MODAL', ownerName: 'modal-filer', district: 'shinan', status: 'submitted' });
  });

  it('recognises a modal submitted again (the same view, or the same answers in a new one) and answers with the first receipt', async () => {
    const bot = await start({ users: { U0TWICE: { name: 'twice', locale: 'zh-CN' } } });
    const user = 'U0TWICE';
    const dm = bot.dmChannel(user);
    await bot.command(user, 'C0PROJECTS', 'file key-project');
    expect((await bot.submitModal(user, modalAnswers())).json).toBeUndefined();
    const first = await eventually(() => bot.api.messages(dm).find((m) => RECEIPT.test(textOf([m]))), 'the receipt in the DM');
    const receipt = RECEIPT.exec(textOf([first]))?.[1] ?? '';

    // The same view again (a double click, a retried delivery): not filed, the receipt is said again.
    expect((await bot.submitModal(user, modalAnswers())).json).toBeUndefined();
    const again = zh('filings.already_submitted', { receipt });
    await eventually(() => bot.api.messages(dm).find((m) => textOf([m]).includes(again)), 'the first receipt, said again');
    // A new modal with the same answers, right after: the same.
    await bot.command(user, 'C0PROJECTS', 'file key-project');
    await bot.submitModal(user, modalAnswers());
    await eventually(() => (bot.api.messages(dm).filter((m) => textOf([m]).includes(again)).length === 2 ? true : undefined), 'the receipt said a second time');
    const filings = await bot.app.store.listFilings({ eventId: EVENT_ID, ownerKey: `slack:${user}` });
    expect(filings.map((filing) => filing.receipt)).toEqual([receipt]);
  });

  it('in Socket Mode, files a form refused on one field once it is corrected in the same modal', async () => {
    const bot = await start({ mode: 'socket', users: { U0SOCKFORM: { name: 'socket-filer', locale: 'zh-CN' } } });
    const user = 'U0SOCKFORM';
    const dm = bot.dmChannel(user);
    const opened = await bot.command(user, 'C0PROJECTS', 'file key-project');
    expect(opened.ack.envelopeId).toBeDefined();
    expect(opened.views).toHaveLength(1);

    const refused = await bot.submitModal(user, { ...modalAnswers(), email: 'kp-at-example.cn' });
    expect(refused.json).toEqual({ response_action: 'errors', errors: { email: zh('errors.email.invalid') } });
    expect(bot.api.socketMode?.acks.map((ack) => ack.envelope_id)).toContain(refused.envelopeId);
    await bot.settle();
    expect(await bot.app.store.listFilings({ eventId: EVENT_ID })).toEqual([]);

    const corrected = await bot.submitModal(user, modalAnswers());
    expect(corrected.json).toBeUndefined();
    const receiptMessage = await eventually(() => bot.api.messages(dm).find((m) => RECEIPT.test(textOf([m]))), 'the receipt in the DM');
    const filings = await bot.app.store.listFilings({ eventId: EVENT_ID, ownerKey: `slack:${user}` });
    expect(filings.map((filing) => filing.receipt)).toEqual([RECEIPT.exec(textOf([receiptMessage]))?.[1]]);
    expect(filings[0]?.values).toEqual(KEY_PROJECT_VALUES);
    expect(bot.views()).toHaveLength(1);
  });

  it('pre-fills the modal from the chat draft', async () => {
    const bot = await start({ users: { U0DRAFT: { name: 'drafter', locale: 'zh-CN' } } });
    const user = 'U0DRAFT';
    const channel = bot.dmChannel(user);
    await startKeyProject(bot, user);
    const [district, projectName, organizer] = KEY_PROJECT_ANSWERS;
    await bot.dm(user, district ?? '');
    await bot.dm(user, projectName ?? '');
    const third = await bot.dm(user, organizer ?? '');
    expect(textOf(third)).toContain('（4/16） 主管部门');

    const opened = await bot.command(user, channel, 'file key-project');
    const view = opened.views[0]?.view ?? {};
    expect(inputBlocks(view)).toHaveLength(16);
    expect(elementOf(view, 'district').initial_option).toEqual({ text: { type: 'plain_text', text: '市南区', emoji: true }, value: 'shinan' });
    expect(elementOf(view, 'projectName').initial_value).toBe(projectName);
    expect(elementOf(view, 'organizer').initial_value).toBe(organizer);
    for (const id of FIELD_IDS.slice(3)) expect(elementOf(view, id)).not.toHaveProperty('initial_value');
    // Opening the modal posts nothing in the DM.
    expect(opened.messages).toEqual([]);
  });
});
