/**
 * Staff answers holding personal data, on the engine: asked in a group, each such command's answer is
 * exactly one reply for the asker alone — the user's id, the very replies the private chat gets, the
 * `staff.sent_privately` note and the `staff.private_refused` one — while in a private chat it is the
 * plain replies; `/status` without a district and `/missing` stay plain in a group; a non-staff user
 * in a group gets the plain `staff.refused`; and `/reopen` in a group still reopens the filing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Filing } from '../../../src/domain/filing.js';
import { paragraph, startLink, textReply, toPlainText, type PrivateReply, type Reply } from '../../../src/domain/reply.js';
import { AFTER_DEADLINE, createHarness, translate, type Harness, type Sender } from '../../support/engine-harness.js';
import { exhibitorFiling, keyProjectFiling, seedFilings } from '../../support/sample-filings.js';

const zh = translate('zh-CN');

const STAFF_ID = 'staff';
const IN_GROUP: Sender = { userId: STAFF_ID, chatId: 'bureau-group', chatKind: 'group', displayName: '市科技局' };
const IN_PRIVATE: Sender = { userId: STAFF_ID, chatId: 'staff-chat', displayName: '市科技局' };
const DISTRICT_IN_GROUP: Sender = { userId: 'district-user', chatId: 'bureau-group', chatKind: 'group', displayName: '区科技局' };

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.allSettled(harnesses.map((h) => h.cleanup()));
  harnesses = [];
});

function harness(): Harness {
  const h = createHarness({ staff: [`test:${STAFF_ID}`], now: AFTER_DEADLINE });
  harnesses.push(h);
  return h;
}

/** A seeded key project with distinct personal values, and an exhibitor elsewhere. */
async function seeded(h: Harness): Promise<Filing> {
  const filing = keyProjectFiling('shinan', { projectName: '机密的海洋牧场项目', contactPerson: '欧阳娜娜', phone: '0532-81234567', email: 'secret.contact@shinan.example.cn' });
  await seedFilings(h.store, [filing, exhibitorFiling('laoshan')]);
  return filing;
}

/** What a reply for the asker alone must tell the group, besides its content. */
const SENT = [textReply(zh('staff.sent_privately'))];
const REFUSED = [textReply(zh('staff.private_refused'), paragraph(startLink(zh('group.open_private'), 'menu')))];

/** The one reply of an answer, which must be for the asker alone. */
function onlyPrivate(replies: readonly Reply[], command: string): PrivateReply {
  expect(replies, command).toHaveLength(1);
  const [reply] = replies;
  if (reply?.kind !== 'private') throw new Error(`${command}: not a private reply: ${JSON.stringify(reply)}`);
  return reply;
}

/**
 * The text of replies: a file by its name and caption, and a CSV's bytes read as UTF-8 (an XLSX also
 * holds the moment it was written, so its bytes differ from one export to the next).
 */
function contentOf(replies: readonly Reply[]): string {
  return replies
    .map((r) => (r.kind !== 'file' ? toPlainText(r) : `${r.name} ${r.mime} ${toPlainText(r)}${r.mime.startsWith('text/csv') ? `\n${Buffer.from(r.data).toString('utf8')}` : ''}`))
    .join('\n');
}

describe('staff answers with personal data, asked in a group', () => {
  it('are one reply for the asker alone holding exactly what the private chat gets', async () => {
    const h = harness();
    const filing = await seeded(h);
    const personal = [filing.receipt, '机密的海洋牧场项目', '欧阳娜娜', '0532-81234567', 'secret.contact@shinan.example.cn'];
    /** Each command, and the personal values its answer must hold. */
    const commands: [string, string[]][] = [
      ['/status 市南区', [filing.receipt]],
      ['/list', [filing.receipt, '机密的海洋牧场项目']],
      ['/list key-project 市南区', [filing.receipt, '机密的海洋牧场项目']],
      [`/show ${filing.receipt}`, personal],
      ['/export csv key-project', personal],
      ['/export xlsx', []],
      ['/remind preview', []],
    ];
    for (const [command, data] of commands) {
      const privately = (await h.say(command, IN_PRIVATE)).replies;
      expect(privately.some((r) => r.kind === 'private'), command).toBe(false);
      const alone = onlyPrivate((await h.say(command, IN_GROUP)).replies, command);
      expect(alone.userId, command).toBe(STAFF_ID);
      expect(alone.sent, command).toEqual(SENT);
      expect(alone.refused, command).toEqual(REFUSED);
      expect(alone.replies.map((r) => r.kind), command).toEqual(privately.map((r) => r.kind));
      expect(contentOf(alone.replies), command).toBe(contentOf(privately));
      for (const value of data) expect(contentOf(alone.replies), `${command}: ${value}`).toContain(value);
      // What the group itself may be shown holds none of it.
      const notes = [...alone.sent, ...alone.refused].map(toPlainText).join('\n');
      for (const value of personal) expect(notes, `${command}: ${value}`).not.toContain(value);
    }
  });

  it('are exported as the same file for the asker alone', async () => {
    const h = harness();
    await seeded(h);
    const [file] = onlyPrivate((await h.say('/export csv key-project', IN_GROUP)).replies, 'export').replies;
    const [plain] = (await h.say('/export csv key-project', IN_PRIVATE)).replies;
    expect(file?.kind).toBe('file');
    expect(file).toEqual(plain);
  });

  it('leave /status without a district and /missing plain in a group: they name no one', async () => {
    const h = harness();
    const filing = await seeded(h);
    for (const command of ['/status', '/missing']) {
      const inGroup = (await h.say(command, IN_GROUP)).replies;
      expect(inGroup.length, command).toBeGreaterThan(0);
      expect(inGroup.some((r) => r.kind === 'private'), command).toBe(false);
      expect(inGroup, command).toEqual((await h.say(command, IN_PRIVATE)).replies);
      expect(inGroup.map(toPlainText).join('\n'), command).not.toContain(filing.receipt);
    }
    expect((await h.say('/status', IN_GROUP)).text).toContain('市南区：附1 ✗ · 附2 ✓ · 附3 ✗ · 总结 ✗');
  });

  it('refuse a non-staff user in a group with the plain staff.refused', async () => {
    const h = harness();
    const filing = await seeded(h);
    for (const command of ['/status', '/status 市南区', '/missing', '/list', `/show ${filing.receipt}`, `/reopen ${filing.receipt}`, '/export csv key-project', '/remind preview']) {
      expect((await h.say(command, DISTRICT_IN_GROUP)).replies, command).toEqual([textReply(zh('staff.refused'))]);
    }
    expect(await h.store.getFiling(filing.receipt)).toMatchObject({ reopened: false, version: 1 });
  });

  it('still reopen a filing with /reopen in a group, the answer for the asker alone', async () => {
    const h = harness();
    const filing = await seeded(h);

    const alone = onlyPrivate((await h.say(`/reopen ${filing.receipt}`, IN_GROUP)).replies, 'reopen');
    expect(alone.userId).toBe(STAFF_ID);
    expect(alone.replies).toEqual([textReply(zh('staff.reopened', { receipt: filing.receipt }))]);
    expect(alone.sent).toEqual(SENT);
    expect(await h.store.getFiling(filing.receipt)).toMatchObject({ reopened: true, version: 2, status: 'submitted' });
    const [audit] = await h.store.listAudit(1);
    expect(audit).toMatchObject({ action: 'filing.reopened', actor: `test:${STAFF_ID}`, receipt: filing.receipt });

    // Asked again in the private chat: the plain answer, and the filing is not reopened twice.
    expect((await h.say(`/reopen ${filing.receipt}`, IN_PRIVATE)).replies).toEqual([textReply(zh('staff.already_reopened', { receipt: filing.receipt }))]);
    expect(await h.store.getFiling(filing.receipt)).toMatchObject({ version: 2 });
  });
});
