/**
 * What Slack hears from the adapter about an update, over HTTP and in Socket Mode: it is acknowledged
 * only once accept has kept it (the durable inbox); one that could not be kept is not acknowledged
 * (no 2xx, no ack), so Slack sends an event again — and its re-send is kept; an update arriving while
 * the adapter stops is refused the same way, while the one being kept finishes and is acknowledged.
 * A modal submission alone is judged at once, its verdict in the response.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../../src/kernel/errors.js';
import { textReply } from '../../../../src/domain/reply.js';
import { adapterRigsPerTest, eventually, nextEventId, type RigMode } from '../../../support/slack-adapter-harness.js';
import { appMentionEvent, blockActionsPayload, dmMessageEvent, viewSubmissionPayload } from '../../../support/slack-api.js';

const start = adapterRigsPerTest();
const MODES: readonly RigMode[] = ['http', 'socket'];

const storeDown = (): Error => new StoreError('inbox append failed: connection refused');

describe.each(MODES)('slack intake (%s)', (mode) => {
  it('does not acknowledge a DM the store cannot keep; the re-send of the same event is kept and acknowledged', async () => {
    const rig = await start({ mode });
    const user = 'U0KEEP';
    const event = dmMessageEvent({ userId: user, channel: 'D0KEEP', text: '截止时间？' });
    const eventId = nextEventId();

    rig.failAccepts(storeDown());
    const refused = await rig.event(event, { eventId });
    expect(refused.acknowledged).toBe(false);
    if (mode === 'http') expect(refused.status).toBe(503);
    expect(rig.offered).toHaveLength(1);
    expect(rig.kept).toEqual([]);

    rig.failAccepts(undefined);
    const again = await rig.event(event, { eventId, retryNum: 1 });
    expect(again.acknowledged).toBe(true);
    if (mode === 'http') expect(again.status).toBe(200);
    const [update] = rig.kept;
    expect(update?.inbound).toMatchObject({ platform: 'slack', chat: { id: 'D0KEEP', kind: 'private' }, user: { id: user }, text: '截止时间？', deliveryId: eventId });
  });

  it('acknowledges an event only after accept resolved', async () => {
    const rig = await start({ mode });
    const release = rig.holdAccepts();
    let answered = false;
    const pending = rig.event(appMentionEvent({ userId: 'U0WAIT', channel: 'C0WAIT', text: 'hello', botUserId: rig.api.botUserId })).then((answer) => {
      answered = true;
      return answer;
    });
    await eventually(() => (rig.offered.length === 1 ? true : undefined), 'the event offered to accept');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    if (mode === 'socket') expect(rig.api.socketMode?.acks).toEqual([]);
    release();
    expect((await pending).acknowledged).toBe(true);
    expect(rig.kept).toHaveLength(1);
  });

  it('does not acknowledge a slash command or a button press the store cannot keep', async () => {
    const rig = await start({ mode });
    rig.failAccepts(storeDown());
    const command = await rig.command('U0CMD', 'C0CMD', 'help');
    expect(command.acknowledged).toBe(false);
    if (mode === 'http') expect(command.status).toBe(503);
    const press = await rig.interaction(
      blockActionsPayload({ userId: 'U0CMD', channel: 'D0CMD', messageTs: '1700000000.000100', actionId: 'sw_0', value: '/my', triggerId: rig.api.triggerId() }),
    );
    expect(press.acknowledged).toBe(false);
    if (mode === 'http') expect(press.status).toBe(503);
    expect(rig.offered.map((update) => update.inbound.text ?? update.inbound.action)).toEqual(['/help', '/my']);
    expect(rig.kept).toEqual([]);
    // Nothing was retired at intake: the press was not kept.
    expect(rig.api.callsOf('chat.update')).toEqual([]);
  });

  it('refuses updates once stopping, while the one being kept finishes and is acknowledged', async () => {
    const rig = await start({ mode });
    const release = rig.holdAccepts();
    const first = rig.event(dmMessageEvent({ userId: 'U0STOP', channel: 'D0STOP', text: 'one' }));
    await eventually(() => (rig.offered.length === 1 ? true : undefined), 'the first event offered');
    const stopped = rig.adapter.stop();
    if (mode === 'http') {
      const late = await rig.event(dmMessageEvent({ userId: 'U0STOP', channel: 'D0STOP', text: 'two' }));
      expect(late.acknowledged).toBe(false);
      expect(late.status).toBe(503);
    }
    release();
    expect((await first).acknowledged).toBe(true);
    await stopped;
    expect(rig.kept.map((update) => update.inbound.text)).toEqual(['one']);
  });

  it('judges a modal submission at once: field errors in the response, nothing kept; an accepted form closes and its replies follow', async () => {
    const rig = await start({
      mode,
      judge: (inbound) =>
        Promise.resolve(
          inbound.form?.values['name'] === ''
            ? [{ kind: 'form-errors', flowId: 'key-project', errors: { name: '必填' } }]
            : [textReply('已提交')],
        ),
    });
    const view = {
      callback_id: 'sciweek_form',
      private_metadata: JSON.stringify({ flowId: 'key-project', chat: 'D0MODAL' }),
      blocks: [{ type: 'input', block_id: 'name', element: { type: 'plain_text_input', action_id: 'name' }, label: { type: 'plain_text', text: '名称' } }],
    };
    const refused = await rig.interaction(viewSubmissionPayload({ userId: 'U0MODAL', view, values: { name: { name: { type: 'plain_text_input', value: '' } } } }));
    expect(refused.acknowledged).toBe(true);
    expect(refused.json).toEqual({ response_action: 'errors', errors: { name: '必填' } });

    const accepted = await rig.interaction(viewSubmissionPayload({ userId: 'U0MODAL', view, values: { name: { name: { type: 'plain_text_input', value: '海洋' } } } }));
    expect(accepted.acknowledged).toBe(true);
    expect(accepted.json).toBeUndefined();
    await eventually(() => rig.api.messages('D0MODAL')[0], 'the accepted form’s reply');
    expect(rig.offered).toEqual([]);
  });
});
