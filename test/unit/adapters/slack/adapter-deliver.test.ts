/**
 * Where the answer to a kept update goes, through `deliver` and the route the update carried: a
 * mention's answer into its thread, a slash command's in a channel only to its user (and a file to
 * the user's DM), a button press's after the pressed message has lost its buttons. A form needs a
 * trigger id Slack takes for 3 s only: in time it opens the modal; late, the form is offered as a
 * button in the user's DM whose press opens it. An unreadable route answers the update's chat.
 */
import { describe, expect, it } from 'vitest';
import { choicesReply, textReply, type FormView, type Reply } from '../../../../src/domain/reply.js';
import { adapterRigsPerTest, eventually, type AdapterRig } from '../../../support/slack-adapter-harness.js';
import { appMentionEvent, blockActionsPayload, dmMessageEvent, type StoredMessage } from '../../../support/slack-api.js';
import { dmChannelOf, isObject } from '../../../support/slack-api-ids.js';

const start = adapterRigsPerTest();

const FORM: FormView = {
  flowId: 'key-project',
  title: '附件2 重点项目备案表',
  submitLabel: '提交',
  cancelLabel: '取消',
  fields: [{ id: 'name', label: '项目名称', input: 'line', optional: false }],
};
const FORM_REPLY: Reply = { kind: 'form', form: FORM };

/** The buttons of a posted message: label and value. */
function buttons(message: StoredMessage | undefined): { label: string; value: string; actionId: string }[] {
  const out: { label: string; value: string; actionId: string }[] = [];
  for (const block of message?.blocks ?? []) {
    if (block.type !== 'actions' || !Array.isArray(block.elements)) continue;
    for (const element of block.elements as unknown[]) {
      if (isObject(element) && isObject(element.text)) out.push({ label: String(element.text.text), value: String(element.value), actionId: String(element.action_id) });
    }
  }
  return out;
}

/** Presses a button of a message the bot posted, as Slack sends it; resolves once the press is kept. */
async function press(rig: AdapterRig, userId: string, message: StoredMessage, label: string): Promise<void> {
  const button = buttons(message).find((b) => b.label === label);
  if (button === undefined) throw new Error(`no button ${label}`);
  const before = rig.kept.length;
  const payload = blockActionsPayload({
    userId, channel: message.channel, messageTs: message.ts, actionId: button.actionId, value: button.value, buttonText: button.label,
    triggerId: rig.api.triggerId(), message: { type: 'message', user: rig.api.botUserId, ts: message.ts, text: message.text, blocks: message.blocks ?? [] },
  });
  expect((await rig.interaction(payload)).acknowledged).toBe(true);
  await rig.keptUpdate(before);
}

describe('slack deliver', () => {
  it('answers a mention in the thread of the mention', async () => {
    const rig = await start();
    const event = appMentionEvent({ userId: 'U0MENTION', channel: 'C0MENTION', text: '截止时间？', botUserId: rig.api.botUserId });
    expect((await rig.event(event)).acknowledged).toBe(true);
    const update = await rig.keptUpdate(0);
    expect(update.inbound).toMatchObject({ chat: { id: 'C0MENTION', kind: 'group' }, text: '截止时间？' });

    expect(await rig.answer(update, [textReply('4月30日')])).toBe('sent');
    const [answer] = rig.api.messages('C0MENTION');
    expect(answer?.thread_ts).toBe(event.ts);
    expect(answer?.text).toBe('4月30日');
  });

  it('answers a slash command in a channel only to its user; a file it asked for goes to the user’s DM', async () => {
    const rig = await start();
    const user = 'U0ASKER';
    const ack = await rig.command(user, 'C0GENERAL', 'help');
    expect(ack).toMatchObject({ acknowledged: true, status: 200 });
    const update = await rig.keptUpdate(0);
    expect(update.inbound).toMatchObject({ chat: { id: 'C0GENERAL', kind: 'group' }, text: '/help' });

    const file: Reply = { kind: 'file', name: 'a.csv', mime: 'text/csv', data: new TextEncoder().encode('a,b\r\n') };
    expect(await rig.answer(update, [textReply('帮助'), file])).toBe('sent');
    expect(rig.api.ephemerals('C0GENERAL').map((e) => [e.user, e.text])).toEqual([[user, '帮助']]);
    expect(rig.api.messages('C0GENERAL')).toEqual([]);
    expect(rig.api.sharedFiles('C0GENERAL')).toEqual([]);
    expect(rig.api.sharedFiles(dmChannelOf(user)).map((f) => f.filename)).toEqual(['a.csv']);
  });

  it('retires the pressed buttons first, then sends the answer (not at intake)', async () => {
    const rig = await start();
    const user = 'U0PRESS';
    const channel = 'D0PRESS';
    expect((await rig.event(dmMessageEvent({ userId: user, channel, text: 'menu' }))).acknowledged).toBe(true);
    const asked = await rig.keptUpdate(0);
    await rig.answer(asked, [choicesReply([{ kind: 'paragraph', spans: ['选哪个？'] }], [{ label: '我的备案', payload: '/my', role: 'option' }])]);
    const [menu] = rig.api.messages(channel);
    if (menu === undefined) throw new Error('no menu');

    await press(rig, user, menu, '我的备案');
    const pressed = rig.kept[1];
    if (pressed === undefined) throw new Error('press not kept');
    expect(pressed.inbound.action).toBe('/my');
    // Acknowledged and kept, but the message keeps its buttons until the answer goes out.
    expect(rig.api.callsOf('chat.update')).toEqual([]);

    await rig.answer(pressed, [textReply('没有备案')]);
    const methods = rig.api.calls.map((call) => call.method).filter((method) => method === 'chat.update' || method === 'chat.postMessage');
    expect(methods).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    const retired = rig.api.messages(channel)[0];
    expect(buttons(retired)).toEqual([]);
    expect(JSON.stringify(retired?.blocks)).toContain('✓ 我的备案');
    expect(rig.api.messages(channel)[1]?.text).toBe('没有备案');

    // A second delivery on the same route (a notice, then the answer) retires once.
    await rig.answer(pressed, [textReply('再说一次')]);
    expect(rig.api.callsOf('chat.update')).toHaveLength(1);
  });

  it('opens the modal a slash command asked for while its trigger id is good', async () => {
    const rig = await start();
    const user = 'U0FORM';
    await rig.command(user, 'C0FORMS', 'file key-project');
    const update = await rig.keptUpdate(0);
    expect(update.inbound).toMatchObject({ chat: { id: dmChannelOf(user), kind: 'private' }, text: '/formview key-project' });
    expect(await rig.answer(update, [FORM_REPLY])).toBe('sent');
    const [opened] = rig.api.views();
    expect(opened?.view.private_metadata).toBe(JSON.stringify({ flowId: 'key-project', chat: dmChannelOf(user) }));
  });

  it('offers a form whose trigger id expired as a button in the user’s DM; pressing it opens the modal', async () => {
    const rig = await start({ triggerTtlMs: 100 });
    const user = 'U0LATE';
    const dm = dmChannelOf(user);
    await rig.command(user, 'C0LATE', 'file key-project');
    const update = await rig.keptUpdate(0);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Delivered (not failed: the outbox would try it again and again), as an offer.
    expect(await rig.answer(update, [FORM_REPLY, textReply('草稿已保存')])).toBe('sent');
    expect(rig.api.callsOf('views.open').map((call) => call.response.error)).toEqual(['expired_trigger_id']);
    expect(rig.api.views()).toEqual([]);
    const [offer] = rig.api.messages(dm);
    expect(buttons(offer)).toEqual([{ label: FORM.title, value: '/formview key-project', actionId: 'sw_0' }]);
    expect(rig.api.ephemerals('C0LATE').map((e) => e.text)).toEqual(['草稿已保存']);

    if (offer === undefined) throw new Error('no offer');
    await press(rig, user, offer, FORM.title);
    const pressed = rig.kept[1];
    if (pressed === undefined) throw new Error('press not kept');
    expect(pressed.inbound).toMatchObject({ chat: { id: dm, kind: 'private' }, action: '/formview key-project' });
    await rig.answer(pressed, [FORM_REPLY]);
    await eventually(() => rig.api.views()[0], 'the modal');
  });

  it('sends the answer to the update’s chat when the route is empty or unreadable', async () => {
    const rig = await start();
    const inbound = { platform: 'slack', chat: { id: 'D0PLAIN', kind: 'private' as const }, user: { id: 'U0PLAIN', displayName: 'p' }, receivedAt: new Date() };
    await rig.answer({ inbound, route: '' }, [textReply('one')]);
    await rig.answer({ inbound, route: '{"channel": 7' }, [textReply('two')]);
    await rig.answer({ inbound, route: '{"threadTs": "1.2"}' }, [textReply('three')]);
    expect(rig.api.messages('D0PLAIN').map((m) => [m.text, m.thread_ts])).toEqual([
      ['one', undefined],
      ['two', undefined],
      ['three', undefined],
    ]);
  });
});
