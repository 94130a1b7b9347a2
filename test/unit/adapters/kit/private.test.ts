/**
 * The kit's sending of replies meant for the asker alone, over a recording platform: what is answered
 * in the chat keeps its order around a private reply, whose content goes only to the user's private
 * chat and is followed in the chat by its `sent` note — or its `refused` note when the user cannot be
 * written to; a chat that refuses the bot stops the rest; an empty private reply sends nothing
 * privately; and a send that fails for good fails the whole call, with nothing sent after it.
 */
import { describe, expect, it } from 'vitest';
import type { SendOutcome } from '../../../../src/domain/platform.js';
import { textReply, toPlainText, type ChatReply, type PrivateReply, type Reply } from '../../../../src/domain/reply.js';
import { sendKeepingPrivate, type PrivateAwareSend } from '../../../../src/adapters/kit/private.js';

/** A send whose calls are written down as `here: a|b` and `user:u1: c|d`, answering from a script. */
interface Recorder {
  send: PrivateAwareSend;
  calls: string[];
}

type Answer = SendOutcome | Error;

/** Outcomes for the next calls to `here` and to `privately`, in order; 'sent' once they run out. */
function recorder(script: { here?: Answer[]; privately?: Answer[] } = {}): Recorder {
  const calls: string[] = [];
  const here = [...(script.here ?? [])];
  const privately = [...(script.privately ?? [])];
  const answer = async (queue: Answer[]): Promise<SendOutcome> => {
    // A turn of the event loop, as a platform call takes: order must not depend on sends being instant.
    await new Promise((resolve) => setImmediate(resolve));
    const next = queue.shift() ?? 'sent';
    if (next instanceof Error) throw next;
    return next;
  };
  const text = (replies: readonly ChatReply[]): string => replies.map(toPlainText).join('|');
  return {
    calls,
    send: {
      here: (replies) => {
        calls.push(`here: ${text(replies)}`);
        return answer(here);
      },
      privately: (userId, replies) => {
        calls.push(`user:${userId}: ${text(replies)}`);
        return answer(privately);
      },
    },
  };
}

/** A private reply for `userId` with its content and the two notes. */
function privateReply(userId: string, ...content: string[]): PrivateReply {
  return { kind: 'private', userId, replies: content.map((c) => textReply(c)), sent: [textReply(`sent to ${userId}`)], refused: [textReply(`cannot write to ${userId}`)] };
}

describe('sendKeepingPrivate', () => {
  it('keeps the order around a private reply: what came before, the content privately, then the sent note with what follows', async () => {
    const r = recorder();
    const replies: Reply[] = [textReply('before'), privateReply('u1', 'phone 0532', 'e-mail a@b.cn'), textReply('after')];
    expect(await sendKeepingPrivate(replies, r.send)).toBe('sent');
    expect(r.calls).toEqual(['here: before', 'user:u1: phone 0532|e-mail a@b.cn', 'here: sent to u1|after']);
  });

  it('sends a chat’s plain replies in one call, and nothing at all for no replies', async () => {
    const r = recorder();
    expect(await sendKeepingPrivate([textReply('a'), textReply('b')], r.send)).toBe('sent');
    expect(r.calls).toEqual(['here: a|b']);
    const none = recorder();
    expect(await sendKeepingPrivate([], none.send)).toBe('sent');
    expect(none.calls).toEqual([]);
  });

  it('puts the refused note in the chat, and never the content, when the user cannot be written to', async () => {
    const r = recorder({ privately: ['unreachable'] });
    const outcome = await sendKeepingPrivate([privateReply('u1', 'receipt KP-1'), textReply('after')], r.send);
    // The chat was reached: the answer as a whole was delivered.
    expect(outcome).toBe('sent');
    expect(r.calls).toEqual(['user:u1: receipt KP-1', 'here: cannot write to u1|after']);
    expect(r.calls.filter((call) => call.startsWith('here')).join('\n')).not.toContain('KP-1');
  });

  it('sends each of several private replies to its own user, each note after its content', async () => {
    const r = recorder({ privately: ['sent', 'unreachable'] });
    const outcome = await sendKeepingPrivate([privateReply('u1', 'one'), privateReply('u2', 'two'), textReply('end')], r.send);
    expect(outcome).toBe('sent');
    expect(r.calls).toEqual(['user:u1: one', 'here: sent to u1', 'user:u2: two', 'here: cannot write to u2|end']);
  });

  it('stops at a chat that refuses the bot: nothing is sent privately after it', async () => {
    const r = recorder({ here: ['unreachable'] });
    expect(await sendKeepingPrivate([textReply('before'), privateReply('u1', 'secret'), textReply('after')], r.send)).toBe('unreachable');
    expect(r.calls).toEqual(['here: before']);
  });

  it('answers unreachable when the chat refuses the note that follows the private content', async () => {
    const r = recorder({ here: ['unreachable'] });
    expect(await sendKeepingPrivate([privateReply('u1', 'secret')], r.send)).toBe('unreachable');
    expect(r.calls).toEqual(['user:u1: secret', 'here: sent to u1']);
  });

  it('sends nothing privately for an empty private reply, and tells the chat it was sent', async () => {
    const r = recorder();
    expect(await sendKeepingPrivate([privateReply('u1')], r.send)).toBe('sent');
    expect(r.calls).toEqual(['here: sent to u1']);
  });

  it('rejects when the private send fails for good, sending nothing to the chat after it', async () => {
    const failure = new Error('fatal: invalid_auth');
    const r = recorder({ privately: [failure] });
    await expect(sendKeepingPrivate([textReply('before'), privateReply('u1', 'secret'), textReply('after')], r.send)).rejects.toBe(failure);
    expect(r.calls).toEqual(['here: before', 'user:u1: secret']);
  });

  it('rejects when a send to the chat fails for good, before anything is sent privately', async () => {
    const failure = new Error('fatal: invalid_blocks');
    const r = recorder({ here: [failure] });
    await expect(sendKeepingPrivate([textReply('before'), privateReply('u1', 'secret')], r.send)).rejects.toBe(failure);
    expect(r.calls).toEqual(['here: before']);
  });
});
